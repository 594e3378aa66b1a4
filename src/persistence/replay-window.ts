import { LessThan, QueryFailedError, type DataSource } from 'typeorm';
import type { ReplayGuard } from '../protocol/codec.js';
import { ReplayEntryEntity } from './entities/index.js';
import { withWriteLock } from './write-lock.js';
import { writeBatcher } from './write-batch.js';

/** A unique-key violation, as SQLite and PostgreSQL report it. */
export function isUniqueViolation(error: unknown): boolean {
  if (!(error instanceof QueryFailedError)) return false;
  const driverError = error.driverError as { code?: string; errno?: number } | undefined;
  return driverError?.code === '23505' || driverError?.code === 'SQLITE_CONSTRAINT' || /UNIQUE constraint failed/.test(error.message);
}

/**
 * The persisted replay window. The primary key (scope, entry) makes "seen before" one atomic insert: an entry that is
 * already there inserts nothing.
 */
export class PersistedReplayWindow implements ReplayGuard {
  constructor(private readonly dataSource: DataSource) {}

  /** Written with whatever else is being written at the time (see WriteBatcher). */
  async remember(scope: string, entry: string, expiresAt: number): Promise<boolean> {
    const { replayFresh } = await writeBatcher(this.dataSource).write({ replay: [{ scope, entry, expiresAt }] });
    return replayFresh[0] === true;
  }

  async prune(now: number): Promise<number> {
    const result = await withWriteLock(this.dataSource, () => this.dataSource.getRepository(ReplayEntryEntity).delete({ expiresAt: LessThan(now) }));
    return result.affected ?? 0;
  }
}
