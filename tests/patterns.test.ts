/** The access-pattern library against the real DynamoDB Local (its pure input builders: tests/unit/pattern-inputs.test.ts). */
import { GetItemCommand, PutItemCommand, QueryCommand, ScanCommand } from '@aws-sdk/client-dynamodb';
import { beforeAll, describe, expect, it } from 'vitest';
import {
  createMessage,
  createMessageGroup,
  InvalidCursorError,
  listMessageGroups,
  listMessages,
  type MessageJson,
  type Participant,
} from '../src/patterns/index.js';
import { createMessagesTable, testClient } from './helpers/cli.js';

const client = testClient();
const andrew: Participant = { uuid: '7f3a0c42-5d1e-4b8a-9c2f-0a1b2c3d4e5f', displayName: 'Andrew Brown', handle: 'andrewbrown' };
const bayko: Participant = { uuid: '1c2d3e4f-5a6b-4c7d-8e9f-a0b1c2d3e4f5', displayName: 'Andrew Bayko', handle: 'bayko' };
const londo: Participant = { uuid: '9e8d7c6b-5a49-4838-a7b6-c5d4e3f2a1b0', displayName: 'Londo Mollari', handle: 'londo' };

const newTable = () => createMessagesTable('patterns');

describe('patterns on DynamoDB Local', () => {
  let table: string;
  beforeAll(async () => {
    table = await newTable();
  });

  it('createMessageGroup writes exactly the attributes of the data model, and returns the group uuid', async () => {
    const created = await createMessageGroup(client, table, {
      sender: andrew,
      recipient: bayko,
      message: 'Are you coming to the demo?',
      createdAt: '2026-03-02T10:00:00Z',
    });
    expect(created).toMatchObject({ handle: 'andrewbrown', message: 'Are you coming to the demo?', created_at: '2026-03-02T10:00:00.000000+00:00' });
    const group = created.message_group_uuid;
    expect(group).toMatch(/^[0-9a-f-]{36}$/);
    const mine = await client.send(new GetItemCommand({ TableName: table, Key: { pk: { S: `GRP#${andrew.uuid}` }, sk: { S: created.created_at } } }));
    expect(mine.Item).toEqual({
      pk: { S: `GRP#${andrew.uuid}` },
      sk: { S: '2026-03-02T10:00:00.000000+00:00' },
      message_group_uuid: { S: group },
      message: { S: 'Are you coming to the demo?' },
      user_uuid: { S: bayko.uuid },
      user_display_name: { S: 'Andrew Bayko' },
      user_handle: { S: 'bayko' },
    });
    const theirs = await client.send(new GetItemCommand({ TableName: table, Key: { pk: { S: `GRP#${bayko.uuid}` }, sk: { S: created.created_at } } }));
    expect(theirs.Item?.user_handle).toEqual({ S: 'andrewbrown' });
    expect(theirs.Item?.message_group_uuid).toEqual({ S: group });
    const message = await client.send(new GetItemCommand({ TableName: table, Key: { pk: { S: `MSG#${group}` }, sk: { S: created.created_at } } }));
    expect(message.Item).toEqual({
      pk: { S: `MSG#${group}` },
      sk: { S: '2026-03-02T10:00:00.000000+00:00' },
      message_uuid: { S: created.uuid },
      message: { S: 'Are you coming to the demo?' },
      user_uuid: { S: andrew.uuid },
      user_display_name: { S: 'Andrew Brown' },
      user_handle: { S: 'andrewbrown' },
    });
    // Only group items carry message_group_uuid, so the GSI holds them alone.
    const index = await client.send(
      new QueryCommand({
        TableName: table,
        IndexName: 'message-group-sk-index',
        KeyConditionExpression: 'message_group_uuid = :g',
        ExpressionAttributeValues: { ':g': { S: group } },
      }),
    );
    expect(index.Items?.map((i) => i.pk?.S).sort()).toEqual([`GRP#${andrew.uuid}`, `GRP#${bayko.uuid}`].sort());
  });

  it('createMessageGroup is all or nothing', async () => {
    // The sender's group item names the recipient; a long recipient name pushes only that item past
    // DynamoDB's 400 KB item limit, so the transaction must fail and leave nothing behind.
    const bigName: Participant = { ...londo, displayName: 'L'.repeat(3000) };
    const own = await newTable();
    await expect(createMessageGroup(client, own, { sender: andrew, recipient: bigName, message: 'x'.repeat(409_600 - 1500) })).rejects.toThrow();
    const { Count } = await client.send(new ScanCommand({ TableName: own, Select: 'COUNT' }));
    expect(Count).toBe(0);
  });

  it('two messages in the same microsecond both survive, one microsecond apart', async () => {
    const createdAt = '2026-05-05T05:05:05.555555+00:00';
    const [a, b] = await Promise.all([
      createMessage(client, table, { messageGroupUuid: 'g-collide', sender: andrew, message: 'first', createdAt }),
      createMessage(client, table, { messageGroupUuid: 'g-collide', sender: bayko, message: 'second', createdAt }),
    ]);
    expect([a.created_at, b.created_at].sort()).toEqual(['2026-05-05T05:05:05.555555+00:00', '2026-05-05T05:05:05.555556+00:00']);
    const third = await createMessage(client, table, { messageGroupUuid: 'g-collide', sender: andrew, message: 'third', createdAt });
    expect(third.created_at).toBe('2026-05-05T05:05:05.555557+00:00');
    const page = await listMessages(client, table, 'g-collide');
    expect(page.items.map((m) => m.message).sort()).toEqual(['first', 'second', 'third']);
    expect(page.items.at(-1)?.message).toBe('third');
  });

  it('lists and pages a conversation that crosses 31 December, newest page first, each page oldest first', async () => {
    const group = 'g-new-year';
    const times = ['2025-12-30T22:00:00Z', '2025-12-31T23:59:59.999999Z', '2026-01-01T00:00:00Z', '2026-01-01T00:00:01Z', '2026-01-02T08:00:00Z'];
    for (const [i, createdAt] of times.entries())
      await createMessage(client, table, { messageGroupUuid: group, sender: i % 2 ? andrew : bayko, message: `m${i}`, createdAt });
    const pages: MessageJson[][] = [];
    let cursor: string | undefined;
    do {
      const page = await listMessages(client, table, group, { limit: 2, cursor });
      pages.push(page.items);
      cursor = page.cursor;
    } while (cursor);
    expect(pages.filter((p) => p.length > 0).map((p) => p.map((m) => m.message))).toEqual([['m3', 'm4'], ['m1', 'm2'], ['m0']]);
    expect(pages[1]?.[0]?.created_at).toBe('2025-12-31T23:59:59.999999+00:00');

    // A user whose conversations ended last year still sees them, newest first.
    for (const [other, sk] of [
      [bayko, '2025-12-31T23:00:00.000000+00:00'],
      [andrew, '2026-01-01T01:00:00.000000+00:00'],
      [bayko, '2024-06-01T00:00:00.000000+00:00'],
    ] as const) {
      await client.send(
        new PutItemCommand({
          TableName: table,
          Item: {
            pk: { S: `GRP#${londo.uuid}` },
            sk: { S: sk },
            message_group_uuid: { S: `g-${sk}` },
            message: { S: sk },
            user_uuid: { S: other.uuid },
            user_display_name: { S: other.displayName },
            user_handle: { S: other.handle },
          },
        }),
      );
    }
    const first = await listMessageGroups(client, table, londo.uuid, { limit: 2 });
    expect(first.items.map((g) => g.created_at)).toEqual(['2026-01-01T01:00:00.000000+00:00', '2025-12-31T23:00:00.000000+00:00']);
    expect(first.items[0]).toEqual({
      uuid: 'g-2026-01-01T01:00:00.000000+00:00',
      display_name: 'Andrew Brown',
      handle: 'andrewbrown',
      message: '2026-01-01T01:00:00.000000+00:00',
      created_at: '2026-01-01T01:00:00.000000+00:00',
    });
    const second = await listMessageGroups(client, table, londo.uuid, { limit: 2, cursor: first.cursor });
    expect(second.items.map((g) => g.created_at)).toEqual(['2024-06-01T00:00:00.000000+00:00']);
    expect(second.cursor).toBeUndefined();
    await expect(listMessageGroups(client, table, andrew.uuid, { cursor: first.cursor })).rejects.toThrow(InvalidCursorError);
  });

  it('reads items shaped the way the Flask backend (boto3) writes them', async () => {
    // Python's isoformat() drops the fraction when microsecond is 0, and create_message_group writes
    // astimezone() times: readers must take any ISO-8601 form and keep the stored text.
    const group = 'g-boto3';
    const put = (sk: string, text: string, who: Participant) =>
      client.send(
        new PutItemCommand({
          TableName: table,
          Item: {
            pk: { S: `MSG#${group}` },
            sk: { S: sk },
            message: { S: text },
            message_uuid: { S: `m-${text}` },
            user_uuid: { S: who.uuid },
            user_display_name: { S: who.displayName },
            user_handle: { S: who.handle },
          },
        }),
      );
    await put('2026-11-25T03:07:49.788804+00:00', 'later', andrew);
    await put('2026-11-25T03:07:49+00:00', 'earlier', bayko);
    const page = await listMessages(client, table, group);
    expect(page.items).toEqual([
      { uuid: 'm-earlier', display_name: 'Andrew Bayko', handle: 'bayko', message: 'earlier', created_at: '2026-11-25T03:07:49+00:00' },
      { uuid: 'm-later', display_name: 'Andrew Brown', handle: 'andrewbrown', message: 'later', created_at: '2026-11-25T03:07:49.788804+00:00' },
    ]);
    expect(page.cursor).toBeUndefined();
  });
});
