import { rowPlaceholders, select, Sql, type SqlTarget } from '../raw-sql.js';
import type { BoundStatement } from '../sqlite-script.js';
import { MultiRowStatement } from './multi-row-statement.js';

const SELECT = new Sql('SELECT "result" FROM "task_result" WHERE "taskKey" = ?');

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

const insert = new MultiRowStatement(
  50,
  (rows) => `INSERT INTO "task_result" ("taskKey", "result", "completedAt") VALUES ${rowPlaceholders(rows, 3)}`,
  (row: TaskResultValues) => [row.taskKey, JSON.stringify(row.result), row.completedAt],
);

export function taskResultStatements(results: readonly TaskResultValues[]): BoundStatement[] {
  return insert.statements(results);
}
