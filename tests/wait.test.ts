/** `cruddur-ddb wait [table]` against the test run's DynamoDB Local, a closed port and an HTML page. */
import { createServer } from 'node:http';
import { CreateTableCommand } from '@aws-sdk/client-dynamodb';
import { describe, expect, it } from 'vitest';
import { freePort } from '../src/local/ports.js';
import { dynamoUrl, oneLineError, run, tableName, testClient } from './helpers/cli.js';

describe('wait', () => {
  it('returns as soon as a table created meanwhile is ACTIVE with its index: one JSON line', async () => {
    const table = tableName('wait');
    const waiting = run(['wait', table, '--timeout', '30', '-o', 'json']);
    await new Promise((resolve) => setTimeout(resolve, 300));
    const client = testClient();
    await client.send(
      new CreateTableCommand({
        TableName: table,
        AttributeDefinitions: [
          { AttributeName: 'pk', AttributeType: 'S' },
          { AttributeName: 'g', AttributeType: 'S' },
        ],
        KeySchema: [{ AttributeName: 'pk', KeyType: 'HASH' }],
        GlobalSecondaryIndexes: [{ IndexName: 'by-g', KeySchema: [{ AttributeName: 'g', KeyType: 'HASH' }], Projection: { ProjectionType: 'ALL' } }],
        BillingMode: 'PAY_PER_REQUEST',
      }),
    );
    client.destroy();
    const result = await waiting;
    expect(result.code, result.stderr).toBe(0);
    expect(result.stdout.endsWith('\n') && result.stdout.trimEnd().split('\n')).toHaveLength(1);
    const line = JSON.parse(result.stdout) as Record<string, unknown>;
    expect(Object.keys(line).sort()).toEqual(['endpoint', 'indexes', 'ready', 'seconds', 'status', 'stream', 'table']);
    expect(line).toMatchObject({ table, endpoint: dynamoUrl(), ready: true, status: 'ACTIVE', indexes: 1, stream: false });
    // It waited: the table did not exist when wait started (its clock starts after the command is loaded, so
    // less than the 300 ms the test slept: only that some time passed is certain).
    expect(line.seconds as number).toBeGreaterThan(0);
  });

  it('--stream waits for the stream too; read-only, so prod needs no --yes', async () => {
    const table = tableName('wait');
    expect((await run(['schema-load', table])).code).toBe(0);
    const result = await run(['wait', table, '--stream', '--env', 'prod', '--endpoint-url', dynamoUrl(), '--region', 'us-east-1', '-o', 'json'], {
      env: { AWS_ACCESS_KEY_ID: 'cruddurlocal', AWS_SECRET_ACCESS_KEY: 'cruddurlocal' },
    });
    expect(result.code, result.stderr).toBe(0);
    expect(JSON.parse(result.stdout)).toMatchObject({ table, stream: true, indexes: 1 });
  });

  it('a table that never appears: wait.timeout, exit 124, after --timeout', async () => {
    const started = Date.now();
    // 5 s: on a busy machine one DescribeTable can take a second, and the message names the last thing seen.
    const result = await run(['wait', tableName('never'), '--timeout', '5', '-o', 'json']);
    expect(result.code).toBe(124);
    expect(Date.now() - started).toBeLessThan(15_000);
    const error = JSON.parse(result.stderr) as { code: string; message: string };
    expect(error.code).toBe('wait.timeout');
    expect(error.message).toMatch(/^Not ready after 5 s at .*: still waiting for table never-\w+ to exist$/);
  });

  it('a closed port: wait.timeout naming the endpoint (it may come up: wait keeps looking until --timeout)', async () => {
    const url = `http://127.0.0.1:${await freePort()}`;
    const result = await run(['wait', '--timeout', '1', '--endpoint-url', url], { local: false });
    expect(result.code).toBe(124);
    expect(oneLineError(result)).toMatch(new RegExp(`^error\\[wait\\.timeout\\]: Not ready after 1 s at ${url}: still waiting for the endpoint to answer`));
  });

  it('an HTML page where DynamoDB should be: endpoint.not_dynamodb at once, exit 1', async () => {
    const server = createServer((_request, response) => response.writeHead(200, { 'content-type': 'text/html' }).end('<html><body>hello</body></html>'));
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const url = `http://127.0.0.1:${(server.address() as { port: number }).port}`;
    try {
      const started = Date.now();
      const result = await run(['wait', '--timeout', '30', '--endpoint-url', url], { local: false });
      expect(result.code).toBe(1);
      expect(Date.now() - started).toBeLessThan(10_000);
      expect(oneLineError(result)).toMatch(/^error\[endpoint\.not_dynamodb\]/);
    } finally {
      server.close();
    }
  });
});
