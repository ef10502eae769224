/** export, import, copy and reset through the built binary, on the real DynamoDB Local (two of them for copy). */
import {
  CreateTableCommand,
  DescribeTableCommand,
  DynamoDBClient,
  PutItemCommand,
  ScanCommand,
  type AttributeValue,
  type TableDescription,
} from '@aws-sdk/client-dynamodb';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freePort, startDynamoDbLocal, type LocalDynamo } from '../src/aws/local-dynamodb.js';
import { messagesTableInput } from '../src/patterns/table.js';
import { createMessagesTable, oneLineError, run, tableName, testClient } from './helpers/cli.js';

type Item = Record<string, AttributeValue>;
const client = testClient();
const dir = mkdtempSync(join(tmpdir(), 'cruddur-data-'));
const ANDREW = '5ae290ed-55d1-47a0-bc6d-fe2bc2700399';

async function scanAll(table: string, on: DynamoDBClient = client): Promise<Item[]> {
  const items: Item[] = [];
  let start: Item | undefined;
  do {
    const page = await on.send(new ScanCommand({ TableName: table, ExclusiveStartKey: start }));
    items.push(...(page.Items ?? []));
    start = page.LastEvaluatedKey;
  } while (start);
  return items;
}

const describeTable = async (table: string, on: DynamoDBClient = client): Promise<TableDescription> =>
  (await on.send(new DescribeTableCommand({ TableName: table }))).Table!;

/** The lines of an export file (gunzipped when .gz): header and item lines. */
function readExport(path: string): { header: { table: Record<string, unknown> } & Record<string, unknown>; items: string[] } {
  const raw = readFileSync(path);
  const lines = (path.endsWith('.gz') ? gunzipSync(raw) : raw).toString('utf8').split('\n');
  expect(lines.at(-1)).toBe('');
  return { header: JSON.parse(lines[0]!), items: lines.slice(1, -1) };
}

// One item of every DynamoDB type, including what plain JSON loses.
const EVERY_TYPE: Item[] = [
  {
    pk: { S: 'MSG#every-type' },
    sk: { S: '2026-01-01T00:00:00.000000+00:00' },
    message_group_uuid: { S: 'group-every-type' },
    empty: { S: '' },
    big: { N: '1234567890123456789012345678.0123456789' },
    small: { N: '-0.000000000000000000000000000000001' },
    integer: { N: '9007199254740993' },
    bytes: { B: new Uint8Array([0, 1, 2, 250, 255]) },
    empty_bytes: { B: new Uint8Array([]) },
    strings: { SS: ['b', 'a', ''] },
    numbers: { NS: ['3', '1.5', '123456789012345678901234567890'] },
    binaries: { BS: [new Uint8Array([1]), new Uint8Array([2, 3])] },
    flag: { BOOL: false },
    nothing: { NULL: true },
    nested: {
      M: {
        list: { L: [{ S: 'x' }, { N: '1' }, { M: { deep: { L: [{ BOOL: true }, { NULL: true }, { B: new Uint8Array([9]) }] } } }, { L: [] }] },
        empty_map: { M: {} },
        text: { S: 'ünïcødé ✓ "quoted" \\ back\nslash' },
      },
    },
  },
  { pk: { S: 'GRP#owner' }, sk: { S: '2026-01-02T00:00:00.000000+00:00' }, message_group_uuid: { S: 'group-every-type' }, message: { S: 'hi' } },
  ...Array.from({ length: 60 }, (_, i) => ({
    pk: { S: `MSG#bulk` },
    sk: { S: `2026-02-01T00:00:${String(i).padStart(2, '0')}.000000+00:00` },
    n: { N: String(i) },
  })),
];

