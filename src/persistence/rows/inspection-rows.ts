import { numberOf, rowPlaceholders, select, Sql, type SqlTarget, type SqlValue } from '../raw-sql.js';
import type { BoundStatement } from '../sqlite-script.js';
import { MultiRowStatement } from './multi-row-statement.js';

export interface InspectionRowValues {
  readonly processGroup: string;
  readonly actorId: string;
  readonly kind: string;
  readonly type: string;
  readonly detail: Record<string, unknown>;
  readonly at: number;
}

const COLUMNS = '"processGroup", "actorId", "kind", "type", "detail", "at"';
/** Rows per INSERT: a buffered flush can hold hundreds; SQLite binds at most 32,766 values per statement. */
const MAX_ROWS = 100;
/** The highest sequence number ever given, also of rows since deleted (AUTOINCREMENT never gives one twice). */
const LAST_SEQ = new Sql(
  `SELECT MAX(COALESCE((SELECT MAX("seq") FROM "inspection_event"), 0), COALESCE((SELECT "seq" FROM "sqlite_sequence" WHERE "name" = 'inspection_event'), 0)) AS "seq"`,
);

const valuesOf = (record: InspectionRowValues): SqlValue[] => [record.processGroup, record.actorId, record.kind, record.type, JSON.stringify(record.detail), record.at];
const insertReturning = new MultiRowStatement(MAX_ROWS, (rows) => `INSERT INTO "inspection_event" (${COLUMNS}) VALUES ${rowPlaceholders(rows, 6)} RETURNING "seq"`, valuesOf);
const insertNumbered = new MultiRowStatement(
  MAX_ROWS,
  (rows) => `INSERT INTO "inspection_event" ("seq", ${COLUMNS}) VALUES ${rowPlaceholders(rows, 7)}`,
  ({ seq, record }: { readonly seq: number; readonly record: InspectionRowValues }) => [seq, ...valuesOf(record)],
);

/**
 * Inserts trace rows, one statement per hundred, and gives their generated sequence numbers in the order of `records`.
 * Both databases number the rows of one INSERT in VALUES order; RETURNING's own order is not promised, so it is sorted.
 */
export async function insertInspectionRows(target: SqlTarget, records: readonly InspectionRowValues[]): Promise<number[]> {
  const seqs: number[] = [];
  for (const { statement, params } of insertReturning.statements(records)) {
    const rows = await select<{ seq: number | string }>(target, statement, params);
    seqs.push(...rows.map((row) => numberOf(row.seq)).sort((a, b) => a - b));
  }
  return seqs;
}

/** SQLite, where one process writes: the last sequence number given, to number new rows from. */
export async function lastInspectionSeq(target: SqlTarget): Promise<number> {
  const [row] = await select<{ seq: number | string | null }>(target, LAST_SEQ, []);
  return numberOf(row?.seq ?? 0);
}

/** Statements that insert trace rows numbered `firstSeq`, `firstSeq + 1`, ... in order. */
export function numberedInspectionStatements(records: readonly InspectionRowValues[], firstSeq: number): BoundStatement[] {
  return insertNumbered.statements(records.map((record, index) => ({ seq: firstSeq + index, record })));
}
