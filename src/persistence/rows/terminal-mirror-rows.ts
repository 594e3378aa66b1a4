import { TerminalMirrorEntity, type MirrorImage } from '../entities/terminal-mirror.entity.js';
import { numberOf, numberOrNull, rowPlaceholders, select, Sql, type SqlTarget, type SqlValue } from '../raw-sql.js';
import type { BoundStatement } from '../sqlite-script.js';

const COLUMNS = '"image", "updates", "lastUpdateAt", "lastUploadAt", "divergence", "nextUpdateAt"';
const SELECT = new Sql(`SELECT "deviceId", ${COLUMNS} FROM "terminal_mirror" WHERE "deviceId" = ?`);
const UPSERT_SET = ['image', 'updates', 'lastUpdateAt', 'lastUploadAt', 'divergence', 'nextUpdateAt'].map((column) => `"${column}" = excluded."${column}"`).join(', ');
const MAX_ROWS = 50;
const upserts = new Map<number, Sql>();

/** Both databases take this upsert as written. */
function upsertOf(count: number): Sql {
  let statement = upserts.get(count);
  if (statement === undefined) {
    statement = new Sql(`INSERT INTO "terminal_mirror" ("deviceId", ${COLUMNS}) VALUES ${rowPlaceholders(count, 7)} ON CONFLICT ("deviceId") DO UPDATE SET ${UPSERT_SET}`);
    upserts.set(count, statement);
  }
  return statement;
}

interface StoredRow {
  deviceId: string;
  image: string;
  updates: number | string;
  lastUpdateAt: number | string | null;
  lastUploadAt: number | string | null;
  divergence: string | null;
  nextUpdateAt: number | string | null;
}

export async function readTerminalMirror(target: SqlTarget, deviceId: string): Promise<TerminalMirrorEntity | null> {
  const [row] = await select<StoredRow>(target, SELECT, [deviceId]);
  if (row === undefined) return null;
  return Object.assign(new TerminalMirrorEntity(), {
    deviceId: row.deviceId,
    image: JSON.parse(row.image) as MirrorImage,
    updates: numberOf(row.updates),
    lastUpdateAt: numberOrNull(row.lastUpdateAt),
    lastUploadAt: numberOrNull(row.lastUploadAt),
    divergence: row.divergence,
    nextUpdateAt: numberOrNull(row.nextUpdateAt),
  });
}

/** Writes whole rows, inserting each the first time; a terminal named twice keeps its last row. */
export function terminalMirrorStatements(mirrors: readonly TerminalMirrorEntity[]): BoundStatement[] {
  const statements: BoundStatement[] = [];
  const unique = [...new Map(mirrors.map((mirror) => [mirror.deviceId, mirror] as const)).values()];
  for (let start = 0; start < unique.length; start += MAX_ROWS) {
    const values: SqlValue[] = [];
    const chunk = unique.slice(start, start + MAX_ROWS);
    for (const mirror of chunk) values.push(mirror.deviceId, JSON.stringify(mirror.image), mirror.updates, mirror.lastUpdateAt, mirror.lastUploadAt, mirror.divergence, mirror.nextUpdateAt);
    statements.push({ statement: upsertOf(chunk.length), params: values });
  }
  return statements;
}
