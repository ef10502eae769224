/**
 * The five defects of issue 9, each against DynamoDB Local with items written exactly the way the real
 * backend writes them (tests/helpers/backend.ts: no offset, a local offset, future-dated seeds, duplicate
 * group items), in several time zones. Each of these failed on the code before the time rule.
 */
import { QueryCommand, ScanCommand } from '@aws-sdk/client-dynamodb';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { createMessage, type Participant } from '../src/patterns/index.js';
import { processRecords } from '../src/patterns/stream.js';
import { awareNow, backendCreateMessage, backendCreateMessageGroup, insertRecord, naiveNow } from './helpers/backend.js';
import { createMessagesTable, run, testClient } from './helpers/cli.js';
import { groups } from './helpers/stream.js';

const client = testClient();
const andrew: Participant = { uuid: '7a000000-0000-4000-8000-000000000001', displayName: 'Andrew Brown', handle: 'andrewbrown' };
const bayko: Participant = { uuid: '7a000000-0000-4000-8000-000000000002', displayName: 'Andrew Bayko', handle: 'bayko' };
const londo: Participant = { uuid: '7a000000-0000-4000-8000-000000000003', displayName: 'Londo Mollari', handle: 'londo' };

const ZONES = ['America/New_York', 'Asia/Tokyo', 'Europe/Berlin', 'UTC'];
const at = (iso: string) => new Date(iso);
const plus = (date: Date, seconds: number) => new Date(date.getTime() + seconds * 1000);
/** pk -> [sk, message] of the conversation's group items, keyed by owner (helpers/stream `groups` keys by pk). */
const expectBoth = (a: Participant, b: Participant, sk: string, message: string) => ({ [`GRP#${a.uuid}`]: [sk, message], [`GRP#${b.uuid}`]: [sk, message] });

describe('1. two conversations of one user get a message in the same instant', () => {
  it('moves both: the second group item takes the next free microsecond, in the same transaction', async () => {
    const table = await createMessagesTable('real');
    const g1 = await backendCreateMessageGroup(client, table, andrew, bayko, 'hi bayko', awareNow(at('2026-11-30T10:00:00Z'), 'UTC', 1));
    const g2 = await backendCreateMessageGroup(client, table, londo, bayko, 'hi bayko, londo here', awareNow(at('2026-11-30T11:00:00Z'), 'UTC', 2));
    // `send --at 2026-12-01T12:00:00.123Z` twice, from two people to one user.
    const m1 = await createMessage(client, table, { messageGroupUuid: g1, sender: andrew, message: 'from andrew', createdAt: '2026-12-01T12:00:00.123Z' });
    const m2 = await createMessage(client, table, { messageGroupUuid: g2, sender: londo, message: 'from londo', createdAt: '2026-12-01T12:00:00.123Z' });
    expect(m1.created_at).toBe(m2.created_at);
    const records = [m1, m2].map((m) => insertRecord(messageItemOf(m)));
    const result = await processRecords(records, { client, table });
    expect(result).toMatchObject({ batchItemFailures: [], moved: 2, failed: 0 });
    const bayko1 = (await groups(client, table, g1))[`GRP#${bayko.uuid}`]!;
    const bayko2 = (await groups(client, table, g2))[`GRP#${bayko.uuid}`]!;
    expect([bayko1[0], bayko2[0]].sort()).toEqual(['2026-12-01T12:00:00.123000+00:00', '2026-12-01T12:00:00.123001+00:00']);
    // Delivered again: nothing fails, nothing moves.
    expect(await processRecords(records, { client, table })).toMatchObject({ batchItemFailures: [], moved: 0, failed: 0 });
  });
});

function messageItemOf(m: { message_group_uuid: string; uuid: string; display_name: string; handle: string; message: string; created_at: string }) {
  const sender = [andrew, bayko, londo].find((p) => p.handle === m.handle)!;
  return {
    pk: { S: `MSG#${m.message_group_uuid}` },
    sk: { S: m.created_at },
    message_uuid: { S: m.uuid },
    message: { S: m.message },
    user_uuid: { S: sender.uuid },
    user_display_name: { S: sender.displayName },
    user_handle: { S: sender.handle },
  };
}

