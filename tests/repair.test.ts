/**
 * `cruddur-ddb repair` through the built binary, on a table damaged the way the old Lambda and the real
 * backend damaged real ones (tests/helpers/backend.ts): groups behind, ahead, duplicated and missing, with
 * times without an offset and with a local offset (America/New_York).
 */
import { DeleteItemCommand, PutItemCommand, ScanCommand } from '@aws-sdk/client-dynamodb';
import { describe, expect, it } from 'vitest';
import { groupItemPair, planConversationRepair, plainItem, repairTable, type Item, type Participant } from '../src/patterns/index.js';
import { awareNow, backendCreateMessage, backendCreateMessageGroup, naiveNow } from './helpers/backend.js';
import { createMessagesTable, oneLineError, run, testClient } from './helpers/cli.js';
import { groups } from './helpers/stream.js';

const client = testClient();
const zone = 'America/New_York';
const andrew: Participant = { uuid: '8b000000-0000-4000-8000-000000000001', displayName: 'Andrew Brown', handle: 'andrewbrown' };
const bayko: Participant = { uuid: '8b000000-0000-4000-8000-000000000002', displayName: 'Andrew Bayko', handle: 'bayko' };
const londo: Participant = { uuid: '8b000000-0000-4000-8000-000000000003', displayName: 'Londo Mollari', handle: 'londo' };
const carol: Participant = { uuid: '8b000000-0000-4000-8000-000000000004', displayName: 'Carol Danvers', handle: 'carol' };

const T0 = new Date('2026-11-20T15:00:00Z');
const later = (minutes: number) => new Date(T0.getTime() + minutes * 60_000);
const put = (table: string, Item: Item) => client.send(new PutItemCommand({ TableName: table, Item }));

async function damagedTable() {
  const table = await createMessagesTable('repair');
  // A: the old Lambda dropped both records of a batch: both group items behind.
  const a = await backendCreateMessageGroup(client, table, andrew, bayko, 'a0', awareNow(later(0), zone, 1));
  await backendCreateMessage(client, table, a, bayko, 'a1', naiveNow(later(1), zone, 1));
  const a2 = await backendCreateMessage(client, table, a, andrew, 'a2', naiveNow(later(2), zone, 1));
  // B: andrew's item moved and its old one left behind (a duplicate); londo's behind.
  const b = await backendCreateMessageGroup(client, table, andrew, londo, 'b0', awareNow(later(3), zone, 1));
  const b1 = await backendCreateMessage(client, table, b, londo, 'b1', naiveNow(later(4), zone, 1));
  await put(table, groupItemPair(andrew, londo, { messageGroupUuid: b, message: 'b1', sk: b1.sk!.S! })[0]);
  // C: group items ahead of every message (moved to a time no message has).
  const c = await backendCreateMessageGroup(client, table, bayko, londo, 'c0', awareNow(later(5), zone, 1));
  for (const item of groupItemPair(bayko, londo, { messageGroupUuid: c, message: 'ghost', sk: awareNow(later(100), zone, 1) })) await put(table, item);
  for (const item of groupItemPair(bayko, londo, { messageGroupUuid: c, message: 'c0', sk: awareNow(later(5), zone, 1) }))
    await client.send(new DeleteItemCommand({ TableName: table, Key: { pk: item.pk!, sk: item.sk! } }));
  // D: carol's group item is missing; carol replied.
  const d = await backendCreateMessageGroup(client, table, bayko, carol, 'd0', awareNow(later(6), zone, 1));
  const d1 = await backendCreateMessage(client, table, d, carol, 'd1', naiveNow(later(7), zone, 1));
  const carolsItem = groupItemPair(bayko, carol, { messageGroupUuid: d, message: 'd0', sk: awareNow(later(6), zone, 1) })[1];
  await client.send(new DeleteItemCommand({ TableName: table, Key: { pk: carolsItem.pk!, sk: carolsItem.sk! } }));
  return { table, a, a2, b, b1, c, d, d1 };
}

const scan = async (table: string) => ((await client.send(new ScanCommand({ TableName: table }))).Items ?? []).map((item) => JSON.stringify(item)).sort();
const env = { CRUDDUR_TIME_ZONE: zone };

