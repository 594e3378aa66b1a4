import { mkdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import sqlite3 from 'sqlite3';
import { DataSource, type DataSourceOptions, type MixedList } from 'typeorm';
import type { TesseraConfig } from '../config/config.schema.js';

/** Classes TypeORM takes as entities and migrations. */
export type ClassList = MixedList<Function>;

/**
 * TypeORM calls `verbose()` on the sqlite3 module, which wraps every statement to capture a stack trace (about 0.7 ms
 * per remote access here). This driver hands back the plain module instead.
 */
export const quietSqlite = Object.assign(Object.create(sqlite3) as typeof sqlite3, { verbose: () => sqlite3 });

export interface DatabaseTarget {
  readonly url: string | null;
  readonly sqlitePath: string;
}

export function databaseTarget(config: TesseraConfig): DatabaseTarget {
  return { url: config.database.url, sqlitePath: join(config.dataDir, config.database.sqliteFile) };
}

/** PostgreSQL when a URL is given, else SQLite with WAL. Migrations run at start; schema sync never. */
export function dataSourceOptions(target: DatabaseTarget, entities: ClassList, migrations: ClassList): DataSourceOptions {
  const common = { entities, migrations, migrationsRun: true, synchronize: false, logging: false } as const;
  if (target.url !== null) return { ...common, type: 'postgres', url: target.url, extra: { max: 10 } };
  if (target.sqlitePath !== ':memory:') mkdirSync(dirname(target.sqlitePath), { recursive: true });
  return { ...common, type: 'sqlite', database: target.sqlitePath, enableWAL: true, busyErrorRetry: 50, driver: quietSqlite };
}

export async function openDataSource(target: DatabaseTarget, entities: ClassList, migrations: ClassList): Promise<DataSource> {
  const dataSource = new DataSource(dataSourceOptions(target, entities, migrations));
  await dataSource.initialize();
  if (dataSource.options.type === 'sqlite') await dataSource.query('PRAGMA synchronous = NORMAL');
  return dataSource;
}