describe('2. seed, send, stream, seed again', () => {
  it('leaves exactly one group item per owner per conversation, at the newest message', async () => {
    const table = await createMessagesTable('real');
    const checkpoints = mkdtempSync(join(tmpdir(), 'cruddur-stream-'));
    expect((await run(['seed', '--table', table])).code).toBe(0);
    // andrewbrown and bayko of seed/users.txt share "building-direct-messages".
    const sent = await run([
      'send',
      '--table',
      table,
      '--from',
      '5ae290ed-55d1-47a0-bc6d-fe2bc2700399',
      '--to',
      '05f8fbb5-0d69-4c0b-8f0d-3a2c3c3f7d7a',
      'after the seed',
      '--at',
      '2026-06-01T09:00:00Z',
      '-o',
      'json',
    ]);
    expect(sent.code).toBe(0);
    const group = JSON.parse(sent.stdout).message_group_uuid as string;
    expect((await run(['stream', '--once', '--table', table, '--checkpoint-dir', checkpoints])).code).toBe(0);
    for (let i = 0; i < 3; i++) expect((await run(['seed', '--table', table])).code).toBe(0);
    const { Items = [] } = await client.send(new ScanCommand({ TableName: table, IndexName: 'message-group-sk-index' }));
    const perOwnerAndGroup = new Map<string, number>();
    for (const item of Items) {
      const key = `${item.pk!.S} ${item.message_group_uuid!.S}`;
      perOwnerAndGroup.set(key, (perOwnerAndGroup.get(key) ?? 0) + 1);
    }
    expect(Items).toHaveLength(6);
    expect([...perOwnerAndGroup.values()]).toEqual([1, 1, 1, 1, 1, 1]);
    expect(Object.values(await groups(client, table, group))).toEqual([
      ['2026-06-01T09:00:00.000000+00:00', 'after the seed'],
      ['2026-06-01T09:00:00.000000+00:00', 'after the seed'],
    ]);
  });
});

describe('3. times without an offset are in the configured zone', () => {
  for (const zone of ZONES) {
    it(`backend in ${zone}: create_message (no offset) after create_message_group (local offset) moves the group`, async () => {
      const table = await createMessagesTable('real');
      const t0 = at('2026-11-25T21:30:59.123Z');
      const group = await backendCreateMessageGroup(client, table, andrew, bayko, 'first', awareNow(t0, zone, 456));
      const item = await backendCreateMessage(client, table, group, bayko, 'second, two seconds later', naiveNow(plus(t0, 2), zone, 456));
      const result = await processRecords([insertRecord(item)], { client, table, zone });
      expect(result).toMatchObject({ moved: 1, older: 0 });
      expect(await groups(client, table, group)).toEqual(expectBoth(andrew, bayko, item.sk!.S!, 'second, two seconds later'));
    });

    it(`backend in ${zone}: the tool's own send after a backend message moves the group too`, async () => {
      const table = await createMessagesTable('real');
      const t0 = at('2026-11-25T06:00:00Z');
      const group = await backendCreateMessageGroup(client, table, andrew, bayko, 'first', awareNow(t0, zone, 1));
      const backend = await backendCreateMessage(client, table, group, bayko, 'backend', naiveNow(plus(t0, 1), zone, 1));
      await processRecords([insertRecord(backend)], { client, table, zone });
      const ours = await createMessage(
        client,
        table,
        { messageGroupUuid: group, sender: andrew, message: 'ours', createdAt: plus(t0, 2).toISOString() },
        { zone, form: 'utc' },
      );
      const result = await processRecords([insertRecord(messageItemOf(ours))], { client, table, zone });
      expect(result).toMatchObject({ moved: 1 });
      expect(await groups(client, table, group)).toEqual(expectBoth(andrew, bayko, ours.created_at, 'ours'));
    });

    it(`backend in ${zone}: with the backend's form, a send between two backend messages sorts between them for DynamoDB too`, async () => {
      const table = await createMessagesTable('real');
      const t0 = at('2026-07-04T15:00:00Z');
      const group = await backendCreateMessageGroup(client, table, andrew, bayko, 'm0', awareNow(t0, zone, 7));
      await backendCreateMessage(client, table, group, bayko, 'm1', naiveNow(plus(t0, 1), zone, 7));
      await backendCreateMessage(client, table, group, bayko, 'm3', naiveNow(plus(t0, 3), zone, 7));
      await createMessage(
        client,
        table,
        { messageGroupUuid: group, sender: andrew, message: 'm2', createdAt: plus(t0, 2).toISOString() },
        { zone, form: 'zone-naive' },
      );
      // What the backend's own query sees: key (string) order.
      const { Items = [] } = await client.send(
        new QueryCommand({ TableName: table, KeyConditionExpression: 'pk = :pk', ExpressionAttributeValues: { ':pk': { S: `MSG#${group}` } } }),
      );
      // m0 (with offset) and m1 (without) share a wall clock prefix; m1..m3 must be in order.
      expect(Items.map((item) => item.message!.S).filter((m) => m !== 'm0')).toEqual(['m1', 'm2', 'm3']);
      // And get-conversation (by instant under the rule) shows all four in order, whatever the forms.
      const shown = await run(['get-conversation', group, '--table', table, '-o', 'json'], { env: { CRUDDUR_TIME_ZONE: zone } });
      expect(JSON.parse(shown.stdout).map((m: { message: string }) => m.message)).toEqual(['m0', 'm1', 'm2', 'm3']);
    });
  }

  it('reads a no-offset time as UTC when told nothing (the old behaviour, now a stated default)', async () => {
    const table = await createMessagesTable('real');
    const t0 = at('2026-11-25T21:30:59Z');
    const group = await backendCreateMessageGroup(client, table, andrew, bayko, 'first', awareNow(t0, 'America/New_York', 1));
    const item = await backendCreateMessage(client, table, group, bayko, 'second', naiveNow(plus(t0, 2), 'America/New_York', 1));
    const lines: string[] = [];
    const result = await processRecords([insertRecord(item)], { client, table, log: (line) => lines.push(line) });
    // 16:31:01 read as UTC is five hours before 16:30:59-05:00: kept, and counted as such.
    expect(result).toMatchObject({ moved: 0, older: 1 });
  });
});

