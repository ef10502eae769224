/** The table admin commands through the built binary, against the real DynamoDB Local. */
import { BatchWriteItemCommand, DescribeTableCommand } from '@aws-sdk/client-dynamodb';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CLI, cleanEnv, dynamoUrl, oneLineError, run, tableName, testClient } from './helpers/cli.js';

const client = testClient();

describe('schema-load', () => {
  it('creates the table exactly as the data model says, and a second run says it exists', async () => {
    const table = tableName();
    const first = await run(['schema-load', table, '-o', 'json']);
    expect(first.code).toBe(0);
    expect(JSON.parse(first.stdout)).toMatchObject({ table, created: true, matches: true, status: 'ACTIVE', billing: 'on-demand' });
    const { Table } = await client.send(new DescribeTableCommand({ TableName: table }));
    expect(Table?.KeySchema).toEqual([
      { AttributeName: 'pk', KeyType: 'HASH' },
      { AttributeName: 'sk', KeyType: 'RANGE' },
    ]);
    expect(Table?.GlobalSecondaryIndexes?.[0]).toMatchObject({
      IndexName: 'message-group-sk-index',
      KeySchema: [
        { AttributeName: 'message_group_uuid', KeyType: 'HASH' },
        { AttributeName: 'sk', KeyType: 'RANGE' },
      ],
      Projection: { ProjectionType: 'ALL' },
    });
    expect(Table?.StreamSpecification).toEqual({ StreamEnabled: true, StreamViewType: 'NEW_IMAGE' });

    const second = await run(['schema-load', table, '-o', 'json']);
    expect(second.code).toBe(0);
    expect(JSON.parse(second.stdout)).toMatchObject({ created: false, matches: true });
    expect(second.stderr).toMatch(/already exists .* matches/);
  });

  it('takes the table from --table, and provisions 5/5 on table and index', async () => {
    const table = tableName();
    const result = await run(['schema-load', '--table', table, '--billing', 'provisioned', '-o', 'json']);
    expect(result.code).toBe(0);
    expect(JSON.parse(result.stdout)).toMatchObject({ table, billing: 'provisioned 5/5' });
    const { Table } = await client.send(new DescribeTableCommand({ TableName: table }));
    expect(Table?.GlobalSecondaryIndexes?.[0]?.ProvisionedThroughput).toMatchObject({ ReadCapacityUnits: 5, WriteCapacityUnits: 5 });
  });

  it('fails (exit 1) on a same-named table of another shape, naming the differences', async () => {
    const table = tableName();
    await client.send(
      new (await import('@aws-sdk/client-dynamodb')).CreateTableCommand({
        TableName: table,
        AttributeDefinitions: [{ AttributeName: 'id', AttributeType: 'S' }],
        KeySchema: [{ AttributeName: 'id', KeyType: 'HASH' }],
        BillingMode: 'PAY_PER_REQUEST',
      }),
    );
    const result = await run(['schema-load', table]);
    expect(result.code).toBe(1);
    expect(result.stdout).toBe('');
    expect(oneLineError(result)).toMatch(/^error\[table\.shape_differs\]: Table \S+ already exists in local but differs: key is id:HASH/);
    const json = await run(['schema-load', table, '-o', 'json']);
    expect(JSON.parse(json.stderr)).toMatchObject({ code: 'table.shape_differs' });
  });
});

