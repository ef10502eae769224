/** `seed` through the built binary, against the real DynamoDB Local. */
import { ScanCommand, type AttributeValue } from '@aws-sdk/client-dynamodb';
import { mkdtempSync, mkdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { oneLineError, run, tableName, testClient } from './helpers/cli.js';
import { startThrottlingProxy, type ThrottlingProxy } from './helpers/throttling-proxy.js';
import { readSeedDir } from '../src/seed/files.js';

const client = testClient();

async function scanAll(table: string): Promise<Record<string, AttributeValue>[]> {
  const items: Record<string, AttributeValue>[] = [];
  let start: Record<string, AttributeValue> | undefined;
  do {
    const page = await client.send(new ScanCommand({ TableName: table, ExclusiveStartKey: start }));
    items.push(...(page.Items ?? []));
    start = page.LastEvaluatedKey;
  } while (start);
  return items;
}

async function newTable(): Promise<string> {
  const table = tableName('seed');
  expect((await run(['schema-load', table])).code).toBe(0);
  return table;
}

const sortKey = (item: Record<string, AttributeValue>) => `${item.pk?.S} ${item.sk?.S}`;
const GROUP_ATTRIBUTES = ['message', 'message_group_uuid', 'pk', 'sk', 'user_display_name', 'user_handle', 'user_uuid'];
const MESSAGE_ATTRIBUTES = ['message', 'message_uuid', 'pk', 'sk', 'user_display_name', 'user_handle', 'user_uuid'];

describe('seed from seed/', () => {
  it('writes the sample conversations with the attributes of the data model, and a second run changes nothing', async () => {
    const table = await newTable();
    const first = await run(['seed', '--table', table]);
    expect(first.code).toBe(0);
    expect(first.stderr).toMatch(
      /^Seeded 132 items \(3 conversations, 3 users\) into seed-\w+ in [\d.]+ s \(\d+ items\/s\)\. User uuids from seed\/users\.txt\.\n$/,
    );
    const before = (await scanAll(table)).sort((a, b) => sortKey(a).localeCompare(sortKey(b)));
    expect(before).toHaveLength(132);

    const groups = before.filter((item) => item.pk?.S?.startsWith('GRP#'));
    const messages = before.filter((item) => item.pk?.S?.startsWith('MSG#'));
    expect(groups).toHaveLength(6);
    expect(messages).toHaveLength(126);
    for (const item of groups) expect(Object.keys(item).sort()).toEqual(GROUP_ATTRIBUTES);
    for (const item of messages) expect(Object.keys(item).sort()).toEqual(MESSAGE_ATTRIBUTES);
    for (const item of before) for (const value of Object.values(item)) expect(Object.keys(value)).toEqual(['S']);
    for (const item of before) expect(item.sk?.S).toMatch(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{6}\+00:00$/);
    // A group item names the other participant and holds the last message.
    const andrewWithBayko = groups.find((g) => g.pk?.S === 'GRP#5ae290ed-55d1-47a0-bc6d-fe2bc2700399' && g.user_handle?.S === 'bayko');
    expect(andrewWithBayko?.message?.S).toBe("We'll see. Have a good evening!");
    expect(andrewWithBayko?.sk?.S).toBe('2026-01-01T12:55:00.000000+00:00');

    const second = await run(['seed', '--table', table]);
    expect(second.code).toBe(0);
    const after = (await scanAll(table)).sort((a, b) => sortKey(a).localeCompare(sortKey(b)));
    expect(after).toEqual(before);
  });

  it('reports a malformed file with its name and line, before writing anything', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'seed-'));
    mkdirSync(join(dir, 'conversations'));
    writeFileSync(join(dir, 'users.txt'), '@ann | Ann | \n@bob | Bob\n');
    writeFileSync(join(dir, 'conversations', 'chat.txt'), '# a chat\n2026-01-01 10:00 @ann: hi\n2026-01-01 10:01 bob says hello\n');
    const table = await newTable();
    const result = await run(['seed', '--table', table, '--dir', dir]);
    expect(result.code).toBe(1);
    expect(oneLineError(result)).toMatch(/conversations\/chat\.txt:3: expected "YYYY-MM-DD HH:MM @handle: message"/);

    writeFileSync(join(dir, 'conversations', 'chat.txt'), '2026-01-01 10:00 @ann: hi\n2026-01-01 10:01 @carol: hello\n');
    expect(oneLineError(await run(['seed', '--table', table, '--dir', dir]))).toMatch(/chat\.txt:2: @carol is not in users\.txt/);
    writeFileSync(join(dir, 'conversations', 'chat.txt'), '2026-01-01 10:00 @ann: hi\n\n2025-12-31 10:01 @bob: hello\n');
    expect(oneLineError(await run(['seed', '--table', table, '--dir', dir]))).toMatch(/chat\.txt:3: this time is earlier/);
    writeFileSync(join(dir, 'users.txt'), '@ann | Ann\n@bob | Bob | not-a-uuid\n');
    expect(oneLineError(await run(['seed', '--table', table, '--dir', dir]))).toMatch(/users\.txt:2: "not-a-uuid" is not a uuid/);
    expect(await scanAll(table)).toHaveLength(0);
  });

  it("names a bad file relative to the run's working folder when inside it (handed in, not the process's own)", async () => {
    const dir = mkdtempSync(join(tmpdir(), 'seed-'));
    mkdirSync(join(dir, 'conversations'));
    writeFileSync(join(dir, 'users.txt'), '@ann | Ann\n@bob | Bob | not-a-uuid\n');
    await expect(readSeedDir(dir, dir)).rejects.toMatchObject({ message: 'users.txt:2: "not-a-uuid" is not a uuid' });
    await expect(readSeedDir(dir, join(dir, 'conversations'))).rejects.toMatchObject({ message: `${join(dir, 'users.txt')}:2: "not-a-uuid" is not a uuid` });
  });

  it('keeps messages that share a minute apart and in file order', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'seed-'));
    mkdirSync(join(dir, 'conversations'));
    writeFileSync(join(dir, 'users.txt'), '@ann | Ann\n@bob | Bob\n');
    writeFileSync(join(dir, 'conversations', 'chat.txt'), '2026-01-01 10:00 @ann: one\n2026-01-01 10:00 @bob: two\n2026-01-01 10:00 @ann: three\n');
    const table = await newTable();
    expect((await run(['seed', '--table', table, '--dir', dir])).code).toBe(0);
    const messages = (await scanAll(table)).filter((item) => item.pk?.S?.startsWith('MSG#')).sort((a, b) => sortKey(a).localeCompare(sortKey(b)));
    expect(messages.map((m) => [m.sk?.S, m.message?.S])).toEqual([
      ['2026-01-01T10:00:00.000000+00:00', 'one'],
      ['2026-01-01T10:00:00.000001+00:00', 'two'],
      ['2026-01-01T10:00:00.000002+00:00', 'three'],
    ]);
  });
});

