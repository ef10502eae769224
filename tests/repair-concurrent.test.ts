/**
 * `repair` while messages arrive (issue 22, "not tried yet"): another writer sends a message and the stream
 * moves the group items at the worst moment of a conversation's repair. The moment is chosen by a
 * middleware on repair's own client (the real DynamoDB Local, the real send and the stream's real move run
 * there), so each interleaving is tried every time, not by luck. At the end every group item must sit at
 * its conversation's newest message: none moved back, none duplicated, none left behind.
 */
import { spawn } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DeleteItemCommand, PutItemCommand, QueryCommand, type DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { describe, expect, it } from 'vitest';
import { groupItemPair, moveConversation, repairTable, sendMessage, type Participant } from '../src/patterns/index.js';
import { awareNow, backendCreateMessage, backendCreateMessageGroup, naiveNow } from './helpers/backend.js';
import { CLI, cleanEnv, createMessagesTable, spawnCli, testClient } from './helpers/cli.js';
import { scaled } from './helpers/time-scale.js';
import { groups } from './helpers/stream.js';

const client = testClient();
const zone = 'UTC';
const andrew: Participant = { uuid: '8c000000-0000-4000-8000-000000000001', displayName: 'Andrew Brown', handle: 'andrewbrown' };
const bayko: Participant = { uuid: '8c000000-0000-4000-8000-000000000002', displayName: 'Andrew Bayko', handle: 'bayko' };
const T0 = new Date('2026-11-20T15:00:00Z');
const later = (minutes: number) => new Date(T0.getTime() + minutes * 60_000);
const both = (sk: string, message: string) => ({ [`GRP#${andrew.uuid}`]: [sk, message], [`GRP#${bayko.uuid}`]: [sk, message] });

/** A client of its own for repair, that runs `interleave` once, just before the first call `when` picks. */
function clientWith(when: (command: string, input: Record<string, unknown>) => boolean, interleave: () => Promise<void>): DynamoDBClient {
  const own = testClient();
  let done = false;
  own.middlewareStack.add(
    (next, context) => async (args) => {
      if (!done && when(context.commandName ?? '', args.input as Record<string, unknown>)) {
        done = true;
        await interleave();
      }
      return next(args);
    },
    { step: 'initialize', name: 'interleave' },
  );
  return own;
}

/** What a running `send` and `stream` do: a new message, then the stream's move of both group items to it. */
async function sendAndApply(table: string, group: string, text: string, at: Date) {
  const sent = await sendMessage(client, table, { from: andrew, to: bayko, message: text, createdAt: at.toISOString() });
  expect(sent.message_group_uuid).toBe(group);
  expect(await moveConversation(client, table, group, { sk: sent.created_at, message: text })).toBe('moved');
  return sent.created_at;
}

type Moment = (command: string, input: Record<string, unknown>) => boolean;
/** The moments of a conversation's repair another writer can land in: before each read, and before the write. */
const MOMENTS: [string, Moment][] = [
  ['before repair reads the group items', (command, input) => command === 'QueryCommand' && input.IndexName === 'message-group-sk-index'],
  ['before repair reads the messages', (command, input) => command === 'QueryCommand' && input.IndexName === undefined],
  ['before repair writes', (command) => command === 'TransactWriteItemsCommand'],
];