describe('4. group items dated in the future (the bootcamp seed)', () => {
  it('replaces a group time in the future with the newest real message; a late replay never moves it back', async () => {
    const table = await createMessagesTable('real');
    const zone = 'America/New_York';
    const now = new Date();
    // The bootcamp's seed: messages up to ~100 minutes ahead, the group at the last one (with the local offset).
    const group = await backendCreateMessageGroup(client, table, andrew, bayko, 'seeded, 100 minutes ahead', awareNow(plus(now, 6000), zone, 1));
    const real = await backendCreateMessage(client, table, group, bayko, 'a real message, now', naiveNow(now, zone, 1));
    const result = await processRecords([insertRecord(real, Math.floor(now.getTime() / 1000))], { client, table, zone });
    expect(result).toMatchObject({ moved: 1, distrusted: 2 }); // both group items
    expect(await groups(client, table, group)).toEqual(expectBoth(andrew, bayko, real.sk!.S!, 'a real message, now'));
    // An older record delivered late (created a minute before): the group, now real and past, stays.
    const earlier = await backendCreateMessage(client, table, group, andrew, 'earlier', naiveNow(plus(now, -60), zone, 1));
    expect(await processRecords([insertRecord(earlier, Math.floor(now.getTime() / 1000) - 60)], { client, table, zone })).toMatchObject({ moved: 0, older: 1 });
    expect(await groups(client, table, group)).toEqual(expectBoth(andrew, bayko, real.sk!.S!, 'a real message, now'));
  });

  it('trusts a group time in the near future (clock skew allowance)', async () => {
    const table = await createMessagesTable('real');
    const now = new Date();
    const group = await backendCreateMessageGroup(client, table, andrew, bayko, 'a few seconds ahead', awareNow(plus(now, 30), 'UTC', 1));
    const real = await backendCreateMessage(client, table, group, bayko, 'now', naiveNow(now, 'UTC', 1));
    expect(await processRecords([insertRecord(real)], { client, table })).toMatchObject({ moved: 0, older: 1, distrusted: 0 });
  });
});

describe('5. nothing is dropped silently', () => {
  it('counts records it cannot use, and conversations kept because the message is older, with a reason', async () => {
    const table = await createMessagesTable('real');
    const group = await backendCreateMessageGroup(client, table, andrew, bayko, 'newest', awareNow(at('2026-11-25T12:00:00Z'), 'UTC', 1));
    const old = await backendCreateMessage(client, table, group, bayko, 'old', naiveNow(at('2026-11-25T11:00:00Z'), 'UTC', 1));
    const broken = insertRecord({ ...old, sk: { S: 'yesterday' } });
    const lines: string[] = [];
    const result = await processRecords([insertRecord(old), broken], { client, table, log: (line) => lines.push(line) });
    expect(result).toMatchObject({ records: 2, messages: 2, unusable: 1, older: 1, moved: 0, batchItemFailures: [] });
    expect(lines.join('\n')).toMatch(/skipped \d+: sk "yesterday" is not an ISO-8601 time/);
  });
});