describe('repair', () => {
  it('--dry-run reports by kind and changes nothing; repair heals; a second run finds nothing', async () => {
    const t = await damagedTable();
    const before = await scan(t.table);
    const dry = await run(['repair', '--table', t.table, '--dry-run', '-o', 'json'], { env });
    expect(dry.code).toBe(0);
    const report = JSON.parse(dry.stdout);
    expect(report).toMatchObject({ dryRun: true, conversations: 4, messages: 8, repaired: 4, failed: 0, unfixableCount: 0 });
    expect(report.found).toEqual({ behind: 4, ahead: 2, duplicate: 1, missing: 1 });
    // Every message was written by the backend: none is in the fixed-width UTC form.
    expect(report.nonCanonical.count).toBe(8);
    expect(report.nonCanonical.examples).toHaveLength(5);
    expect(dry.stderr).toMatch(/^Dry run: would repair 4 of 4 conversations \(8 messages\) .*behind 4, ahead 2, duplicate 1, missing 1; 8 message sk/m);
    expect(await scan(t.table)).toEqual(before);

    const fixed = await run(['repair', '--table', t.table, '-o', 'json'], { env });
    expect(fixed.code).toBe(0);
    expect(JSON.parse(fixed.stdout)).toMatchObject({ dryRun: false, repaired: 4, found: { behind: 4, ahead: 2, duplicate: 1, missing: 1 } });
    const both = (x: Participant, y: Participant, sk: string, message: string) => ({ [`GRP#${x.uuid}`]: [sk, message], [`GRP#${y.uuid}`]: [sk, message] });
    expect(await groups(client, t.table, t.a)).toEqual(both(andrew, bayko, t.a2.sk!.S!, 'a2'));
    expect(await groups(client, t.table, t.b)).toEqual(both(andrew, londo, t.b1.sk!.S!, 'b1'));
    expect(await groups(client, t.table, t.c)).toEqual(both(bayko, londo, awareNow(later(5), zone, 1), 'c0'));
    expect(await groups(client, t.table, t.d)).toEqual(both(bayko, carol, t.d1.sk!.S!, 'd1'));
    // Carol's new item names bayko, with his name from his message.
    const gsi = await client.send(new ScanCommand({ TableName: t.table, IndexName: 'message-group-sk-index' }));
    expect(gsi.Items).toHaveLength(8);
    expect(gsi.Items!.find((item) => item.pk!.S === `GRP#${carol.uuid}`)).toMatchObject({ user_uuid: { S: bayko.uuid }, user_handle: { S: 'bayko' } });
    // Messages are never rewritten.
    expect(JSON.parse(fixed.stdout).nonCanonical.count).toBe(8);

    const again = await run(['repair', '--table', t.table, '-o', 'json'], { env });
    expect(JSON.parse(again.stdout)).toMatchObject({ repaired: 0, found: { behind: 0, ahead: 0, duplicate: 0, missing: 0 } });
    expect(again.stderr).toContain('(nothing to do)');
  });

  it('the library walks the GSI on its own when no reader is handed in, and finds what the command finds', async () => {
    const t = await damagedTable();
    const report = await repairTable({ client, table: t.table, zone, dryRun: true });
    expect(report).toMatchObject({ conversations: 4, messages: 8, repaired: 4, failed: 0, found: { behind: 4, ahead: 2, duplicate: 1, missing: 1 } });
    const dry = await run(['repair', '--table', t.table, '--dry-run', '-o', 'json'], { env });
    expect(JSON.parse(dry.stdout)).toMatchObject({ conversations: report.conversations, messages: report.messages, found: report.found });
  });

  it('finds duplicate messages (one message_uuid under two sks) as their own kind; a dry run keeps them, repair keeps one', async () => {
    // The seed wrote the sample data in the UTC form; then the old seed, re-run with the backend's form
    // (zone-naive, New York), wrote every message again under its naive local sk with the same uuid.
    const table = await createMessagesTable('repair-dups');
    expect((await run(['seed', '--table', table])).code).toBe(0);
    const messages = ((await client.send(new ScanCommand({ TableName: table }))).Items ?? []).filter((item) => item.pk!.S!.startsWith('MSG#'));
    expect(messages).toHaveLength(126);
    const doubled = messages.slice(0, 10);
    for (const item of doubled) await put(table, { ...item, sk: { S: naiveNow(new Date(item.sk!.S!), zone, Number(item.sk!.S!.slice(23, 26))) } });
    const count = async () => (await client.send(new ScanCommand({ TableName: table, Select: 'COUNT' }))).Count ?? 0;
    expect(await count()).toBe(132 + 10);

    const dry = await run(['repair', '--table', table, '--dry-run', '-o', 'json'], { env });
    expect(dry.code).toBe(0);
    expect(JSON.parse(dry.stdout).duplicateMessages).toMatchObject({ count: 10, removed: 0 });
    expect(dry.stderr).toMatch(/duplicate messages \(one message_uuid under two sks\) 10\.$/m);
    expect(await count()).toBe(142);

    const fixed = await run(['repair', '--table', table, '-o', 'json'], { env });
    expect(fixed.code).toBe(0);
    expect(JSON.parse(fixed.stdout).duplicateMessages).toMatchObject({ count: 10, removed: 10 });
    expect(fixed.stderr).toMatch(/duplicate messages \(one message_uuid under two sks\) 10 \(10 removed\)\.$/m);
    // The copies in the fixed-width UTC form are the ones kept.
    const left = ((await client.send(new ScanCommand({ TableName: table }))).Items ?? []).filter((item) => item.pk!.S!.startsWith('MSG#'));
    expect(left.map((item) => JSON.stringify(item)).sort()).toEqual(messages.map((item) => JSON.stringify(item)).sort());
    const again = await run(['repair', '--table', table, '-o', 'json'], { env });
    expect(JSON.parse(again.stdout).duplicateMessages.count).toBe(0);
    expect(again.stderr).toContain('(nothing to do)');
  });

  it('in prod without a terminal refuses before any call, like drop', async () => {
    // Region and credentials are checked before the refusal (issue 11: no prompt before the checks).
    const result = await run(['repair', '--table', 'cruddur-messages', 'prod'], {
      local: false,
      env: { AWS_REGION: 'us-east-1', AWS_ACCESS_KEY_ID: 'AKIDEXAMPLE', AWS_SECRET_ACCESS_KEY: 'x' },
    });
    expect(result.code).toBe(1);
    expect(oneLineError(result)).toMatch(
      /^error\[prod.unconfirmed\]: Refusing to rewrite group items and remove duplicate messages of cruddur-messages in prod without confirmation/,
    );
  });

  it('says when the table is not there', async () => {
    const result = await run(['repair', '--table', 'no-such-table-here']);
    expect(result.code).toBe(1);
    expect(oneLineError(result)).toMatch(/no-such-table-here/);
  });
});

