import { DataSource, type DataSourceOptions } from 'typeorm';
import { TpsLedger1767225600000 } from './migrations/1767225600000-tps-ledger.js';
import { TPS_ENTITIES } from './tps-entities.js';
import { quietSqlite } from '../../../persistence/data-source.js';

/** Where the TPS keeps its ledger: its own SQLite file, or a PostgreSQL database (possibly shared with the SP). */
export type TpsDatabaseOptions =
  | { readonly type: 'sqlite'; readonly database: string }
  | { readonly type: 'postgres'; readonly url: string; readonly schema?: string };

/** Builds (does not open) the TPS's DataSource: migrations run at initialize, never schema sync. */
export function createTpsDataSource(options: TpsDatabaseOptions): DataSource {
  const common: Pick<DataSourceOptions, 'entities' | 'migrations' | 'migrationsRun' | 'migrationsTableName' | 'synchronize' | 'logging'> = {
    entities: TPS_ENTITIES,
    migrations: [TpsLedger1767225600000],
    migrationsRun: true,
    migrationsTableName: 'tps_migrations',
    synchronize: false,
    logging: false,
  };
  if (options.type === 'postgres') {
    return new DataSource({ ...common, type: 'postgres', url: options.url, ...(options.schema === undefined ? {} : { schema: options.schema }) });
  }
  // WAL lets the operator's reads run beside the TPS's writes; an in-memory database has no journal to switch.
  return new DataSource({ ...common, type: 'sqlite', database: options.database, enableWAL: options.database !== ':memory:', busyTimeout: 5000, driver: quietSqlite });
}
