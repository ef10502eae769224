/** A fresh database per test file, with Cruddur's `public.users` table, on the test run's PostgreSQL. */
import { randomBytes } from 'node:crypto';
import pg from 'pg';
// Cruddur's users table, as the backend's schema.sql creates it (shared with `cruddur-ddb local --postgres`).
import { USERS_TABLE_SQL } from '../../src/postgres/users.js';

export { USERS_TABLE_SQL };

export function postgresUrl(): string {
  const url = process.env.POSTGRES_TEST_URL;
  if (!url) throw new Error('POSTGRES_TEST_URL is not set: run the tests through vitest (tests/setup/postgres.ts)');
  return url;
}

/** Creates a new database (with the users table unless `withUsers` is false) and returns its URL. */
export async function freshDatabase(options: { withUsers?: boolean } = {}): Promise<string> {
  const name = `test_${randomBytes(6).toString('hex')}`;
  const admin = new pg.Client({ connectionString: postgresUrl() });
  await admin.connect();
  try {
    await admin.query(`CREATE DATABASE ${name}`);
  } finally {
    await admin.end();
  }
  const url = postgresUrl().replace(/\/postgres$/, `/${name}`);
  if (options.withUsers !== false) await query(url, USERS_TABLE_SQL);
  return url;
}

/** Runs one statement on a database and returns its rows. */
export async function query<T extends pg.QueryResultRow = pg.QueryResultRow>(url: string, text: string, values: unknown[] = []): Promise<T[]> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    return (await client.query<T>(text, values)).rows;
  } finally {
    await client.end();
  }
}
