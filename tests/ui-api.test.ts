/**
 * The page's reads (src/ui/api.ts) in-process against DynamoDB Local: every list is one page at a time,
 * and following the cursors visits each item once, in order. This is what lets the page open a user
 * with 100,000 conversations: nothing reads more than a page.
 */
import { BatchWriteItemCommand, type WriteRequest } from '@aws-sdk/client-dynamodb';
import { describe, expect, it } from 'vitest';
import { groupItem, skTime, type Item, type Participant } from '../src/patterns/index.js';
import { CONVERSATIONS_PAGE, USERS_PAGE, conversationPage, instantIso, usersFromGroups, type Shown } from '../src/ui/api.js';
import { touchedGroups } from '../src/ui/live.js';
import { createMessagesTable, testClient } from './helpers/cli.js';

const client = testClient();
const person = (n: number): Participant => ({
  uuid: `9b000000-0000-4000-8000-${String(n).padStart(12, '0')}`,
  displayName: `Person ${n}`,
  handle: `person${n}`,
});

async function put(table: string, items: Item[]): Promise<void> {
  for (let i = 0; i < items.length; i += 25) {
    let requests: WriteRequest[] = items.slice(i, i + 25).map((Item) => ({ PutRequest: { Item } }));
    while (requests.length) requests = (await client.send(new BatchWriteItemCommand({ RequestItems: { [table]: requests } }))).UnprocessedItems?.[table] ?? [];
  }
}

async function all<T>(read: (cursor?: string) => Promise<Shown<T>>): Promise<{ items: T[]; pages: number[] }> {
  const items: T[] = [];
  const pages: number[] = [];
  let cursor: string | undefined;
  do {
    const page = await read(cursor);
    items.push(...page.items);
    pages.push(page.raw.length);
    cursor = page.cursor ?? undefined;
  } while (cursor);
  return { items, pages };
}

describe('the page reads', () => {
  it("pages a user's conversations newest first, each once", async () => {
    const table = await createMessagesTable('uiapi');
    const owner = person(1);
    const count = CONVERSATIONS_PAGE * 2 + 7;
    const group = (i: number) => `9c000000-0000-4000-8000-${String(i).padStart(12, '0')}`;
    await put(
      table,
      Array.from({ length: count }, (_, i) =>
        groupItem({ owner, other: person(100 + i), messageGroupUuid: group(i), message: `m${i}`, sk: skTime(new Date(Date.UTC(2026, 0, 1, 0, i))) }),
      ),
    );
    const { items, pages } = await all((cursor) => conversationPage(client, table, owner.uuid, cursor));
    expect(pages).toEqual([CONVERSATIONS_PAGE, CONVERSATIONS_PAGE, 7]);
    expect(items.map((row) => row.uuid)).toEqual(Array.from({ length: count }, (_, i) => group(count - 1 - i)));
    expect(items[0]).toMatchObject({ handle: `person${100 + count - 1}`, user_uuid: person(100 + count - 1).uuid, message: `m${count - 1}` });
  });

  it('finds every user who owns a conversation from group items, a Scan page at a time', async () => {
    const table = await createMessagesTable('uiapi');
    // USERS_PAGE + 30 conversations, each between person(i) and person(i + 1): both group items of each.
    const conversations = USERS_PAGE / 2 + 30;
    const items = Array.from({ length: conversations }, (_, i) => {
      const [a, b] = [person(i), person(i + 1)];
      const fields = {
        messageGroupUuid: `9d000000-0000-4000-8000-${String(i).padStart(12, '0')}`,
        message: 'hi',
        sk: skTime(new Date(Date.UTC(2026, 0, 1, 0, i))),
      };
      return [groupItem({ ...fields, owner: a, other: b }), groupItem({ ...fields, owner: b, other: a })];
    }).flat();
    await put(table, items);
    const { items: users, pages } = await all((cursor) => usersFromGroups(client, table, cursor));
    expect(pages.length).toBeGreaterThan(1);
    expect(pages.every((size) => size <= USERS_PAGE)).toBe(true);
    const unique = new Set(users.map((user) => user.uuid));
    expect(unique).toEqual(new Set(Array.from({ length: conversations + 1 }, (_, i) => person(i).uuid)));
    expect(users.find((user) => user.uuid === person(3).uuid)).toEqual({ uuid: person(3).uuid, display_name: 'Person 3', handle: 'person3' });
  });

  it('tells the page which conversations a stream batch touched: new messages and moved group items', () => {
    const insert = (Keys: Item, NewImage: Item) => ({ eventName: 'INSERT' as const, dynamodb: { Keys, NewImage, SequenceNumber: '1' } });
    const groups = touchedGroups([
      insert(
        { pk: { S: 'MSG#g-1' }, sk: { S: '2026-01-01T00:00:00.000000+00:00' } },
        { pk: { S: 'MSG#g-1' }, sk: { S: '2026-01-01T00:00:00.000000+00:00' }, message: { S: 'hi' } },
      ),
      insert({ pk: { S: 'GRP#u-1' }, sk: { S: '2026-01-01T00:00:00.000000+00:00' } }, { pk: { S: 'GRP#u-1' }, message_group_uuid: { S: 'g-2' } }),
      { eventName: 'REMOVE' as const, dynamodb: { Keys: { pk: { S: 'GRP#u-1' } }, SequenceNumber: '2' } },
    ]);
    expect(groups.sort()).toEqual(['g-1', 'g-2']);
  });

  it('gives the page each time as an instant: a time without an offset is in the configured zone', () => {
    expect(instantIso('2026-01-01T10:00:00.123456', 'America/New_York')).toBe('2026-01-01T15:00:00.123Z');
    expect(instantIso('2026-01-01T10:00:00.000000+00:00', 'America/New_York')).toBe('2026-01-01T10:00:00.000Z');
    expect(instantIso('2026-07-01T10:00:00-05:00', 'UTC')).toBe('2026-07-01T15:00:00.000Z');
    expect(instantIso('not a time', 'UTC')).toBeNull();
  });
});
