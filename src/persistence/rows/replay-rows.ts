import { rowPlaceholders, select, type SqlTarget } from '../raw-sql.js';
import type { BoundStatement } from '../sqlite-script.js';
import { MultiRowStatement } from './multi-row-statement.js';

export interface ReplayEntryValues {
  readonly scope: string;
  readonly entry: string;
  readonly expiresAt: number;
}

const MAX_ROWS = 100;
const valuesOf = (entry: ReplayEntryValues) => [entry.scope, entry.entry, entry.expiresAt];
const remember = new MultiRowStatement(
  MAX_ROWS,
  (rows) => `INSERT INTO "replay_window" ("scope", "entry", "expiresAt") VALUES ${rowPlaceholders(rows, 3)} ON CONFLICT ("scope", "entry") DO NOTHING RETURNING "scope", "entry"`,
  valuesOf,
);
const store = new MultiRowStatement(MAX_ROWS, (rows) => `INSERT INTO "replay_window" ("scope", "entry", "expiresAt") VALUES ${rowPlaceholders(rows, 3)} ON CONFLICT ("scope", "entry") DO NOTHING`, valuesOf);

/**
 * Remembers entries of the replay window; for each, whether it was new. The primary key makes "seen before" atomic:
 * an entry already stored inserts nothing, and of an entry named twice only the first is new.
 */
export async function rememberReplayEntries(target: SqlTarget, entries: readonly ReplayEntryValues[]): Promise<boolean[]> {
  const inserted = new Set<string>();
  for (const { statement, params } of remember.statements(entries)) {
    for (const row of await select<{ scope: string; entry: string }>(target, statement, params)) inserted.add(JSON.stringify([row.scope, row.entry]));
  }
  return entries.map((entry) => inserted.delete(JSON.stringify([entry.scope, entry.entry])));
}

/**
 * Entries whose freshness was already decided (the replay window's memory): stored, never asked about, so they can
 * go in a batch's script with everything else. One already there is left as it is.
 */
export function storeReplayStatements(entries: readonly ReplayEntryValues[]): BoundStatement[] {
  return store.statements(entries);
}
