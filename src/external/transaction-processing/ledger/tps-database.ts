import type { DataSource } from 'typeorm';
import { ProtocolError } from '../../../protocol/errors.js';
import { createTpsDataSource, type TpsDatabaseOptions } from './tps-data-source.js';

/** Beyond this many waiting operations the ledger answers "busy" instead of queueing without bound. */
const MAX_WAITING = 1000;

/**
 * The TPS's open database, and the one lane every ledger operation runs in.
 * TypeORM's SQLite driver shares one connection among all callers, so two transactions started concurrently would
 * nest as savepoints of each other; running them one at a time is what keeps each one atomic. On PostgreSQL the
 * conditional balance updates and the unique keys keep a second TPS process honest as well.
 */
export class TpsDatabase {
  private tail: Promise<unknown> = Promise.resolve();
  private waiting = 0;

  constructor(readonly dataSource: DataSource) {}

  /** Opens the database and runs the TPS's migrations. */
  static async open(options: TpsDatabaseOptions): Promise<TpsDatabase> {
    const dataSource = createTpsDataSource(options);
    await dataSource.initialize();
    // As the SP's own database: in WAL mode a commit is durable against a crash of the process without an fsync each.
    if (options.type === 'sqlite' && options.database !== ':memory:') await dataSource.query('PRAGMA synchronous = NORMAL');
    return new TpsDatabase(dataSource);
  }

  /** Runs `work` after every operation queued before it, and before any queued after it. */
  exclusive<T>(work: () => Promise<T>): Promise<T> {
    if (this.waiting >= MAX_WAITING) return Promise.reject(new ProtocolError('refused', 'ledger busy, resend later'));
    this.waiting += 1;
    const run = this.tail.then(() => {
      this.waiting -= 1;
      return work();
    });
    this.tail = run.catch(() => undefined);
    return run;
  }

  /** Lets queued operations finish, then closes the connection. */
  async close(): Promise<void> {
    await this.exclusive(async () => {
      if (this.dataSource.isInitialized) await this.dataSource.destroy();
    });
  }
}