describe('export and import', () => {
  it('round trip: export, import into a fresh table, export again gives the same items for every type, and the table comes back with its GSI and stream', async () => {
    const source = tableName('rt');
    await client.send(new CreateTableCommand(messagesTableInput(source, 'provisioned')));
    for (const Item of EVERY_TYPE) await client.send(new PutItemCommand({ TableName: source, Item }));

    const first = join(dir, 'first.ndjson.gz');
    const exported = await run(['export', source, '-f', first, '-o', 'json']);
    expect(exported.code, exported.stderr).toBe(0);
    expect(exported.stderr).toMatch(
      new RegExp(`^Exported 62 items \\([\\d.]+ KB\\) from ${source} to .*first\\.ndjson\\.gz in [\\d.]+ s \\(\\d+ items/s\\)\\.\\n$`),
    );
    expect(JSON.parse(exported.stdout)).toMatchObject({ table: source, items: 62 });
    const one = readExport(first);
    expect(one.header).toMatchObject({ format: 'cruddur-ddb-export', version: 1 });
    expect(one.items).toHaveLength(62);

    const target = tableName('rt');
    const imported = await run(['import', first, '--table', target]);
    expect(imported.code, imported.stderr).toBe(0);
    expect(imported.stderr).toContain(`Created table ${target} from the header of ${first}.`);
    expect(imported.stderr).toMatch(/Imported 62 items from .* into rt-\w+ in [\d.]+ s/);

    const second = join(dir, 'second.ndjson');
    expect((await run(['export', target, '-f', second])).code).toBe(0);
    const two = readExport(second);
    // Same header but the name; same item lines (a parallel scan may hand them out in another order).
    expect({ ...two.header, table: { ...two.header.table, TableName: source } }).toEqual(one.header);
    expect([...two.items].sort()).toEqual([...one.items].sort());

    // And the values are the ones put, to the digit and the byte.
    const byKey = (items: Item[]) => new Map(items.map((item) => [`${item.pk!.S} ${item.sk!.S}`, item]));
    const back = byKey(await scanAll(target));
    const every = back.get('MSG#every-type 2026-01-01T00:00:00.000000+00:00')!;
    expect(every.big).toEqual({ N: '1234567890123456789012345678.0123456789' });
    expect(every.integer).toEqual({ N: '9007199254740993' });
    expect(every.empty).toEqual({ S: '' });
    expect([...every.bytes!.B!]).toEqual([0, 1, 2, 250, 255]);
    expect(new Set(every.strings!.SS)).toEqual(new Set(['a', 'b', '']));
    expect(every.nested!.M!.text).toEqual({ S: 'ünïcødé ✓ "quoted" \\ back\nslash' });
    expect([...every.nested!.M!.list!.L![2]!.M!.deep!.L![2]!.B!]).toEqual([9]);

    const described = await describeTable(target);
    expect(described.GlobalSecondaryIndexes?.map((index) => [index.IndexName, index.Projection?.ProjectionType])).toEqual([['message-group-sk-index', 'ALL']]);
    expect(described.StreamSpecification).toEqual({ StreamEnabled: true, StreamViewType: 'NEW_IMAGE' });
    expect(described.ProvisionedThroughput?.ReadCapacityUnits).toBe(5);

    // A re-run changes nothing.
    const again = await run(['import', first, '--table', target]);
    expect(again.code).toBe(0);
    expect(again.stderr).not.toContain('Created table');
    expect(await scanAll(target)).toHaveLength(62);
  });

  it('export to stdout and import from stdin (-) pipe; import with no --table goes to the table the file came from', async () => {
    const source = await createMessagesTable('pipe');
    for (const Item of EVERY_TYPE.slice(1, 11)) await client.send(new PutItemCommand({ TableName: source, Item }));
    const exported = await run(['export', source]);
    expect(exported.code).toBe(0);
    expect(exported.stdout.split('\n')).toHaveLength(12);
    expect(exported.stderr).toMatch(/^Exported 10 items .* to stdout/);
    const target = tableName('pipe');
    const imported = await run(['import', '-', '--table', target], { input: exported.stdout });
    expect(imported.code, imported.stderr).toBe(0);
    expect(await scanAll(target)).toHaveLength(10);

    // Without --table: back into the source's own name (here it exists, so it is used as it is).
    const file = join(dir, 'pipe.ndjson');
    writeFileSync(file, exported.stdout);
    const home = await run(['import', file]);
    expect(home.code, home.stderr).toBe(0);
    expect(home.stderr).toContain(`into ${source}`);
  });

  it('a malformed line stops the import with file:line and how many items were written before it', async () => {
    const good = (await run(['export', await seededTable()])).stdout.split('\n');
    const lines = [good[0]!, ...good.slice(1, 31), '{"Item": {"pk": {"S": "MSG#x"}, "sk": {"S": 1}}}', ...good.slice(31, 40), ''];
    const file = join(dir, 'bad.ndjson');
    writeFileSync(file, lines.join('\n'));
    const target = tableName('bad');
    const result = await run(['import', file, '--table', target]);
    expect(result.code).toBe(1);
    // The table was created first (said on its own line); then the one error line.
    expect(result.stderr.trim().split('\n')).toHaveLength(2);
    expect(result.stderr.trim().split('\n')[1]).toMatch(
      new RegExp(
        `error\\[import\\.malformed\\]: ${file}:32: sk\\.S must be a string; 30 items before it were written to ${target}\\. Fix that line and run the import again`,
      ),
    );
    expect(await scanAll(target)).toHaveLength(30);

    writeFileSync(file, [good[0]!, good[1]!, '{"Item": {"pk": {"S": "x"}', ''].join('\n'));
    expect(oneLineError(await run(['import', file, '--table', target]))).toMatch(/bad\.ndjson:3: not JSON .*; 1 items before it were written/);
    writeFileSync(file, [good[0]!, '{"Item": {"pk": {"Q": "x"}}}'].join('\n'));
    expect(oneLineError(await run(['import', file, '--table', target]))).toMatch(/bad\.ndjson:2: pk has unknown type "Q"/);
  });

  it('says what is wrong with a file that is not an export, before creating anything', async () => {
    const file = join(dir, 'not-export.json');
    writeFileSync(file, '{"Items": []}\n');
    const target = tableName('none');
    const notHeader = await run(['import', file, '--table', target]);
    expect(notHeader.code).toBe(1);
    expect(oneLineError(notHeader)).toMatch(/not-export\.json:1: the first line is not a cruddur-ddb-export header/);
    writeFileSync(file, '');
    expect(oneLineError(await run(['import', file, '--table', target]))).toMatch(/not-export\.json is empty/);
    writeFileSync(join(dir, 'fake.gz'), 'plain text');
    expect(oneLineError(await run(['import', join(dir, 'fake.gz'), '--table', target]))).toMatch(/fake\.gz is not valid gzip/);
    expect(oneLineError(await run(['import', join(dir, 'missing.ndjson')]))).toMatch(/missing\.ndjson does not exist/);
    const tables = await run(['list-tables', '-o', 'json']);
    expect(JSON.parse(tables.stdout)).not.toContain(target);
  });

  it('refuses an existing table whose key differs from the file', async () => {
    const file = join(dir, 'keys.ndjson');
    writeFileSync(file, (await run(['export', await seededTable()])).stdout);
    const other = tableName('keys');
    await client.send(
      new CreateTableCommand({
        TableName: other,
        KeySchema: [{ AttributeName: 'id', KeyType: 'HASH' }],
        AttributeDefinitions: [{ AttributeName: 'id', AttributeType: 'S' }],
        BillingMode: 'PAY_PER_REQUEST',
      }),
    );
    expect(oneLineError(await run(['import', file, '--table', other]))).toMatch(
      /exists with key id \(HASH\), but the items have key pk \(HASH\), sk \(RANGE\)/,
    );
  });

  it('export of a missing table and a bad file path are one line each', async () => {
    expect(oneLineError(await run(['export', 'no-such-table']))).toMatch(/Table "no-such-table" not found/);
    const result = await run(['export', await seededTable(), '-f', join(dir, 'no', 'such', 'dir', 'x.ndjson')]);
    expect(result.code).toBe(1);
    expect(oneLineError(result)).toMatch(/Cannot write .*x\.ndjson: ENOENT/);
  });
});

