import { LessThan, type DataSource } from 'typeorm';
import type { ReplayGuard } from '../protocol/codec.js';
import { ReplayEntryEntity } from './entities/index.js';

/** The persisted replay window. The primary key (scope, entry) makes "seen before" an atomic insert. */
export class PersistedReplayWindow implements ReplayGuard {
  constructor(private readonly dataSource: DataSource) {}

  async remember(scope: string, entry: string, expiresAt: number): Promise<boolean> {
    const result = await this.dataSource
      .createQueryBuilder()
      .insert()
      .into(ReplayEntryEntity)
      .values({ scope, entry, expiresAt })
      .orIgnore()
      .execute();
    return affected(result.raw, result.identifiers.length) > 0;
  }

  async prune(now: number): Promise<number> {
    const result = await this.dataSource.getRepository(ReplayEntryEntity).delete({ expiresAt: LessThan(now) });
    return result.affected ?? 0;
  }
}

/** INSERT ... ON CONFLICT DO NOTHING reports "nothing inserted" differently per driver. */
function affected(raw: unknown, identifiers: number): number {
  if (Array.isArray(raw)) return raw.length; // postgres: RETURNING rows
  if (typeof raw === 'number') return raw; // sqlite: changes
  if (typeof raw === 'object' && raw !== null && 'changes' in raw && typeof raw.changes === 'number') return raw.changes;
  return identifiers;
}
