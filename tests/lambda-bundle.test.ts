/**
 * The deployable bundle (`npm run build:lambda`): one ESM file whose `handler` runs the fixture event
 * against DynamoDB Local in a fresh Node process, configured the way Lambda configures it: the table
 * from DDB_MESSAGE_TABLE, the endpoint from the SDK's own AWS_ENDPOINT_URL_DYNAMODB.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { beforeAll, describe, expect, it } from 'vitest';
import { dynamoUrl, testClient } from './helpers/cli.js';
import { A, both, FIXTURE, groups, t, tableWithGroups } from './helpers/stream.js';

const root = fileURLToPath(new URL('..', import.meta.url));
const bundle = `${root}dist/lambda/messaging-stream.mjs`;

beforeAll(() => {
  execFileSync(process.execPath, [`${root}scripts/build-lambda.mjs`], { stdio: 'pipe' });
});

describe('the Lambda bundle', () => {
  it('is one file exporting handler, zipped at the archive root', () => {
    expect(existsSync(bundle)).toBe(true);
    const listing = execFileSync('python3', ['-m', 'zipfile', '-l', `${root}dist/lambda/messaging-stream.zip`], { encoding: 'utf8' });
    expect(listing).toMatch(/^messaging-stream\.mjs\s/m);
  });

  it('moves the group items when Lambda calls handler(event)', async () => {
    const client = testClient();
    const table = await tableWithGroups(client);
    const script = `
      import { readFileSync } from 'node:fs';
      const { handler } = await import(${JSON.stringify(bundle)});
      const event = JSON.parse(readFileSync(${JSON.stringify(fileURLToPath(FIXTURE))}, 'utf8'));
      process.stdout.write('RESULT ' + JSON.stringify(await handler(event)) + '\\n');`;
    const env: NodeJS.ProcessEnv = {
      PATH: process.env.PATH,
      AWS_ENDPOINT_URL_DYNAMODB: dynamoUrl(),
      AWS_REGION: 'us-east-1',
      AWS_ACCESS_KEY_ID: 'cruddurlocal',
      AWS_SECRET_ACCESS_KEY: 'cruddurlocal',
      AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true',
      DDB_MESSAGE_TABLE: table,
    };
    const child = spawnSync(process.execPath, ['--input-type=module', '-e', script], { env, encoding: 'utf8' });
    expect(child.stderr).toBe('');
    expect(child.status).toBe(0);
    expect(JSON.parse(/^RESULT (.*)$/m.exec(child.stdout)![1]!)).toEqual({ batchItemFailures: [] });
    // The summary line Lambda writes to CloudWatch Logs.
    expect(child.stdout).toContain(`"table":"${table}","records":7,"messages":4,"conversations":2,"moved":2`);
    expect(await groups(client, table, A)).toEqual(both(t('03.500000'), 'third, the latest of A'));
  });
});