describe('list-tables, scan and drop', () => {
  const table = tableName('scan');
  const itemCount = 4000; // ~430 bytes each: about 1.7 MB, so more than one 1 MB Scan page

  beforeAll(async () => {
    expect((await run(['schema-load', table])).code).toBe(0);
    const filler = 'x'.repeat(380);
    for (let start = 0; start < itemCount; start += 25) {
      const requests = [];
      for (let i = start; i < Math.min(start + 25, itemCount); i++) {
        requests.push({
          PutRequest: { Item: { pk: { S: `MSG#${i % 7}` }, sk: { S: String(i).padStart(6, '0') }, message: { S: filler }, n: { N: String(i) } } },
        });
      }
      await client.send(new BatchWriteItemCommand({ RequestItems: { [table]: requests } }));
    }
  });

  it('lists every table', async () => {
    const result = await run(['list-tables', '-o', 'json']);
    expect(result.code).toBe(0);
    expect(JSON.parse(result.stdout)).toContain(table);
    expect(result.stderr).toBe('');
  });

  it('scans every page as ndjson, with and without segments, the same items', async () => {
    const keysOf = (stdout: string) =>
      stdout
        .trim()
        .split('\n')
        .map((line) => JSON.parse(line) as { pk: string; sk: string; n: number })
        .map((item) => `${item.pk}/${item.sk}/${item.n}`)
        .sort();
    const one = await run(['scan', table, '-o', 'ndjson']);
    expect(one.code).toBe(0);
    const four = await run(['scan', table, '-o', 'ndjson', '--segments', '4']);
    expect(four.code).toBe(0);
    expect(keysOf(one.stdout)).toHaveLength(itemCount);
    expect(new Set(keysOf(one.stdout)).size).toBe(itemCount);
    expect(keysOf(four.stdout)).toEqual(keysOf(one.stdout));
  });

  it('prints plain values by default and typed JSON with --raw; --limit stops early', async () => {
    const plain = JSON.parse((await run(['scan', table, '--limit', '3', '-o', 'json'])).stdout) as unknown[];
    expect(plain).toHaveLength(3);
    expect(plain[0]).toMatchObject({ pk: expect.stringMatching(/^MSG#/), n: expect.any(Number) });
    const raw = JSON.parse((await run(['scan', table, '--limit', '2', '--raw', '-o', 'json'])).stdout) as unknown[];
    expect(raw).toHaveLength(2);
    expect(raw[0]).toMatchObject({ pk: { S: expect.any(String) }, n: { N: expect.any(String) } });
  });

  it('says in words that an empty table is empty', async () => {
    const empty = tableName();
    await run(['schema-load', empty]);
    const result = await run(['scan', empty, '-o', 'table']);
    expect(result.code).toBe(0);
    expect(result.stdout).toBe('');
    expect(result.stderr).toMatch(/has no items/);
    expect((await run(['scan', empty, '-o', 'json'])).stdout).toBe('[]\n');
  });

  it('drops a table and waits until it is gone', async () => {
    const doomed = tableName();
    await run(['schema-load', doomed]);
    const result = await run(['drop', doomed]);
    expect(result.code).toBe(0);
    expect(result.stderr).toMatch(`Dropped table ${doomed}`);
    expect(JSON.parse((await run(['list-tables', '-o', 'json'])).stdout)).not.toContain(doomed);
  });
});

describe('bad input: one clear line, a meaningful exit code, no stack trace', () => {
  it('an unreachable endpoint names the URL and suggests cruddur-ddb local', async () => {
    const result = await run(['list-tables', '--endpoint-url', 'http://127.0.0.1:9']);
    expect(result.code).toBe(1);
    expect(oneLineError(result)).toMatch(/not answering at http:\/\/127\.0\.0\.1:9.*cruddur-ddb local/);
  });

  it('a missing table names the table and the environment, and suggests schema-load', async () => {
    const result = await run(['scan', 'no-such-table']);
    expect(result.code).toBe(1);
    expect(oneLineError(result)).toMatch(/Table "no-such-table" not found in local .*schema-load/);
    const dropped = await run(['drop', 'no-such-table']);
    expect(oneLineError(dropped)).toMatch(/not found/);
  });

  it('an invalid table name is a usage error, before any call', async () => {
    const result = await run(['scan', 'bad name!', '--endpoint-url', 'http://127.0.0.1:9']);
    expect(result.code).toBe(2);
    expect(oneLineError(result)).toMatch(/not a valid DynamoDB table name/);
  });

  it('an unknown --env or CRUDDUR_ENV is a usage error', async () => {
    const flag = await run(['list-tables', '--env', 'staging']);
    expect(flag.code).toBe(2);
    expect(oneLineError(flag)).toMatch(/staging/);
    const variable = await run(['list-tables'], { env: { CRUDDUR_ENV: 'staging' } });
    expect(variable.code).toBe(2);
    expect(oneLineError(variable)).toMatch(/Unknown environment "staging" \(from CRUDDUR_ENV\)/);
  });

  it('an unknown output format and a bad --segments are usage errors', async () => {
    expect((await run(['list-tables', '-o', 'xml'])).code).toBe(2);
    const segments = await run(['scan', 'some-table', '--segments', '0']);
    expect(segments.code).toBe(2);
    expect(oneLineError(segments)).toMatch(/--segments must be a whole number/);
  });

  it('missing credentials in prod say which settings to use', async () => {
    const result = await run(['list-tables', 'prod'], {
      env: { AWS_ENDPOINT_URL_DYNAMODB: dynamoUrl(), AWS_REGION: 'us-east-1', AWS_EC2_METADATA_DISABLED: 'true' },
    });
    expect(result.code).toBe(1);
    expect(oneLineError(result)).toMatch(/No AWS credentials found for prod.*AWS_PROFILE/);
  });

  it('a missing region in prod says to pass --region', async () => {
    const result = await run(['list-tables', '--env', 'prod'], { env: { AWS_ACCESS_KEY_ID: 'AKIDEXAMPLE', AWS_SECRET_ACCESS_KEY: 'x' } });
    expect(result.code).toBe(1);
    expect(oneLineError(result)).toMatch(/No AWS region.*--region/);
  });

  it('a usage mistake exits 2', async () => {
    expect((await run(['drop'])).code).toBe(2);
    expect((await run(['no-such-command'])).code).toBe(2);
  });
});

/** DynamoDB Local grants everything; an access-denied answer has to come from a stand-in server. */
describe('access denied', () => {
  let server: Server;
  let url: string;
  beforeAll(async () => {
    server = createServer((_request, response) => {
      response.writeHead(400, { 'content-type': 'application/x-amz-json-1.0' });
      response.end(
        JSON.stringify({
          __type: 'com.amazon.coral.service#AccessDeniedException',
          message: 'User: arn:aws:iam::1:user/dev is not authorized to perform: dynamodb:ListTables',
        }),
      );
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterAll(() => new Promise((resolve) => server.close(resolve)));

  it('says access was denied and how to check', async () => {
    const result = await run(['list-tables', '--endpoint-url', url]);
    expect(result.code).toBe(1);
    expect(oneLineError(result)).toMatch(/Access denied .*not authorized.*IAM permissions/);
  });
});

describe('the prod guard', () => {
  let server: Server;
  let url: string;
  let requests = 0;
  beforeAll(async () => {
    server = createServer((_request, response) => {
      requests++;
      response.writeHead(500);
      response.end();
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterAll(() => new Promise((resolve) => server.close(resolve)));

  it('refuses drop in prod without a terminal or --yes, before any call to AWS', async () => {
    const result = await run(['drop', 'cruddur-messages', 'prod'], {
      env: { AWS_ENDPOINT_URL_DYNAMODB: url, AWS_REGION: 'us-east-1', AWS_ACCESS_KEY_ID: 'AKIDEXAMPLE', AWS_SECRET_ACCESS_KEY: 'x' },
    });
    expect(result.code).toBe(1);
    expect(oneLineError(result)).toMatch(/Refusing to delete the table cruddur-messages in prod.*--yes/);
    expect(requests).toBe(0);
  });

  // util-linux `script` gives the binary a real terminal, so the typed confirmation is exercised.
  it('on a terminal, asks for the table name: a wrong answer changes nothing, the right one drops', async () => {
    const { spawnSync } = await import('node:child_process');
    const table = tableName();
    await run(['schema-load', table]);
    const prodEnv = {
      AWS_ENDPOINT_URL_DYNAMODB: dynamoUrl(),
      AWS_ACCESS_KEY_ID: 'cruddurlocal',
      AWS_SECRET_ACCESS_KEY: 'cruddurlocal',
      AWS_REGION: 'us-east-1',
    };
    const onTerminal = (answer: string) =>
      spawnSync('script', ['-qec', `${process.execPath} ${CLI} drop ${table} prod`, '/dev/null'], {
        input: `${answer}\n`,
        encoding: 'utf8',
        env: cleanEnv(prodEnv, false),
      });
    const wrong = onTerminal('not-the-name');
    expect(wrong.status).toBe(1);
    expect(wrong.stdout).toMatch(`Type "${table}" to go on`);
    expect(wrong.stdout).toMatch(/Not confirmed; nothing was changed/);
    expect(JSON.parse((await run(['list-tables', '-o', 'json'])).stdout)).toContain(table);
    const right = onTerminal(table);
    expect(right.status).toBe(0);
    expect(JSON.parse((await run(['list-tables', '-o', 'json'])).stdout)).not.toContain(table);
  });

  it('drops in prod with --yes (here against DynamoDB Local standing in for AWS)', async () => {
    const table = tableName();
    await run(['schema-load', table]);
    const result = await run(['drop', table, '--env', 'prod', '--yes'], {
      env: { AWS_ENDPOINT_URL_DYNAMODB: dynamoUrl(), AWS_ACCESS_KEY_ID: 'cruddurlocal', AWS_SECRET_ACCESS_KEY: 'cruddurlocal', AWS_REGION: 'us-east-1' },
    });
    expect(result.code).toBe(0);
    expect(result.stderr).toMatch(`Dropped table ${table} in prod`);
  });
});

describe('env', () => {
  it('prints where each setting came from, redacts passwords, and says DynamoDB answers', async () => {
    const result = await run(['env', '-o', 'json'], {
      env: { CONNECTION_URL: 'postgresql://postgres:hunter2@localhost:5432/cruddur', DDB_MESSAGE_TABLE: 'my-messages' },
    });
    expect(result.code).toBe(0);
    expect(result.stdout).not.toContain('hunter2');
    const env = JSON.parse(result.stdout) as Record<string, { value?: string; source: string }>;
    expect(env.environment).toEqual({ value: 'local', source: 'default' });
    // Keys a script can use as they are: no spaces.
    for (const key of Object.keys(env)) expect(key).toMatch(/^[a-z][A-Za-z]*$/);
    expect(env.dynamodbEndpoint).toEqual({ value: dynamoUrl(), source: 'AWS_ENDPOINT_URL_DYNAMODB' });
    expect(env.postgresql?.value).toBe('postgresql://postgres:***@localhost:5432/cruddur');
    expect(env.messagesTable).toEqual({ value: 'my-messages', source: 'DDB_MESSAGE_TABLE' });
    expect(env.credentials).toEqual({ value: 'cruddurlocal', source: 'local dummies' });
    expect(env.region).toEqual({ value: 'us-east-1', source: 'default (local)' });
    expect(env.dynamodb?.value).toMatch(/^answers/);
    expect(env.localDatabase?.value).toMatch(/shared-local-instance\.db.*cruddurlocal_us-east-1\.db/);
  });

  it('says when DynamoDB does not answer, and still exits 0', async () => {
    const result = await run(['env', '--endpoint-url', 'http://127.0.0.1:9', '-o', 'json']);
    expect(result.code).toBe(0);
    expect((JSON.parse(result.stdout) as Record<string, { value: string }>).dynamodb?.value).toMatch(/not answering/);
  });
});

describe('help', () => {
  it('loads no AWS SDK to print help: the first module and help.cjs are all it reads, and neither holds the SDK', async () => {
    const { copyFileSync, mkdtempSync, readFileSync, rmSync } = await import('node:fs');
    const { spawnSync } = await import('node:child_process');
    const { tmpdir } = await import('node:os');
    const { dirname, join } = await import('node:path');
    const sdk = /DynamoDBClient|ListTablesCommand|CognitoIdentityProvider/;
    const bin = dirname(CLI);
    // The first module and the help fast path (src/bin.ts, src/entry/help.ts): nothing of ours loaded beside them.
    for (const file of [CLI, join(bin, 'help.cjs')]) {
      const code = readFileSync(file, 'utf8');
      expect(code, file).not.toMatch(sdk);
      expect(
        [...code.matchAll(/require\("(\.[^"]+)"\)/g)].map((match) => match[1]),
        file,
      ).toEqual(file === CLI ? ['./help.cjs'] : []);
    }
    // Help works with the two files alone: the command line's bundle (cli.cjs, with the SDK) is not read.
    const alone = mkdtempSync(join(tmpdir(), 'cruddur-help-alone-'));
    try {
      for (const file of ['cruddur-ddb.cjs', 'help.cjs']) copyFileSync(join(bin, file), join(alone, file));
      for (const args of [['--help'], ['scan', '--help'], ['--version']]) {
        const [own, whole] = [join(alone, 'cruddur-ddb.cjs'), CLI].map((binary) =>
          spawnSync(process.execPath, [binary, ...args], { encoding: 'utf8', env: cleanEnv({}, false) }),
        );
        expect(own!.status, `${args.join(' ')}: ${own!.stderr}`).toBe(0);
        expect(own!.stdout, args.join(' ')).toBe(whole!.stdout);
      }
    } finally {
      rmSync(alone, { recursive: true, force: true });
    }
  });

  it('shows examples on every command (snapshot of the top-level help)', async () => {
    const top = await run(['--help']);
    expect(top.code).toBe(0);
    expect(top.stdout).toMatchSnapshot();
    // Every command the top-level help lists (and the cognito group's own), so a new one cannot skip its examples.
    const listed = (help: string) => [...help.split('Commands:')[1]!.matchAll(/^ {2}([a-z-]+)/gm)].map((m) => m[1]!).filter((name) => name !== 'help');
    const commands = listed(top.stdout).map((name) => [name]);
    expect(commands.length).toBeGreaterThanOrEqual(6);
    const cognito = await run(['cognito', '--help']);
    commands.push(...listed(cognito.stdout).map((name) => ['cognito', name]));
    for (const command of commands) {
      const help = await run([...command, '--help']);
      expect(help.code, command.join(' ')).toBe(0);
      expect(help.stdout, command.join(' ')).toMatch(/Examples:\n {2}\$ (\S+=\S+ )*cruddur-ddb/);
    }
  });
});
