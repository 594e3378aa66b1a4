import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DataSource } from 'typeorm';
import { quietSqlite } from './data-source.js';
import { execute, placeholders, rowPlaceholders, select, Sql } from './raw-sql.js';
import { execSqliteScript, renderSqlite, sqliteLiteral } from './sqlite-script.js';

describe('raw SQL', () => {
  let folder: string;
  let dataSource: DataSource;

  beforeEach(async () => {
    folder = mkdtempSync(join(tmpdir(), 'tessera-raw-sql-'));
    dataSource = new DataSource({ type: 'sqlite', database: join(folder, 'db.sqlite'), driver: quietSqlite, entities: [], logging: false });
    await dataSource.initialize();
    await dataSource.query('CREATE TABLE "item" ("id" varchar PRIMARY KEY NOT NULL, "value" text, "n" bigint)');
  });

  afterEach(async () => {
    if (dataSource.isInitialized) await dataSource.destroy();
    rmSync(folder, { recursive: true, force: true });
  });

  it('numbers the placeholders for PostgreSQL and keeps them for SQLite', () => {
    const statement = new Sql(`INSERT INTO "item" VALUES ${rowPlaceholders(2, 3)}`);
    expect(statement.sqlite).toBe('INSERT INTO "item" VALUES (?, ?, ?), (?, ?, ?)');
    expect(statement.postgres).toBe('INSERT INTO "item" VALUES ($1, $2, $3), ($4, $5, $6)');
    expect(placeholders(0)).toBe('');
  });

  it('runs prepared statements, reports changed rows, and still closes the connection', async () => {
    const insert = new Sql('INSERT INTO "item" ("id", "value", "n") VALUES (?, ?, ?) ON CONFLICT ("id") DO NOTHING');
    expect((await execute(dataSource, insert, ['a', 'x', 1])).changes).toBe(1);
    expect((await execute(dataSource, insert, ['a', 'y', 2])).changes).toBe(0);
    expect(await select(dataSource, new Sql('SELECT "id", "value", "n" FROM "item" WHERE "id" = ?'), ['a'])).toEqual([{ id: 'a', value: 'x', n: 1 }]);
    await dataSource.destroy();
    expect(dataSource.isInitialized).toBe(false);
  });

  it('reports a statement that does not prepare as a query failure, and keeps working', async () => {
    await expect(select(dataSource, new Sql('SELECT "id" FROM "missing"'), [])).rejects.toThrow(/no such table/);
    expect(await select(dataSource, new Sql('SELECT COUNT(*) AS "count" FROM "item"'), [])).toEqual([{ count: 0 }]);
  });

  it('writes values into a script literally, quotes and NULs included', async () => {
    expect(sqliteLiteral(null)).toBe('NULL');
    expect(sqliteLiteral(12)).toBe('12');
    expect(sqliteLiteral("it's")).toBe("'it''s'");
    expect(() => sqliteLiteral(Number.NaN)).toThrow(RangeError);
    const insert = new Sql('INSERT INTO "item" ("id", "value", "n") VALUES (?, ?, ?)');
    expect(() => renderSqlite({ statement: insert, params: ['a'] })).toThrow(RangeError);
    const tricky = ["'); DROP TABLE \"item\"; --", 'nul\u0000inside', 'ünïcødé ✓'];
    await execSqliteScript(dataSource, [
      { statement: new Sql('BEGIN'), params: [] },
      ...tricky.map((value, index) => ({ statement: insert, params: [`k${index}`, value, 1_767_225_600_000 + index] })),
      { statement: new Sql('COMMIT'), params: [] },
    ]);
    const rows = await select<{ value: string; n: number }>(dataSource, new Sql('SELECT "value", "n" FROM "item" ORDER BY "id"'), []);
    expect(rows).toEqual(tricky.map((value, index) => ({ value, n: 1_767_225_600_000 + index })));
  });

  it('stops a script at its first failing statement', async () => {
    const insert = new Sql('INSERT INTO "item" ("id", "value", "n") VALUES (?, ?, ?)');
    await expect(execSqliteScript(dataSource, [{ statement: insert, params: ['a', 'x', 1] }, { statement: insert, params: ['a', 'y', 2] }, { statement: insert, params: ['b', 'z', 3] }])).rejects.toThrow(/UNIQUE/);
    expect(await select(dataSource, new Sql('SELECT "id" FROM "item" ORDER BY "id"'), [])).toEqual([{ id: 'a' }]);
  });
});
