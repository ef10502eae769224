/**
 * Issue 19, item 5: `copy --users`, a slice of a table by Query only. The source is written the real
 * backend's way (tests/helpers/backend.ts: group times in local time with an offset, message times
 * without one, seeds dated ahead, duplicate group items left behind) and read through a counting proxy,
 * so each case checks the slice is whole, that nothing else was copied, and what was (not) scanned.
 */
import { BatchWriteItemCommand, CreateTableCommand, ScanCommand } from '@aws-sdk/client-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startCountingProxy, type CountingProxy } from '../bench/counting-proxy.mjs';
import { groupItem, messageItem, type Item, type Participant } from '../src/patterns/index.js';
import { MESSAGE_GROUP_INDEX } from '../src/patterns/table.js';
import { createAnonymizer } from '../src/transfer/anonymize.js';
import { awareNow, backendCreateMessage, backendCreateMessageGroup, naiveNow } from './helpers/backend.js';
import { createMessagesTable, dynamoUrl, oneLineError, run, tableName, testClient } from './helpers/cli.js';
import { freshDatabase, query } from './helpers/postgres.js';

const client = testClient();
const ZONE = 'America/New_York';
const person = (n: number, handle: string): Participant => ({
  uuid: `0000000${n}-1111-4222-8333-44444444444${n}`,
  handle,
  displayName: `${handle[0]!.toUpperCase()}${handle.slice(1)} Person`,
});
const [andrew, bayko, londo, vir, garibaldi, ivanova] = [
  person(1, 'andrewbrown'),
  person(2, 'bayko'),
  person(3, 'londo'),
  person(4, 'vir'),
  person(5, 'garibaldi'),
  person(6, 'ivanova'),
];
const EVERYONE = [andrew, bayko, londo, vir, garibaldi, ivanova];

let source: string;
let proxy: CountingProxy;
let database: string;
/** Conversation uuids by the pair of handles in it. */
const conversations = new Map<string, string>();

const at = (minutes: number) => new Date(Date.UTC(2026, 10, 20, 12, 0, 0) + minutes * 60_000);

/** A conversation as the backend writes it: create_message_group, then create_message replies. */
async function talk(a: Participant, b: Participant, replies: number, start: number, words = 6): Promise<string> {
  const text = (i: number) => `${a.handle} and ${b.handle} say ${i} ${'blah '.repeat(words)}`.trim();
  const group = await backendCreateMessageGroup(client, source, a, b, text(0), awareNow(at(start), ZONE, 123));
  const items: Item[] = [];
  for (let i = 1; i <= replies; i++) {
    const sender = i % 2 ? b : a;
    items.push(messageItem({ messageGroupUuid: group, messageUuid: crypto.randomUUID(), sender, message: text(i), sk: naiveNow(at(start + i), ZONE, i) }));
  }
  for (let i = 0; i < items.length; i += 25) {
    await client.send(new BatchWriteItemCommand({ RequestItems: { [source]: items.slice(i, i + 25).map((Item) => ({ PutRequest: { Item } })) } }));
  }
  conversations.set(`${a.handle}-${b.handle}`, group);
  return group;
}

async function scanAll(table: string): Promise<Item[]> {
  const items: Item[] = [];
  let start: Item | undefined;
  do {
    const page = await client.send(new ScanCommand({ TableName: table, ExclusiveStartKey: start }));
    items.push(...(page.Items ?? []));
    start = page.LastEvaluatedKey;
  } while (start);
  return items;
}

const keyOf = (item: Item) => `${item.pk!.S}|${item.sk!.S}`;
const sorted = (items: Item[]) => [...items].sort((x, y) => keyOf(x).localeCompare(keyOf(y)));

/** What a slice of these conversations must hold: every message of them and every group item of them, nothing else. */
async function expectedSlice(groups: string[]): Promise<Item[]> {
  const wanted = new Set(groups);
  return sorted(
    (await scanAll(source)).filter(
      (item) => wanted.has(item.message_group_uuid?.S ?? '') || (item.pk!.S!.startsWith('MSG#') && wanted.has(item.pk!.S!.slice(4))),
    ),
  );
}

const slice = (args: string[], env: Record<string, string> = {}) =>
  run(['copy', source, '--from', proxy.url, '--to', 'local', '-o', 'json', ...args], { env: { AWS_ENDPOINT_URL_DYNAMODB: dynamoUrl(), ...env } });

