/**
 * The seed's group items, idempotent across moves. A plain put of the seed's group items would leave a
 * second item for an owner whose conversation the stream (or the app) moved since: the moved one and the
 * re-seeded one, and the app would list that conversation twice. So each conversation's group items are read
 * first (GSI), and:
 *   - none there: both seed items are batch-written (the fast path of a fresh table);
 *   - some there: one transaction leaves exactly one item per owner, at the newest of the seed's last message
 *     and what the table already had (repair's planner, with the stream handler's conditions);
 *     and its messages' uuids are read, so that a message already there is not written again under another
 *     sk (a seed run in another time form or zone gives the same instant another spelling, hence another key:
 *     a message's identity is its message_uuid in its conversation, not its sk).
 */
import type { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { paginateQuery } from '@aws-sdk/lib-dynamodb';
import { docClient } from '../patterns/doc-client.js';
import { transactWithFreeKeys } from '../patterns/group-transaction.js';
import { plainItem, type Item, type Participant, type PlainItem } from '../patterns/items.js';
import { messagePk } from '../patterns/keys.js';
import { isMoveConflict, MAX_MOVE_ATTEMPTS, queryGroupItems } from '../patterns/move-group.js';
import { planConversationRepair, type NewestMessage } from '../patterns/repair-plan.js';
import { compareTimes } from '../patterns/time.js';

export interface SeedGroup {
  messageGroupUuid: string;
  /** The seed's two group items (at its last message), typed for the batch writer. */
  items: Item[];
  people: Participant[];
}

export interface SeedGroupsResult {
  /** Seed group items for conversations the table did not have: for the batch writer. */
  fresh: Item[];
  /** Conversations whose existing group items were reconciled in a transaction. */
  reconciled: number;
  /** The messages already in those conversations, message_uuid -> sk: one there under another sk is not written again. */
  present: Map<string, string>;
}

/** The message_uuid and sk of a conversation's messages, all pages, projecting nothing else. */
export async function messageKeysOf(client: DynamoDBClient, table: string, messageGroupUuid: string): Promise<[uuid: string, sk: string][]> {
  const keys: [string, string][] = [];
  const pages = paginateQuery(
    { client: docClient(client) },
    {
      TableName: table,
      KeyConditionExpression: 'pk = :pk',
      ExpressionAttributeValues: { ':pk': messagePk(messageGroupUuid) },
      ProjectionExpression: 'message_uuid, sk',
    },
  );
  for await (const page of pages) {
    for (const { message_uuid, sk } of page.Items ?? []) if (typeof message_uuid === 'string' && typeof sk === 'string') keys.push([message_uuid, sk]);
  }
  return keys;
}

/** The newest of the seed's last message and the existing group items (by instant under the zone rule). */
export function newestOf(seedItems: readonly Item[], existing: readonly PlainItem[], zone: string): NewestMessage {
  const first = plainItem(seedItems[0]!);
  let newest: NewestMessage = { sk: first.sk!, message: first.message! };
  for (const { sk, message } of existing) {
    if (sk && compareTimes(sk, newest.sk, zone) > 0) newest = { sk, message: message ?? '' };
  }
  return newest;
}

async function reconcile(client: DynamoDBClient, table: string, group: SeedGroup, zone: string): Promise<Item[] | 'done'> {
  for (let attempt = 1; ; attempt++) {
    const existing = await queryGroupItems(client, table, group.messageGroupUuid);
    if (existing.length === 0) return group.items;
    const people = new Map(group.people.map((p) => [p.uuid, p]));
    const plan = planConversationRepair(table, group.messageGroupUuid, existing, newestOf(group.items, existing, zone), people, zone);
    if (!plan.input) return 'done';
    try {
      await transactWithFreeKeys(client, plan.input);
      return 'done';
    } catch (error) {
      if (!isMoveConflict(error) || attempt >= MAX_MOVE_ATTEMPTS) throw error;
    }
  }
}

/** Reads every conversation's group items (`concurrency` at a time) and reconciles the ones that exist. */
export async function seedGroups(client: DynamoDBClient, table: string, groups: readonly SeedGroup[], zone: string, concurrency = 8): Promise<SeedGroupsResult> {
  const result: SeedGroupsResult = { fresh: [], reconciled: 0, present: new Map() };
  let next = 0;
  const worker = async () => {
    while (next < groups.length) {
      const group = groups[next++]!;
      const outcome = await reconcile(client, table, group, zone);
      if (outcome === 'done') {
        result.reconciled++;
        for (const [uuid, sk] of await messageKeysOf(client, table, group.messageGroupUuid)) result.present.set(uuid, sk);
      } else result.fresh.push(...outcome);
    }
  };
  await Promise.all(Array.from({ length: Math.min(concurrency, groups.length) }, worker));
  return result;
}
