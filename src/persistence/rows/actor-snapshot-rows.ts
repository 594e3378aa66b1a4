import type { ActorStatus } from '../entities/actor-snapshot.entity.js';
import { numberOf, numberOrNull, rowPlaceholders, select, Sql, type SqlTarget, type SqlValue } from '../raw-sql.js';
import type { BoundStatement } from '../sqlite-script.js';
import { MultiRowStatement } from './multi-row-statement.js';

/** An `actor_snapshot` row with its snapshot still as the JSON text it was stored as. */
export interface ActorSnapshotRow {
  readonly actorId: string;
  readonly kind: string;
  readonly machineVersion: number;
  readonly status: ActorStatus;
  readonly processGroup: string | null;
  readonly stateValue: string;
  readonly snapshotJson: string;
  readonly sequence: number;
  readonly deadlineAt: number | null;
  readonly updatedAt: number;
}

const COLUMNS = '"kind", "machineVersion", "status", "processGroup", "stateValue", "snapshot", "sequence", "deadlineAt", "updatedAt"';
const SELECT = new Sql(`SELECT "actorId", ${COLUMNS} FROM "actor_snapshot" WHERE "actorId" = ?`);
const UPSERT_SET = ['kind', 'machineVersion', 'status', 'processGroup', 'stateValue', 'snapshot', 'sequence', 'deadlineAt', 'updatedAt'].map((column) => `"${column}" = excluded."${column}"`).join(', ');
/** Rows per upsert statement. */
const MAX_ROWS = 50;
const upserts = new Map<number, Sql>();

interface StoredRow {
  actorId: string;
  kind: string;
  machineVersion: number | string;
  status: ActorStatus;
  processGroup: string | null;
  stateValue: string;
  snapshot: string;
  sequence: number | string;
  deadlineAt: number | string | null;
  updatedAt: number | string;
}

export async function readActorSnapshot(target: SqlTarget, actorId: string): Promise<ActorSnapshotRow | null> {
  const [row] = await select<StoredRow>(target, SELECT, [actorId]);
  if (row === undefined) return null;
  return {
    actorId: row.actorId,
    kind: row.kind,
    machineVersion: numberOf(row.machineVersion),
    status: row.status,
    processGroup: row.processGroup,
    stateValue: row.stateValue,
    snapshotJson: row.snapshot,
    sequence: numberOf(row.sequence),
    deadlineAt: numberOrNull(row.deadlineAt),
    updatedAt: numberOf(row.updatedAt),
  };
}

const upsert = new MultiRowStatement(
  MAX_ROWS,
  (rows) => `INSERT INTO "actor_snapshot" ("actorId", ${COLUMNS}) VALUES ${rowPlaceholders(rows, 10)} ON CONFLICT ("actorId") DO UPDATE SET ${UPSERT_SET}`,
  (row: ActorSnapshotRow) => [row.actorId, row.kind, row.machineVersion, row.status, row.processGroup, row.stateValue, row.snapshotJson, row.sequence, row.deadlineAt, row.updatedAt],
);

/**
 * The statements that write the snapshots of several actors, inserting or updating each. An actor named twice keeps
 * its last row (one statement may not update a row twice).
 */
export function actorSnapshotStatements(rows: readonly ActorSnapshotRow[]): BoundStatement[] {
  const lastOf = new Map<string, ActorSnapshotRow>();
  for (const row of rows) {
    lastOf.delete(row.actorId);
    lastOf.set(row.actorId, row);
  }
  return upsert.statements([...lastOf.values()]);
}
