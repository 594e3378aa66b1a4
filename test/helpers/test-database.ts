import { randomBytes } from 'node:crypto';
import pg from 'pg';

/**
 * The database a test world runs on: SQLite in the world's folder by default, or a fresh PostgreSQL database when
 * TESSERA_TEST_DATABASE_URL points at a server (CI runs the integration suite both ways).
 */
export async function createTestDatabase(): Promise<{ url: string | null; drop(): Promise<void> }> {
  const server = process.env['TESSERA_TEST_DATABASE_URL'];
  if (server === undefined || server === '') return { url: null, drop: async () => undefined };
  const name = `tessera_test_${randomBytes(6).toString('hex')}`;
  const admin = new pg.Client({ connectionString: server });
  await admin.connect();
  await admin.query(`CREATE DATABASE ${name}`);
  await admin.end();
  const url = new URL(server);
  url.pathname = `/${name}`;
  return {
    url: url.toString(),
    drop: async () => {
      const client = new pg.Client({ connectionString: server });
      await client.connect();
      await client.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      await client.end();
    },
  };
}
