import { QueryFailedError, type DataSource } from 'typeorm';
import type { ReplayGuard } from '../protocol/codec.js';
import { withWriteLock } from './write-lock.js';
import { writeBatcher } from './write-batch.js';
import { RecentEntries } from './recent-entries.js';
import { execute, select, Sql } from './raw-sql.js';

/** A unique-key violation, as SQLite and PostgreSQL report it. */
export function isUniqueViolation(error: unknown): boolean {
  if (!(error instanceof QueryFailedError)) return false;
  const driverError = error.driverError as { code?: string; errno?: number } | undefined;
  return driverError?.code === '23505' || driverError?.code === 'SQLITE_CONSTRAINT' || /UNIQUE constraint failed/.test(error.message);
}

/** Scopes held in memory as well as in the table: message digests, whose window the freshness skew bounds. */
const IN_MEMORY_PREFIX = 'msg:';
const inMemory = (scope: string): boolean => scope.startsWith(IN_MEMORY_PREFIX);
const PRUNE_CHUNK_ROWS = 1000;
const PRUNE_CHUNK = new Sql(
  `DELETE FROM "replay_window" WHERE ("scope", "entry") IN (SELECT "scope", "entry" FROM "replay_window" WHERE "expiresAt" < ? LIMIT ${PRUNE_CHUNK_ROWS})`,
);
const SELECT_IN_MEMORY = new Sql(`SELECT "scope", "entry", "expiresAt" FROM "replay_window" WHERE "scope" LIKE '${IN_MEMORY_PREFIX}%' AND "expiresAt" >= ?`);

/**
 * The persisted replay window. The primary key (scope, entry) makes "seen before" one atomic insert: an entry that is
 * already there inserts nothing.
 *
 * Message digests (scope `msg:`) are also held in memory, loaded at start: a message older than the freshness skew is
 * refused as stale, so their window is minutes of traffic. On SQLite the in-memory set answers at once and the row is
 * written with the next batch, without the inbound path waiting for it. That stays safe because the write batcher
 * commits in arrival order: the digest is committed in the same transaction as, or one before, anything the message
 * causes to be written (it rides with the next batch, or goes alone after a few milliseconds: WriteBatcher.defer).
 * Only an answer that writes nothing (a remote access) can leave before its digest is stored; a crash in that gap lets
 * the same request be answered once more after restart, changing nothing. PostgreSQL commits transactions of different
 * connections in any order, so there the table's answer is awaited as before, and so are request and transaction
 * numbers (kept for a month, never held in memory) on every database.
 */
export class PersistedReplayWindow implements ReplayGuard {
  private readonly recent = new RecentEntries();
  private readonly awaitTable: boolean;

  /** `onPersistFailure`: a digest the table refused to store (the database is failing); it stays in memory. */
  constructor(
    private readonly dataSource: DataSource,
    private readonly onPersistFailure: (error: unknown) => void = () => undefined,
  ) {
    this.awaitTable = dataSource.options.type !== 'sqlite';
  }

  /** Loads the unexpired in-memory entries from the table; call before the first message is received. */
  async load(now: number): Promise<number> {
    const rows = await select<{ scope: string; entry: string; expiresAt: number | string }>(this.dataSource, SELECT_IN_MEMORY, [now]);
    for (const row of rows) this.recent.add(row.scope, row.entry, Number(row.expiresAt));
    return rows.length;
  }

  remember(scope: string, entry: string, expiresAt: number): Promise<boolean> | boolean {
    if (!inMemory(scope)) return this.persist(scope, entry, expiresAt);
    if (this.recent.has(scope, entry)) return false;
    this.recent.add(scope, entry, expiresAt);
    if (this.awaitTable) return this.persist(scope, entry, expiresAt);
    // Stored with the next batch; `writeBatcher(...).flushDeferred()` writes it at once (the platform does at close).
    writeBatcher(this.dataSource)
      .defer({ replayStored: [{ scope, entry, expiresAt }] })
      .catch((error: unknown) => this.onPersistFailure(error));
    return true;
  }

  /**
   * Forgets expired entries, in memory and in the table; a message they would catch is stale by now. The table is
   * pruned a chunk at a time, each under the write lock on its own, so other writes never wait for a long delete.
   */
  async prune(now: number): Promise<number> {
    this.recent.prune(now);
    let pruned = 0;
    for (;;) {
      const { changes } = await withWriteLock(this.dataSource, () => execute(this.dataSource, PRUNE_CHUNK, [now]));
      pruned += changes;
      if (changes < PRUNE_CHUNK_ROWS) return pruned;
    }
  }

  /** Entries held in memory (for the operator's and the benches' eyes). */
  memorySize(): number {
    return this.recent.size();
  }

  private async persist(scope: string, entry: string, expiresAt: number): Promise<boolean> {
    const { replayFresh } = await writeBatcher(this.dataSource).write({ replay: [{ scope, entry, expiresAt }] });
    return replayFresh[0] === true;
  }
}