let seeded: string | undefined;
async function seededTable(): Promise<string> {
  if (!seeded) {
    seeded = tableName('seeded');
    expect((await run(['schema-load', seeded])).code).toBe(0);
    expect((await run(['seed', '--table', seeded])).code).toBe(0);
  }
  return seeded;
}

describe('reset', () => {
  it('deletes every item, reports how many, and keeps the table, its GSI and its stream', async () => {
    const table = tableName('reset');
    expect((await run(['schema-load', table])).code).toBe(0);
    expect((await run(['seed', '--table', table])).code).toBe(0);
    const before = await describeTable(table);
    const result = await run(['reset', table, '-o', 'json']);
    expect(result.code, result.stderr).toBe(0);
    expect(result.stderr).toMatch(new RegExp(`^Deleted 132 items from ${table} in [\\d.]+ s .*; the table, its indexes and its stream are kept\\.\\n$`));
    expect(JSON.parse(result.stdout)).toMatchObject({ table, deleted: 132 });
    expect(await scanAll(table)).toEqual([]);
    const after = await describeTable(table);
    expect(after.TableArn).toBe(before.TableArn);
    expect(after.GlobalSecondaryIndexes?.map((index) => index.IndexName)).toEqual(['message-group-sk-index']);
    expect(after.LatestStreamArn).toBe(before.LatestStreamArn);
    const empty = await run(['reset', table]);
    expect(empty.stderr).toMatch(/^Deleted 0 items/);
  });
});

