/**
 * The seed's group items, idempotent across moves. A plain put of the seed's group items would leave a
 * second item for an owner whose conversation the stream (or the app) moved since: the moved one and the
 * re-seeded one, and the app would list that conversation twice. So each conversation's group items are read
 * first (GSI), and:
 *   - none there: both seed items are batch-written (the fast path of a fresh table);
 *   - some there: one transaction leaves exactly one item per owner, at the newest of the seed's last message
 *     and what the table already had (repair's planner, with the stream handler's conditions).
 */
import type { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { transactWithFreeKeys } from '../patterns/group-transaction.js';
import { plainItem, type Item, type Participant, type PlainItem } from '../patterns/items.js';
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
  const result: SeedGroupsResult = { fresh: [], reconciled: 0 };
  let next = 0;
  const worker = async () => {
    while (next < groups.length) {
      const outcome = await reconcile(client, table, groups[next++]!, zone);
      if (outcome === 'done') result.reconciled++;
      else result.fresh.push(...outcome);
    }
  };
  await Promise.all(Array.from({ length: Math.min(concurrency, groups.length) }, worker));
  return result;
}
