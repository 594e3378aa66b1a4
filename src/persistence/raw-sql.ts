import { QueryFailedError, type DataSource, type EntityManager, type QueryRunner } from 'typeorm';
import type sqlite3 from 'sqlite3';

/** What a statement binds: both drivers take these as they are. */
export type SqlValue = string | number | null;

/**
 * SQL text written once with `?` placeholders, rendered for each dialect when it is made (PostgreSQL numbers them).
 * Hot paths use these instead of TypeORM's query builder, which rebuilds and re-escapes the SQL text on every call.
 */
export class Sql {
  readonly postgres: string;

  constructor(readonly sqlite: string) {
    let index = 0;
    this.postgres = sqlite.replace(/\?/g, () => `$${(index += 1)}`);
  }
}

/** `?, ?, ?` for `count` values. */
export const placeholders = (count: number): string => Array.from({ length: count }, () => '?').join(', ');

/** `(?, ?), (?, ?)`: `rows` rows of `columns` values, for a multi-row INSERT. */
export const rowPlaceholders = (rows: number, columns: number): string => Array.from({ length: rows }, () => `(${placeholders(columns)})`).join(', ');

/** A data source, or the entity manager of a transaction (whose statements must run on its connection). */
export type SqlTarget = DataSource | EntityManager;

export interface RunResult {
  /** Rows the statement changed. */
  readonly changes: number;
}

type SqliteDatabase = sqlite3.Database;
type SqliteStatement = sqlite3.Statement;

const preparedByDatabase = new WeakMap<SqliteDatabase, Map<string, Promise<SqliteStatement>>>();

const dataSourceOf = (target: SqlTarget): DataSource => ('manager' in target ? target : target.connection);

/**
 * TypeORM's SQLite driver has one connection, shared by every query runner: a statement run on it directly is part
 * of whatever transaction the write lock has open on it. Statements are prepared once and kept, so a call is one trip
 * to the worker thread instead of TypeORM's prepare-run-finalize on a new statement each time.
 */
function preparedStatement(dataSource: DataSource, text: string): Promise<SqliteStatement> {
  const driver = dataSource.driver as unknown as { databaseConnection: SqliteDatabase; disconnect: () => Promise<void> };
  const database = driver.databaseConnection;
  let prepared = preparedByDatabase.get(database);
  if (prepared === undefined) {
    const statements = new Map<string, Promise<SqliteStatement>>();
    prepared = statements;
    preparedByDatabase.set(database, statements);
    // SQLite refuses to close a connection with statements still prepared on it.
    const disconnect = driver.disconnect.bind(driver);
    driver.disconnect = async () => {
      const open = await Promise.allSettled(statements.values());
      statements.clear();
      await Promise.all(open.map((result) => (result.status === 'fulfilled' ? new Promise<void>((resolve) => result.value.finalize(() => resolve())) : undefined)));
      await disconnect();
    };
  }
  let statement = prepared.get(text);
  if (statement === undefined) {
    const statements = prepared;
    statement = new Promise<SqliteStatement>((resolve, reject) => {
      const created: SqliteStatement = database.prepare(text, (error: Error | null) => {
        if (error === null) return resolve(created);
        statements.delete(text);
        reject(error);
      });
    });
    prepared.set(text, statement);
  }
  return statement;
}

async function preparedOrFailed(dataSource: DataSource, text: string, params: readonly SqlValue[]): Promise<SqliteStatement> {
  try {
    return await preparedStatement(dataSource, text);
  } catch (error) {
    throw new QueryFailedError(text, [...params], error as Error);
  }
}

async function onPostgres<T>(target: SqlTarget, work: (runner: QueryRunner) => Promise<T>): Promise<T> {
  const manager = 'manager' in target ? undefined : target;
  if (manager?.queryRunner !== undefined) return work(manager.queryRunner);
  const runner = dataSourceOf(target).createQueryRunner();
  try {
    return await work(runner);
  } finally {
    await runner.release();
  }
}

/** Runs an INSERT, UPDATE or DELETE. On SQLite the caller holds the write lock (or runs inside `transaction`). */
export async function execute(target: SqlTarget, statement: Sql, params: readonly SqlValue[]): Promise<RunResult> {
  const dataSource = dataSourceOf(target);
  if (dataSource.options.type !== 'sqlite') {
    return onPostgres(target, async (runner) => ({ changes: (await runner.query(statement.postgres, [...params], true)).affected ?? 0 }));
  }
  const prepared = await preparedOrFailed(dataSource, statement.sqlite, params);
  return new Promise<RunResult>((resolve, reject) => {
    prepared.run(params, function (this: sqlite3.RunResult, error: Error | null) {
      if (error !== null) reject(new QueryFailedError(statement.sqlite, [...params], error));
      else resolve({ changes: this.changes });
    });
  });
}

/** Runs a SELECT (or a statement with RETURNING) and gives its rows. */
export async function select<Row>(target: SqlTarget, statement: Sql, params: readonly SqlValue[]): Promise<Row[]> {
  const dataSource = dataSourceOf(target);
  if (dataSource.options.type !== 'sqlite') {
    return onPostgres(target, async (runner) => (await runner.query(statement.postgres, [...params], true)).records as Row[]);
  }
  const prepared = await preparedOrFailed(dataSource, statement.sqlite, params);
  return new Promise<Row[]>((resolve, reject) => {
    prepared.all(params, (error: Error | null, rows: Row[]) => {
      if (error !== null) reject(new QueryFailedError(statement.sqlite, [...params], error));
      else resolve(rows);
    });
  });
}

/** Runs bound statements one after the other (in the caller's transaction, if any). */
export async function executeAll(target: SqlTarget, statements: readonly { readonly statement: Sql; readonly params: readonly SqlValue[] }[]): Promise<void> {
  for (const { statement, params } of statements) await execute(target, statement, params);
}

/** PostgreSQL gives bigint columns as strings; milliseconds and sequence numbers fit a JS number. */
export const numberOf = (value: unknown): number => Number(value);

export const numberOrNull = (value: unknown): number | null => (value === null || value === undefined ? null : Number(value));