/** The messages table's shape without its stream, for the tests that write thousands of items. */
async function streamlessTable(prefix: string): Promise<string> {
  const table = tableName(prefix);
  const { StreamSpecification: _stream, ...shape } = messagesTableInput(table);
  await client.send(new CreateTableCommand(shape));
  return table;
}

describe('many pages', () => {
  it('export, import and reset a table of many scan pages, with progress on a terminal only', async () => {
    const { spawnSync } = await import('node:child_process');
    const { CLI, cleanEnv, dynamoUrl } = await import('./helpers/cli.js');
    // Without a stream: the shared DynamoDB Local writes slowly to yet another stream table (DynamoDB Local slows every stream table once one holds many records).
    const table = await streamlessTable('pages');
    expect((await run(['seed', '--synthetic', '2400', '--table', table])).code).toBe(0); // 2,424 items: 3+ pages of 1,000
    const file = join(dir, 'pages.ndjson.gz');
    // util-linux `script` gives the binary a real terminal: the progress line is drawn there.
    const onTerminal = (args: string) =>
      spawnSync('script', ['-qec', `${process.execPath} ${CLI} ${args}`, '/dev/null'], {
        encoding: 'utf8',
        env: cleanEnv({ AWS_ENDPOINT_URL_DYNAMODB: dynamoUrl() }, false),
      });
    const exported = onTerminal(`export ${table} -f ${file}`);
    expect(exported.status).toBe(0);
    expect(exported.stdout).toMatch(new RegExp(`Exporting ${table}: .*\\(\\d+/s\\)`));
    expect(exported.stdout).toContain('Exported 2424 items');
    expect(readExport(file).items).toHaveLength(2424);

    const copyTable = await streamlessTable('pages');
    const imported = await run(['import', file, '--table', copyTable]);
    expect(imported.stderr).not.toContain('Importing'); // no terminal, no progress
    expect(imported.stderr).toMatch(/Imported 2424 items/);

    const reset = onTerminal(`reset ${copyTable}`);
    expect(reset.status).toBe(0);
    expect(reset.stdout).toMatch(/Emptying pages-\w+: /);
    expect(reset.stdout).toMatch(/Deleted 2424 items/);
    expect(await scanAll(copyTable)).toHaveLength(0);
  });
});

