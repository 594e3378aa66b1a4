import { Sql, type SqlValue } from '../raw-sql.js';
import type { BoundStatement } from '../sqlite-script.js';

/**
 * A statement that writes up to `maxRows` rows at once (a multi-row INSERT or upsert), rendered once per row count and
 * kept, so that a batch of N rows costs ceil(N / maxRows) statements whose text is never rebuilt.
 */
export class MultiRowStatement<T> {
  private readonly byCount = new Map<number, Sql>();

  constructor(
    private readonly maxRows: number,
    private readonly render: (rows: number) => string,
    private readonly values: (row: T) => readonly SqlValue[],
  ) {}

  /** The statement for exactly `rows` rows. */
  sql(rows: number): Sql {
    let statement = this.byCount.get(rows);
    if (statement === undefined) {
      statement = new Sql(this.render(rows));
      this.byCount.set(rows, statement);
    }
    return statement;
  }

  /** The bound statements that write `rows`, in order, `maxRows` at a time. */
  statements(rows: readonly T[]): BoundStatement[] {
    const statements: BoundStatement[] = [];
    for (let start = 0; start < rows.length; start += this.maxRows) {
      const chunk = rows.slice(start, start + this.maxRows);
      statements.push({ statement: this.sql(chunk.length), params: chunk.flatMap((row) => this.values(row)) });
    }
    return statements;
  }
}
