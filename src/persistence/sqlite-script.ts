import type { DataSource } from 'typeorm';
import type sqlite3 from 'sqlite3';
import type { Sql, SqlValue } from './raw-sql.js';

/** A statement and the values for its placeholders. */
export interface BoundStatement {
  readonly statement: Sql;
  readonly params: readonly SqlValue[];
}

/**
 * A value as an SQLite literal. Strings are quoted with their quotes doubled (SQLite has no other escapes); a string
 * holding a NUL, which would end the script early, is written as the text of its UTF-8 bytes in hex.
 */
export function sqliteLiteral(value: SqlValue): string {
  if (value === null) return 'NULL';
  if (typeof value === 'number') {
    if (!Number.isFinite(value)) throw new RangeError(`${value} has no SQL literal`);
    return String(value);
  }
  if (value.includes('\u0000')) return `CAST(X'${Buffer.from(value, 'utf8').toString('hex')}' AS TEXT)`;
  return `'${value.replaceAll("'", "''")}'`;
}

/** The statement with its values written in; the SQL text of a bound statement has no `?` other than placeholders. */
export function renderSqlite({ statement, params }: BoundStatement): string {
  const parts = statement.sqlite.split('?');
  if (parts.length !== params.length + 1) throw new RangeError(`${params.length} values for ${parts.length - 1} placeholders`);
  let text = parts[0] as string;
  for (let index = 0; index < params.length; index += 1) text += sqliteLiteral(params[index] as SqlValue) + (parts[index + 1] as string);
  return text;
}

/**
 * Runs statements as one script: one trip to SQLite's worker thread, however many statements. For the write path,
 * where every trip waits for the main thread to come round to it; the script stops at the first failing statement.
 */
export function execSqliteScript(dataSource: DataSource, statements: readonly BoundStatement[]): Promise<void> {
  const database = (dataSource.driver as unknown as { databaseConnection: sqlite3.Database }).databaseConnection;
  const script = statements.map((bound) => `${renderSqlite(bound)};`).join('\n');
  return new Promise<void>((resolve, reject) => {
    database.exec(script, (error: Error | null) => (error === null ? resolve() : reject(error)));
  });
}
