import { rowPlaceholders, select, Sql, type SqlTarget, type SqlValue } from '../raw-sql.js';
import type { BoundStatement } from '../sqlite-script.js';

const SELECT = new Sql('SELECT "result" FROM "task_result" WHERE "taskKey" = ?');
const MAX_ROWS = 50;
const inserts = new Map<number, Sql>();

export interface TaskResultValues {
  readonly taskKey: string;
  readonly result: unknown;
  readonly completedAt: number;
}

/** The stored result of a keyed task, or undefined if it has not completed. */
export async function readTaskResult(target: SqlTarget, taskKey: string): Promise<unknown> {
  const [row] = await select<{ result: string }>(target, SELECT, [taskKey]);
  return row === undefined ? undefined : (JSON.parse(row.result) as unknown);
}

export function taskResultStatements(results: readonly TaskResultValues[]): BoundStatement[] {
  const statements: BoundStatement[] = [];
  for (let start = 0; start < results.length; start += MAX_ROWS) {
    const chunk = results.slice(start, start + MAX_ROWS);
    let statement = inserts.get(chunk.length);
    if (statement === undefined) {
      statement = new Sql(`INSERT INTO "task_result" ("taskKey", "result", "completedAt") VALUES ${rowPlaceholders(chunk.length, 3)}`);
      inserts.set(chunk.length, statement);
    }
    const values: SqlValue[] = [];
    for (const row of chunk) values.push(row.taskKey, JSON.stringify(row.result), row.completedAt);
    statements.push({ statement, params: values });
  }
  return statements;
}
