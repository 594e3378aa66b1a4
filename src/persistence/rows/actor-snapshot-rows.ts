import type { ActorStatus } from '../entities/actor-snapshot.entity.js';
import { numberOf, numberOrNull, rowPlaceholders, select, Sql, type SqlTarget, type SqlValue } from '../raw-sql.js';
import type { BoundStatement } from '../sqlite-script.js';

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

function upsertOf(count: number): Sql {
  let statement = upserts.get(count);
  if (statement === undefined) {
    statement = new Sql(`INSERT INTO "actor_snapshot" ("actorId", ${COLUMNS}) VALUES ${rowPlaceholders(count, 10)} ON CONFLICT ("actorId") DO UPDATE SET ${UPSERT_SET}`);
    upserts.set(count, statement);
  }
  return statement;
}

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
  const unique = [...lastOf.values()];
  const statements: BoundStatement[] = [];
  for (let start = 0; start < unique.length; start += MAX_ROWS) {
    const chunk = unique.slice(start, start + MAX_ROWS);
    const params: SqlValue[] = [];
    for (const row of chunk) params.push(row.actorId, row.kind, row.machineVersion, row.status, row.processGroup, row.stateValue, row.snapshotJson, row.sequence, row.deadlineAt, row.updatedAt);
    statements.push({ statement: upsertOf(chunk.length), params });
  }
  return statements;
}
