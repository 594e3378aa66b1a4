import { DataSource, type DataSourceOptions, type EntityManager } from 'typeorm';
import { quietSqlite } from '../../../persistence/data-source.js';
import { ISSUER_ENTITIES } from './entities/index.js';
import type { IssuerDatabaseOptions } from './issuer-options.js';
import { TisTables1767225600200 } from './migrations/1767225600200-tis-tables.js';
import { TisFreeUnitOrder1767225600220 } from './migrations/1767225600220-tis-free-unit-order.js';
import { TisInstallationAndRefunds1767225600210 } from './migrations/1767225600210-tis-installation-and-refunds.js';
import { TisCustomerIndexes1767225600230 } from './migrations/1767225600230-tis-customer-indexes.js';

/**
 * The issuing system's own database, and one lane its transactions run in (TypeORM's SQLite driver shares one
 * connection, so concurrent transactions would nest; one at a time keeps each atomic, as the reference TPS does).
 */
export class IssuerDatabase {
  private tail: Promise<unknown> = Promise.resolve();

  private constructor(readonly dataSource: DataSource) {}

  static async open(options: IssuerDatabaseOptions): Promise<IssuerDatabase> {
    const common: Pick<DataSourceOptions, 'entities' | 'migrations' | 'migrationsRun' | 'migrationsTableName' | 'synchronize' | 'logging'> = {
      entities: ISSUER_ENTITIES,
      migrations: [TisTables1767225600200, TisInstallationAndRefunds1767225600210, TisFreeUnitOrder1767225600220, TisCustomerIndexes1767225600230],
      migrationsRun: true,
      migrationsTableName: 'tis_migrations',
      synchronize: false,
      logging: false,
    };
    const dataSource =
      options.type === 'postgres'
        ? new DataSource({ ...common, type: 'postgres', url: options.url })
        : new DataSource({ ...common, type: 'sqlite', database: options.database, enableWAL: options.database !== ':memory:', busyTimeout: 5000, driver: quietSqlite });
    await dataSource.initialize();
    // As the SP's own database: in WAL mode a commit is durable against a crash of the process without an fsync each.
    if (options.type !== 'postgres' && options.database !== ':memory:') await dataSource.query('PRAGMA synchronous = NORMAL');
    return new IssuerDatabase(dataSource);
  }

  /** Runs `work` in a transaction, after every transaction queued before it. */
  transaction<T>(work: (em: EntityManager) => Promise<T>): Promise<T> {
    const run = this.tail.then(() => this.dataSource.transaction(work));
    this.tail = run.catch(() => undefined);
    return run;
  }

  async close(): Promise<void> {
    await this.tail;
    if (this.dataSource.isInitialized) await this.dataSource.destroy();
  }
}