beforeAll(async () => {
  source = await createMessagesTable('slice-src');
  proxy = await startCountingProxy(dynamoUrl());
  await talk(andrew, bayko, 6, 0);
  await talk(andrew, londo, 3, 30);
  // Long enough (400 messages of ~3 KB) that its Query takes two 1 MB pages.
  await talk(londo, vir, 400, 60, 560);
  await talk(bayko, garibaldi, 4, 90);
  await talk(garibaldi, ivanova, 5, 120);
  // Seeds dated ahead of now, as the backend's seed writes them.
  const future = new Date(Date.now() + 100 * 60_000);
  const ahead = await backendCreateMessageGroup(client, source, vir, ivanova, 'from the future', awareNow(future, ZONE));
  await backendCreateMessage(client, source, ahead, ivanova, 'still ahead', naiveNow(new Date(future.getTime() + 60_000), ZONE));
  conversations.set('vir-ivanova', ahead);
  // A duplicate group item older code left behind: andrew's second item for the andrew-bayko conversation.
  const duplicate = groupItem({
    owner: andrew,
    other: bayko,
    messageGroupUuid: conversations.get('andrewbrown-bayko')!,
    message: 'stale',
    sk: awareNow(at(-5), ZONE),
  });
  await client.send(new BatchWriteItemCommand({ RequestItems: { [source]: [{ PutRequest: { Item: duplicate } }] } }));

  database = await freshDatabase();
  for (const p of EVERYONE) {
    await query(database, 'INSERT INTO public.users (uuid, display_name, handle, email, cognito_user_id) VALUES ($1, $2, $3, $4, $5)', [
      p.uuid,
      p.displayName,
      p.handle,
      `${p.handle}@example.com`,
      'MOCK',
    ]);
  }
  // Someone with an account who never wrote a message.
  await query(
    database,
    `INSERT INTO public.users (uuid, display_name, handle, email, cognito_user_id) VALUES ($1, 'Quiet', 'quiet', 'q@example.com', 'MOCK')`,
    ['00000009-1111-4222-8333-444444444449'],
  );
}, 120_000);

afterAll(async () => {
  await proxy.close();
  client.destroy();
});

describe('copy --users with named users', () => {
  it('copies exactly their conversations, whole, by Query only (handles through public.users)', async () => {
    const target = tableName('slice-dst');
    proxy.reset();
    const result = await slice(['--to-table', target, '--users', 'andrewbrown,@londo'], { CONNECTION_URL: database });
    expect(result.code, result.stderr).toBe(0);
    const groups = ['andrewbrown-bayko', 'andrewbrown-londo', 'londo-vir'].map((pair) => conversations.get(pair)!);
    const expected = await expectedSlice(groups);
    expect(sorted(await scanAll(target))).toEqual(expected);
    const summary = JSON.parse(result.stdout);
    expect(summary).toMatchObject({ users: 2, participants: 4, conversations: 3, messages: 7 + 4 + 401, itemsWritten: expected.length });
    expect(summary.groupItems).toBe(7); // three pairs and the duplicate
    expect(proxy.stats.calls.Scan ?? 0).toBe(0);
    expect(summary.itemsRead).toBe(proxy.stats.itemsRead);
    expect(proxy.stats.itemsRead).toBeLessThanOrEqual(expected.length * 1.2);
    expect(result.stderr).toMatch(/Picked 2 users by handle in public\.users/);

    // Every participant reads every conversation of the slice on the copy as on the source.
    for (const p of [andrew, bayko, londo, vir]) {
      const args = ['list-conversations', '--user-uuid', p.uuid, '-o', 'json'];
      const copied = JSON.parse((await run([...args, '--table', target])).stdout) as Array<{ uuid: string }>;
      const original = JSON.parse((await run([...args, '--table', source])).stdout) as Array<{ uuid: string }>;
      expect(copied).toEqual(original.filter((g) => groups.includes(g.uuid)));
      expect(copied.length).toBeGreaterThan(0);
    }
    for (const group of groups) {
      const copied = await run(['get-conversation', group, '--table', target, '-o', 'json']);
      expect(copied.code).toBe(0);
      expect(copied.stdout).toBe((await run(['get-conversation', group, '--table', source, '-o', 'json'])).stdout);
    }
  });

  it('finds handles in the group items without PostgreSQL (a Scan of the index only), and takes uuids as they are', async () => {
    const target = tableName('slice-dst');
    proxy.reset();
    const result = await slice(['--to-table', target, '--users', `garibaldi,${ivanova.uuid.toUpperCase()}`]);
    expect(result.code, result.stderr).toBe(0);
    const groups = ['bayko-garibaldi', 'garibaldi-ivanova', 'vir-ivanova'].map((pair) => conversations.get(pair)!);
    expect(sorted(await scanAll(target))).toEqual(await expectedSlice(groups));
    expect(proxy.stats.scans.length).toBeGreaterThan(0);
    for (const scan of proxy.stats.scans) expect(scan.index).toBe(MESSAGE_GROUP_INDEX);

    proxy.reset();
    const byUuid = await slice(['--to-table', tableName('slice-dst'), '--users', vir.uuid]);
    expect(byUuid.code, byUuid.stderr).toBe(0);
    expect(JSON.parse(byUuid.stdout)).toMatchObject({ users: 1, conversations: 2 });
    expect(proxy.stats.calls.Scan ?? 0).toBe(0);
  });

  it('keeps the slice consistent when anonymized', async () => {
    const target = tableName('slice-anon');
    const result = await slice(['--to-table', target, '--users', 'bayko', '--anonymize'], { CONNECTION_URL: database });
    expect(result.code, result.stderr).toBe(0);
    const anonymizer = createAnonymizer();
    const groups = ['andrewbrown-bayko', 'bayko-garibaldi'].map((pair) => conversations.get(pair)!);
    const copied = sorted(await scanAll(target));
    expect(copied).toEqual((await expectedSlice(groups)).map(anonymizer.item));
    // The handle a group item names is the handle that person's messages carry, and no real handle is left.
    const messagesBy = new Map(copied.filter((i) => i.pk!.S!.startsWith('MSG#')).map((i) => [i.user_uuid!.S, i.user_handle!.S]));
    for (const group of copied.filter((i) => i.pk!.S!.startsWith('GRP#'))) expect(group.user_handle!.S).toBe(messagesBy.get(group.user_uuid!.S));
    expect(JSON.stringify(copied)).not.toMatch(/bayko|andrewbrown|garibaldi/);
    expect(result.stderr).toContain(`@${anonymizer.handle('bayko')}`);
  });
});

