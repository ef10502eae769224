/**
 * Starts one real cognito-local for the test run (src/cognito/local-server.ts, the same code as
 * `cruddur-ddb local --cognito`), on a free port, its pools in a temporary folder. Tests read its URL
 * from COGNITO_TEST_URL and make their own pool with tests/helpers/cognito.ts.
 */
import { freePort } from '../../src/aws/local-dynamodb.js';
import { startCognitoLocal, type LocalCognito } from '../../src/cognito/local-server.js';

let server: LocalCognito | undefined;

export async function setup(): Promise<void> {
  server = await startCognitoLocal({ port: await freePort(), env: process.env });
  process.env.COGNITO_TEST_URL = server.url;
}

export async function teardown(): Promise<void> {
  await server?.stop();
}
