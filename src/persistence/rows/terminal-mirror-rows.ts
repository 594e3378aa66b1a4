import { TerminalMirrorEntity, type MirrorImage } from '../entities/terminal-mirror.entity.js';
import { numberOf, numberOrNull, rowPlaceholders, select, Sql, type SqlTarget, type SqlValue } from '../raw-sql.js';
import type { BoundStatement } from '../sqlite-script.js';
import { MultiRowStatement } from './multi-row-statement.js';

const COLUMNS = '"image", "updates", "lastUpdateAt", "lastUploadAt", "divergence", "nextUpdateAt"';
const SELECT = new Sql(`SELECT "deviceId", ${COLUMNS} FROM "terminal_mirror" WHERE "deviceId" = ?`);
const UPSERT_SET = ['image', 'updates', 'lastUpdateAt', 'lastUploadAt', 'divergence', 'nextUpdateAt'].map((column) => `"${column}" = excluded."${column}"`).join(', ');
/** Both databases take this upsert as written. */
const upsert = new MultiRowStatement(
  50,
  (rows) => `INSERT INTO "terminal_mirror" ("deviceId", ${COLUMNS}) VALUES ${rowPlaceholders(rows, 7)} ON CONFLICT ("deviceId") DO UPDATE SET ${UPSERT_SET}`,
  (mirror: TerminalMirrorEntity) => [mirror.deviceId, JSON.stringify(mirror.image), mirror.updates, mirror.lastUpdateAt, mirror.lastUploadAt, mirror.divergence, mirror.nextUpdateAt],
);

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
  return upsert.statements([...new Map(mirrors.map((mirror) => [mirror.deviceId, mirror] as const)).values()]);
}