describe('seed --synthetic', () => {
  it('writes N messages plus two group items a conversation, the same ones again for the same N and seed value', async () => {
    const table = await newTable();
    const first = await run(['seed', '--table', table, '--synthetic', '600', '--seed-value', 'a']);
    expect(first.code).toBe(0);
    const items = await scanAll(table);
    const messages = items.filter((item) => item.pk?.S?.startsWith('MSG#'));
    const groups = items.filter((item) => item.pk?.S?.startsWith('GRP#'));
    expect(messages).toHaveLength(600);
    expect(groups.length).toBe(2 * new Set(groups.map((g) => g.message_group_uuid?.S)).size);
    expect(first.stderr).toContain(`Seeded ${items.length} items`);

    expect((await run(['seed', '--table', table, '--synthetic', '600', '--seed-value', 'a'])).code).toBe(0);
    expect(await scanAll(table)).toHaveLength(items.length);
    expect((await run(['seed', '--table', table, '--synthetic', '600', '--seed-value', 'b'])).code).toBe(0);
    expect((await scanAll(table)).length).toBeGreaterThan(items.length);
  });

  it('in prod, refuses without a terminal or --yes, before any call to AWS', async () => {
    const result = await run(['seed', '--table', 'cruddur-messages', 'prod'], {
      local: false,
      env: { AWS_ACCESS_KEY_ID: 'x', AWS_SECRET_ACCESS_KEY: 'y', AWS_REGION: 'us-east-1' },
    });
    expect(result.code).toBe(1);
    expect(oneLineError(result)).toMatch(/Refusing to write 132 seed items into cruddur-messages in prod without confirmation/);
  });

  it('refuses a bad N, and flags that do not go together', async () => {
    expect(oneLineError(await run(['seed', '--synthetic', 'lots']))).toMatch(/--synthetic must be a whole number/);
    expect((await run(['seed', '--synthetic', '0'])).code).toBe(2);
    expect(oneLineError(await run(['seed', '--synthetic', '5', '--users-from-db']))).toMatch(/cannot go with --synthetic/);
  });
});