describe('the prod guard', () => {
  it('reset, import and copy into prod refuse without a terminal or --yes, before any call to AWS', async () => {
    const file = join(dir, 'guard.ndjson');
    writeFileSync(file, (await run(['export', await seededTable()])).stdout);
    // Dummy credentials and no endpoint: any AWS call would fail differently. (Region and credentials
    // are checked before the refusal, issue 11, so they are given.)
    const offline = { local: false, env: { AWS_REGION: 'us-east-1', AWS_ACCESS_KEY_ID: 'AKIDEXAMPLE', AWS_SECRET_ACCESS_KEY: 'x' } };
    for (const args of [
      ['reset', 'cruddur-messages', 'prod'],
      ['import', file, '--table', 'cruddur-messages', '--env', 'prod'],
      ['copy', '--from', 'local', '--to', 'prod'],
      ['copy', '--from', 'local', '--to', 'https://dynamodb.us-east-1.amazonaws.com'],
    ]) {
      const result = await run(args, offline);
      expect(result.code, args.join(' ')).toBe(1);
      expect(oneLineError(result), args.join(' ')).toMatch(/Refusing to .* in prod without confirmation\. Run it on a terminal to confirm, or pass --yes/);
    }
  });

  it('copy needs both sides, and refuses to copy a table onto itself', async () => {
    const result = await run(['copy', '--from', 'local']);
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/required option '--to <where>' not specified/);
    const self = await run(['copy', '--from', 'local', '--to', 'local', 'some-table']);
    expect(self.code).toBe(2);
    expect(oneLineError(self)).toMatch(/--from and --to are the same table/);
    expect(oneLineError(await run(['copy', '--from', 'nowhere', '--to', 'local']))).toMatch(/--from "nowhere" is neither local, prod nor a URL/);
  });
});