describe('copy --users N', () => {
  it('picks N users with conversations from public.users, with no Scan', async () => {
    const target = tableName('slice-dst');
    proxy.reset();
    const result = await slice(['--to-table', target, '--users', '3'], { CONNECTION_URL: database });
    expect(result.code, result.stderr).toBe(0);
    const summary = JSON.parse(result.stdout);
    expect(summary.users).toBe(3);
    expect(proxy.stats.calls.Scan ?? 0).toBe(0);
    const copied = await scanAll(target);
    const groups = [...new Set(copied.flatMap((item) => item.message_group_uuid?.S ?? []))];
    expect(sorted(copied)).toEqual(await expectedSlice(groups));
    expect(summary.conversations).toBe(groups.length);
    // The same users every run.
    const again = await slice(['--to-table', tableName('slice-dst'), '--users', '3'], { CONNECTION_URL: database });
    expect(again.stderr.split('\n').find((l) => l.startsWith('Picked'))).toBe(result.stderr.split('\n').find((l) => l.startsWith('Picked')));
  });

  it('picks N owners from a bounded Scan of the index without PostgreSQL', async () => {
    const target = tableName('slice-dst');
    proxy.reset();
    const result = await slice(['--to-table', target, '--users', '2']);
    expect(result.code, result.stderr).toBe(0);
    expect(JSON.parse(result.stdout).users).toBe(2);
    for (const scan of proxy.stats.scans) expect(scan).toMatchObject({ index: MESSAGE_GROUP_INDEX, limit: 2 });
    expect(proxy.stats.scans.reduce((sum, scan) => sum + scan.scanned, 0)).toBeLessThanOrEqual(4);
    const copied = await scanAll(target);
    const groups = [...new Set(copied.flatMap((item) => item.message_group_uuid?.S ?? []))];
    expect(sorted(copied)).toEqual(await expectedSlice(groups));
  });
});

describe('bad input: one line', () => {
  it.each([
    [['--users', '0'], 2, /^error\[copy\.bad_users\]: --users must be a count from 1/],
    [['--users', 'andrewbrown,,bayko'], 2, /^error\[copy\.bad_users\]: .*empty/],
    [['--users', '3', '--segments', '2'], 2, /^error\[flag\.conflict\]: --segments/],
  ])('%j', async (args, code, message) => {
    const result = await run(['copy', source, '--from', 'local', '--to', 'local', '--to-table', tableName('never'), ...args]);
    expect(result.code).toBe(code);
    expect(oneLineError(result)).toMatch(message);
  });

  it('names an unknown handle, in public.users or in the group items', async () => {
    const target = tableName('never');
    const withDb = await slice(['--to-table', target, '--users', 'andrewbrown,nobody'], { CONNECTION_URL: database });
    expect(withDb.code).toBe(1);
    expect(oneLineError(withDb)).toMatch(/^\{"code":"copy\.unknown_user","message":"No user @nobody in public\.users/);
    const without = await slice(['--to-table', target, '--users', 'quiet']);
    expect(oneLineError(without)).toMatch(/"code":"copy\.unknown_user","message":"No user @quiet in any group item/);
    expect((await run(['describe', target])).code).not.toBe(0); // nothing was created
  });

  it('refuses a source without the group index, before creating anything', async () => {
    const bare = tableName('slice-bare');
    await client.send(
      new CreateTableCommand({
        TableName: bare,
        KeySchema: [
          { AttributeName: 'pk', KeyType: 'HASH' },
          { AttributeName: 'sk', KeyType: 'RANGE' },
        ],
        AttributeDefinitions: [
          { AttributeName: 'pk', AttributeType: 'S' },
          { AttributeName: 'sk', AttributeType: 'S' },
        ],
        BillingMode: 'PAY_PER_REQUEST',
      }),
    );
    const target = tableName('never');
    const result = await run(['copy', bare, '--from', 'local', '--to', 'local', '--to-table', target, '--users', '2']);
    expect(result.code).toBe(1);
    expect(oneLineError(result)).toMatch(/^error\[copy\.no_group_index\]: Table slice-bare-\w+ has no index message-group-sk-index/);
    expect((await run(['describe', target])).code).not.toBe(0);
  });
});