describe('seed when DynamoDB returns unprocessed items and throttles', () => {
  let proxy: ThrottlingProxy | undefined;
  afterEach(async () => {
    await proxy?.close();
    proxy = undefined;
  });

  it('retries until every item lands', async () => {
    const table = await newTable();
    proxy = await startThrottlingProxy(process.env.DYNAMODB_URL!, { mode: 'some', throttleEvery: 7 });
    const result = await run(['seed', '--table', table, '--synthetic', '1000', '--endpoint-url', proxy.url]);
    expect(result.code).toBe(0);
    expect(proxy.stats.unprocessed).toBeGreaterThan(500);
    expect(proxy.stats.throttled).toBeGreaterThan(0);
    const items = await scanAll(table);
    expect(items.filter((item) => item.pk?.S?.startsWith('MSG#'))).toHaveLength(1000);
    expect(result.stderr).toContain(`Seeded ${items.length} items`);
  });

  it('gives up at the retry limit, exits 1 and says how many items were not written', async () => {
    const table = await newTable();
    proxy = await startThrottlingProxy(process.env.DYNAMODB_URL!, { mode: 'none' });
    const result = await run(['seed', '--table', table, '--endpoint-url', proxy.url, '--max-retries', '2']);
    expect(result.code).toBe(1);
    expect(oneLineError(result)).toMatch(
      /^error\[seed\.incomplete\]: 132 of 132 items were not written to seed-\w+: DynamoDB still returned them unprocessed after 2 retries\. Run seed again/,
    );
    expect(proxy.stats.batches).toBe(6 * 3); // 6 requests of up to 25, each tried 3 times
    expect(await scanAll(table)).toHaveLength(0);
  });
});

describe('seed across time forms and zones (a message is its message_uuid in its conversation, not its sk)', () => {
  it('a re-seed in another form or zone writes no second copy of any message, and says how many were there', async () => {
    const table = await newTable();
    expect((await run(['seed', '--table', table])).code).toBe(0);
    const messagesOf = async () => (await scanAll(table)).filter((item) => item.pk?.S?.startsWith('MSG#'));
    expect(await messagesOf()).toHaveLength(126);
    for (const env of [
      { CRUDDUR_TIME_FORM: 'zone-naive' },
      { CRUDDUR_TIME_FORM: 'zone-offset', CRUDDUR_TIME_ZONE: 'Asia/Tokyo' },
      { CRUDDUR_TIME_FORM: 'zone-naive', CRUDDUR_TIME_ZONE: 'America/New_York' },
    ]) {
      const again = await run(['seed', '--table', table], { env });
      expect(again.code).toBe(0);
      expect(again.stderr).toMatch(/126 messages were there already under another sk \(same message_uuid\): not written again/);
      const messages = await messagesOf();
      expect(messages).toHaveLength(126);
      expect(new Set(messages.map((item) => item.message_uuid?.S)).size).toBe(126);
      // Still one group item per owner per conversation.
      expect((await scanAll(table)).filter((item) => item.pk?.S?.startsWith('GRP#'))).toHaveLength(6);
    }
  });
});
