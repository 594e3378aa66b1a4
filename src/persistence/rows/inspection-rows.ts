import { numberOf, rowPlaceholders, select, Sql, type SqlTarget, type SqlValue } from '../raw-sql.js';
import type { BoundStatement } from '../sqlite-script.js';

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
const returning = new Map<number, Sql>();
const numbered = new Map<number, Sql>();
/** The highest sequence number ever given, also of rows since deleted (AUTOINCREMENT never gives one twice). */
const LAST_SEQ = new Sql(
  `SELECT MAX(COALESCE((SELECT MAX("seq") FROM "inspection_event"), 0), COALESCE((SELECT "seq" FROM "sqlite_sequence" WHERE "name" = 'inspection_event'), 0)) AS "seq"`,
);

function cached(statements: Map<number, Sql>, count: number, render: () => string): Sql {
  let statement = statements.get(count);
  if (statement === undefined) {
    statement = new Sql(render());
    statements.set(count, statement);
  }
  return statement;
}

const valuesOf = (record: InspectionRowValues): SqlValue[] => [record.processGroup, record.actorId, record.kind, record.type, JSON.stringify(record.detail), record.at];

/**
 * Inserts trace rows, one statement per hundred, and gives their generated sequence numbers in the order of `records`.
 * Both databases number the rows of one INSERT in VALUES order; RETURNING's own order is not promised, so it is sorted.
 */
export async function insertInspectionRows(target: SqlTarget, records: readonly InspectionRowValues[]): Promise<number[]> {
  const seqs: number[] = [];
  for (let start = 0; start < records.length; start += MAX_ROWS) {
    const chunk = records.slice(start, start + MAX_ROWS);
    const statement = cached(returning, chunk.length, () => `INSERT INTO "inspection_event" (${COLUMNS}) VALUES ${rowPlaceholders(chunk.length, 6)} RETURNING "seq"`);
    const rows = await select<{ seq: number | string }>(target, statement, chunk.flatMap(valuesOf));
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
  const statements: BoundStatement[] = [];
  for (let start = 0; start < records.length; start += MAX_ROWS) {
    const chunk = records.slice(start, start + MAX_ROWS);
    const statement = cached(numbered, chunk.length, () => `INSERT INTO "inspection_event" ("seq", ${COLUMNS}) VALUES ${rowPlaceholders(chunk.length, 7)}`);
    statements.push({ statement, params: chunk.flatMap((record, index) => [firstSeq + start + index, ...valuesOf(record)]) });
  }
  return statements;
}
