import { rowPlaceholders, select, Sql, type SqlTarget, type SqlValue } from '../raw-sql.js';
import type { BoundStatement } from '../sqlite-script.js';

export interface ReplayEntryValues {
  readonly scope: string;
  readonly entry: string;
  readonly expiresAt: number;
}

const MAX_ROWS = 100;
const inserts = new Map<number, Sql>();

function insertOf(count: number): Sql {
  let statement = inserts.get(count);
  if (statement === undefined) {
    statement = new Sql(`INSERT INTO "replay_window" ("scope", "entry", "expiresAt") VALUES ${rowPlaceholders(count, 3)} ON CONFLICT ("scope", "entry") DO NOTHING RETURNING "scope", "entry"`);
    inserts.set(count, statement);
  }
  return statement;
}

/**
 * Remembers entries of the replay window; for each, whether it was new. The primary key makes "seen before" atomic:
 * an entry already stored inserts nothing, and of an entry named twice only the first is new.
 */
export async function rememberReplayEntries(target: SqlTarget, entries: readonly ReplayEntryValues[]): Promise<boolean[]> {
  const fresh: boolean[] = [];
  for (let start = 0; start < entries.length; start += MAX_ROWS) {
    const chunk = entries.slice(start, start + MAX_ROWS);
    const values: SqlValue[] = [];
    for (const entry of chunk) values.push(entry.scope, entry.entry, entry.expiresAt);
    const inserted = new Set((await select<{ scope: string; entry: string }>(target, insertOf(chunk.length), values)).map((row) => JSON.stringify([row.scope, row.entry])));
    for (const entry of chunk) fresh.push(inserted.delete(JSON.stringify([entry.scope, entry.entry])));
  }
  return fresh;
}

const stores = new Map<number, Sql>();

/**
 * Entries whose freshness was already decided (the replay window's memory): stored, never asked about, so they can
 * go in a batch's script with everything else. One already there is left as it is.
 */
export function storeReplayStatements(entries: readonly ReplayEntryValues[]): BoundStatement[] {
  const statements: BoundStatement[] = [];
  for (let start = 0; start < entries.length; start += MAX_ROWS) {
    const chunk = entries.slice(start, start + MAX_ROWS);
    let statement = stores.get(chunk.length);
    if (statement === undefined) {
      statement = new Sql(`INSERT INTO "replay_window" ("scope", "entry", "expiresAt") VALUES ${rowPlaceholders(chunk.length, 3)} ON CONFLICT ("scope", "entry") DO NOTHING`);
      stores.set(chunk.length, statement);
    }
    const values: SqlValue[] = [];
    for (const entry of chunk) values.push(entry.scope, entry.entry, entry.expiresAt);
    statements.push({ statement, params: values });
  }
  return statements;
}