describe('copy between two DynamoDB Local instances', () => {
  let second: LocalDynamo;
  let secondClient: DynamoDBClient;
  const source = tableName('copy');
  beforeAll(async () => {
    second = await startDynamoDbLocal({ port: await freePort() });
    secondClient = new DynamoDBClient({
      endpoint: second.url,
      region: 'us-east-1',
      credentials: { accessKeyId: 'cruddurlocal', secretAccessKey: 'cruddurlocal' },
    });
    expect((await run(['schema-load', source])).code).toBe(0);
    expect((await run(['seed', '--table', source])).code).toBe(0);
  });
  afterAll(async () => {
    secondClient?.destroy();
    await second?.stop();
  });

  type Json = { uuid: string; display_name: string; handle: string; message: string; created_at: string };
  const on = (url: string) => ({ env: { AWS_ENDPOINT_URL_DYNAMODB: url } });
  const json = async (args: string[], url: string) => {
    const result = await run([...args, '-o', 'json'], on(url));
    expect(result.code, result.stderr).toBe(0);
    return JSON.parse(result.stdout) as Json[];
  };

  it('--anonymize: no original handle, name or text reaches the target, and every conversation reads back whole and in order', async () => {
    const firstUrl = process.env.DYNAMODB_URL!;
    const original = await scanAll(source);
    const result = await run(['copy', source, '--from', firstUrl, '--to', second.url, '--anonymize']);
    expect(result.code, result.stderr).toBe(0);
    expect(result.stderr).toMatch(new RegExp(`Copied 132 items \\(anonymized\\) from ${source} at .* to ${source} at ${second.url} in`));
    const copied = await scanAll(source, secondClient);
    expect(copied).toHaveLength(132);
    // The source was only read.
    expect(await scanAll(source)).toEqual(original);

    const people = ['andrewbrown', 'bayko', 'londo', 'Andrew Brown', 'Andrew Bayko', 'Londo Mollari', 'Andrew', 'Londo'];
    const texts = new Set(original.map((item) => item.message!.S!));
    const targetText = JSON.stringify(copied);
    for (const word of people) expect(targetText).not.toContain(word);
    for (const item of copied) for (const name of ['user_handle', 'user_display_name', 'message']) expect(texts.has(item[name]!.S!)).toBe(false);
    for (const text of texts) if (text.length > 12) expect(targetText).not.toContain(text);
    // Keys and uuids are kept.
    const keys = (items: Item[]) => items.map((item) => `${item.pk!.S} ${item.sk!.S} ${item.user_uuid!.S}`).sort();
    expect(keys(copied)).toEqual(keys(original));

    // Every conversation of each user: same groups in the same order, each whole and in order.
    for (const user of [ANDREW, '05f8fbb5-0d69-4c0b-8f0d-3a2c3c3f7d7a', '8c2d4e6f-1a3b-4c5d-9e7f-0a1b2c3d4e5f']) {
      const before = await json(['list-conversations', '--user-uuid', user, '--table', source], firstUrl);
      const after = await json(['list-conversations', '--user-uuid', user, '--table', source], second.url);
      expect(after.map((g) => [g.uuid, g.created_at])).toEqual(before.map((g) => [g.uuid, g.created_at]));
      expect(after.length).toBeGreaterThan(0);
      for (const [i, group] of after.entries()) {
        const messagesBefore = await json(['get-conversation', group.uuid, '--all', '--table', source], firstUrl);
        const messagesAfter = await json(['get-conversation', group.uuid, '--all', '--table', source], second.url);
        expect(messagesAfter.map((m) => [m.uuid, m.created_at])).toEqual(messagesBefore.map((m) => [m.uuid, m.created_at]));
        // The group still shows the conversation's last message and its other participant, as pseudonyms.
        expect(group.message).toBe(messagesAfter.at(-1)!.message);
        expect(group.handle).not.toBe(before[i]!.handle);
        const other = messagesAfter.find((m) => m.uuid && m.handle === group.handle);
        expect(other?.display_name).toBe(group.display_name);
        // One person, one pseudonym: each sender uuid maps to one handle.
        const senders = new Map<string, Set<string>>();
        for (const m of messagesAfter) senders.set(m.display_name, (senders.get(m.display_name) ?? new Set()).add(m.handle));
        for (const handles of senders.values()) expect(handles.size).toBe(1);
      }
    }

    // Deterministic: the same input gives the same pseudonyms (a second copy into another table).
    const again = tableName('copy');
    expect((await run(['copy', source, '--from', firstUrl, '--to', second.url, '--to-table', again, '--anonymize'])).code).toBe(0);
    const strip = (items: Item[]) => items.map((item) => JSON.stringify(Object.entries(item).sort())).sort();
    expect(strip(await scanAll(again, secondClient))).toEqual(strip(copied));
    // And a copy without --anonymize is the table as it is, with its GSI and stream.
    const plain = tableName('copy');
    expect((await run(['copy', source, '--from', firstUrl, '--to', second.url, '--to-table', plain])).code).toBe(0);
    expect(strip(await scanAll(plain, secondClient))).toEqual(strip(original));
    const described = await describeTable(plain, secondClient);
    expect(described.StreamSpecification?.StreamViewType).toBe('NEW_IMAGE');
    expect(described.GlobalSecondaryIndexes?.[0]?.IndexName).toBe('message-group-sk-index');
  });

  it('the help examples of export, import, copy and reset run (those that need neither prod nor a fixed port)', async () => {
    const url = second.url;
    expect((await run(['schema-load'], on(url))).code).toBe(0);
    expect((await run(['seed'], on(url))).code).toBe(0);
    const cwd = mkdtempSync(join(tmpdir(), 'cruddur-examples-'));
    const { CLI, cleanEnv } = await import('./helpers/cli.js');
    const { execFileSync } = await import('node:child_process');
    let ran = 0;
    // The s3:// examples write to and read from a real S3 (s3rver) holding their bucket.
    const { startS3 } = await import('./helpers/s3rver.js');
    const s3 = await startS3(['cruddur-exports']);
    try {
      for (const command of ['export', 'import', 'copy', 'reset']) {
        const help = (await run([command, '--help'])).stdout;
        const examples = [...help.matchAll(/^ {2}\$ (.*)$/gm)].map((m) => m[1]!).filter((line) => !/prod|localhost:800/.test(line));
        expect(examples.length, command).toBeGreaterThan(0);
        for (const example of examples) {
          const shell = example.replaceAll('cruddur-ddb', `"${process.execPath}" "${CLI}"`);
          execFileSync('sh', ['-c', shell], { cwd, env: cleanEnv({ AWS_ENDPOINT_URL_DYNAMODB: url, ...s3.env }, false), stdio: 'pipe' });
          ran++;
        }
      }
    } finally {
      await s3.stop();
    }
    expect(ran).toBeGreaterThanOrEqual(12);
  });
});