describe('repair beside a running send and stream', () => {
  it.each(MOMENTS)('group items behind, a message sent and applied %s: none is moved back or left behind', async (_, moment) => {
    const table = await createMessagesTable('repair-race');
    // Both group items behind: repair has work to do.
    const group = await backendCreateMessageGroup(client, table, andrew, bayko, 'hello', awareNow(later(0), zone));
    await backendCreateMessage(client, table, group, bayko, 'one', naiveNow(later(1), zone));
    let newest = '';
    const racing = clientWith(moment, async () => {
      newest = await sendAndApply(table, group, 'two', later(2));
    });
    const report = await repairTable({ client: racing, table, zone, log: (line) => expect.fail(line) });
    expect(report.failed).toBe(0);
    expect(newest).not.toBe('');
    expect(await groups(client, table, group)).toEqual(both(newest, 'two'));
  });

  it.each(MOMENTS)('a group item missing, a message sent and applied %s: the item put is not left behind', async (_, moment) => {
    const table = await createMessagesTable('repair-race');
    const group = await backendCreateMessageGroup(client, table, andrew, bayko, 'hello', awareNow(later(0), zone));
    const one = await backendCreateMessage(client, table, group, bayko, 'one', naiveNow(later(1), zone));
    // bayko's group item is gone (missing); andrew's is at 'one' already (the stream moved it).
    const baykos = groupItemPair(andrew, bayko, { messageGroupUuid: group, message: 'hello', sk: awareNow(later(0), zone) })[1]!;
    await client.send(new DeleteItemCommand({ TableName: table, Key: { pk: baykos.pk!, sk: baykos.sk! } }));
    expect(await moveConversation(client, table, group, { sk: one.sk!.S!, message: 'one' })).toBe('moved');
    let newest = '';
    // The stream sees only andrew's item, so only repair can put bayko's where it belongs.
    const racing = clientWith(moment, async () => {
      newest = await sendAndApply(table, group, 'two', later(2));
    });
    const report = await repairTable({ client: racing, table, zone, log: (line) => expect.fail(line) });
    expect(report).toMatchObject({ failed: 0, found: { missing: 1 } });
    expect(await groups(client, table, group)).toEqual(both(newest, 'two'));
  });
});

describe('repair, stream and send as running processes', () => {
  it('repair runs while `send` writes and `stream` follows: no message lost, no group item wrong or doubled at the end', async () => {
    const table = await createMessagesTable('repair-live');
    const group = await backendCreateMessageGroup(client, table, andrew, bayko, 'hello', awareNow(later(0), zone));
    // Damage for repair to heal while the others run: an older group item of each owner left behind.
    for (const Item of groupItemPair(andrew, bayko, { messageGroupUuid: group, message: 'stale', sk: awareNow(later(-10), zone) }))
      await client.send(new PutItemCommand({ TableName: table, Item }));
    const stream = spawn(process.execPath, [CLI, 'stream', '--table', table, '--checkpoint-dir', mkdtempSync(join(tmpdir(), 'ckpt-')), '-o', 'json'], {
      env: cleanEnv({}, true),
    });
    let streamOut = '';
    stream.stdout.on('data', (chunk: Buffer) => (streamOut += chunk.toString()));
    const streamExited = new Promise<number | null>((resolve) => stream.on('close', resolve));
    try {
      const SENDS = 8;
      const sends = (async () => {
        for (let i = 1; i <= SENDS; i++) {
          const [from, to] = i % 2 ? [andrew, bayko] : [bayko, andrew];
          const sent = await spawnCli(['send', '--table', table, '--from', from.uuid, '--to', to.uuid, `live ${i}`]);
          expect(sent.code, sent.stderr).toBe(0);
        }
      })();
      const repairs = (async () => {
        for (let i = 0; i < 3; i++) {
          const repaired = await spawnCli(['repair', '--table', table, '-o', 'json']);
          expect(repaired.code, repaired.stderr).toBe(0);
          expect(JSON.parse(repaired.stdout)).toMatchObject({ failed: 0 });
        }
      })();
      await Promise.all([sends, repairs]);
      const messages = await client.send(
        new QueryCommand({ TableName: table, KeyConditionExpression: 'pk = :pk', ExpressionAttributeValues: { ':pk': { S: `MSG#${group}` } } }),
      );
      expect(messages.Items).toHaveLength(1 + SENDS);
      expect(new Set(messages.Items!.map((item) => item.message_uuid!.S)).size).toBe(1 + SENDS);
      const last = messages.Items!.find((item) => item.message!.S === `live ${SENDS}`)!.sk!.S!;
      // The stream catches up; then both group items are at the last message, once each, and a dry run finds nothing.
      for (let i = 0; i < scaled(150) && JSON.stringify(await groups(client, table, group)) !== JSON.stringify(both(last, `live ${SENDS}`)); i++)
        await new Promise((resolve) => setTimeout(resolve, 200));
      expect(await groups(client, table, group)).toEqual(both(last, `live ${SENDS}`));
      const report = await repairTable({ client, table, zone, dryRun: true });
      expect(report).toMatchObject({ conversations: 1, messages: 1 + SENDS, found: { behind: 0, ahead: 0, duplicate: 0, missing: 0 }, failed: 0 });
    } finally {
      stream.kill('SIGTERM');
    }
    expect(await streamExited).toBe(0);
    expect(JSON.parse(streamOut)).toMatchObject({ failedRecords: 0 });
  }, 180_000);
});
