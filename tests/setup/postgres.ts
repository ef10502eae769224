/**
 * Starts one real PostgreSQL server for the test run (src/postgres/local-server.ts, the same code as
 * `cruddur-ddb local --postgres`): a cluster in a temporary folder, a free port on 127.0.0.1, trust
 * authentication, as the postgres user when root. Tests read the superuser URL from
 * POSTGRES_TEST_URL and make their own database with tests/helpers/postgres.ts.
 */
import { freePort } from '../../src/aws/local-dynamodb.js';
import { startPostgres, type LocalPostgres } from '../../src/postgres/local-server.js';

let server: LocalPostgres | undefined;

export async function setup(): Promise<void> {
  server = await startPostgres({ port: await freePort() });
  process.env.POSTGRES_TEST_URL = server.url;
}

export async function teardown(): Promise<void> {
  await server?.stop();
}