describe('planConversationRepair (pure)', () => {
  const group = '11111111-2222-4333-8444-555555555555';
  const newest = { sk: '2026-11-20T10:00:00.000000+00:00', message: 'latest' };
  const people = new Map([andrew, bayko].map((p) => [p.uuid, p]));

  it('leaves items the stream moved one microsecond on (a key another conversation held) in place', () => {
    const [mine, theirs] = groupItemPair(andrew, bayko, { messageGroupUuid: group, ...newest }).map(plainItem);
    const bumped = { ...mine, sk: '2026-11-20T10:00:00.000001+00:00' };
    expect(planConversationRepair('t', group, [bumped, theirs!], newest, people)).toEqual({ findings: [], input: undefined, unfixable: [] });
  });

  it('overwrites in place an item already at the target key, and deletes the other', () => {
    const [atTarget, theirs] = groupItemPair(andrew, bayko, { messageGroupUuid: group, message: 'stale text', sk: newest.sk }).map(plainItem);
    const ahead = { ...atTarget, sk: '2026-11-20T11:00:00.000000+00:00', message: 'ghost' };
    const plan = planConversationRepair('t', group, [atTarget!, ahead, theirs!], { ...newest }, people);
    // andrew: the 11:00 item is newest (ahead), the one at the target key a duplicate; bayko's shows old text (behind).
    expect(plan.findings.map((f) => `${f.kind} ${f.owner === andrew.uuid ? 'andrew' : 'bayko'}`).sort()).toEqual([
      'ahead andrew',
      'behind bayko',
      'duplicate andrew',
    ]);
    const actions = plan.input!.TransactItems!;
    expect(actions.filter((a) => a.Delete).map((a) => a.Delete!.Key!.sk)).toEqual(['2026-11-20T11:00:00.000000+00:00']);
    expect(actions.filter((a) => a.Put).map((a) => [a.Put!.Item!.pk, a.Put!.Item!.sk, a.Put!.Item!.message, a.Put!.ConditionExpression])).toEqual([
      [`GRP#${andrew.uuid}`, newest.sk, 'latest', 'attribute_exists(pk)'],
      [`GRP#${bayko.uuid}`, newest.sk, 'latest', 'attribute_exists(pk)'],
    ]);
  });
});
