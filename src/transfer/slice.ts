/**
 * `copy --users`: a slice of a messages table, read through the access patterns, never a Scan of the
 * table's items (README.md, "The data model"):
 *   1. the picked users' group items: Query `pk = GRP#<user>` (pattern 1), every page;
 *   2. for each of their conversations, every group item of it (the other participants' too, and
 *      duplicates the backend left): Query the index `message-group-sk-index` on message_group_uuid;
 *   3. that conversation's messages: Query `pk = MSG#<conversation>` (pattern 2), every page.
 * So every conversation in the slice reads whole on the target, for every participant. Items are
 * read typed (as copy writes them) and handed on page by page; only the picked users' group items are
 * held, to write them first and not twice.
 * Who is picked (slice-pick.ts) is the only read that may Scan, and only the index, boundedly.
 */
import { paginateQuery, type DynamoDBClient, type QueryCommandInput, type TableDescription } from '@aws-sdk/client-dynamodb';
import { CliError } from '../core/errors.js';
import { GROUP_PREFIX, messagePk } from '../patterns/keys.js';
import { MESSAGE_GROUP_INDEX } from '../patterns/table.js';
import { mergeBounded } from './merge.js';
import type { Item } from './typed-json.js';

/** Where a slice is read from, and the meter of what reading it cost. */
export interface SliceReader {
  client: DynamoDBClient;
  table: string;
  /** The items each Query or Scan call read (its ScannedCount: what DynamoDB bills the read for). */
  onRead(items: number): void;
}

/** Queries (or conversations) in flight at once: enough to hide a round trip to AWS, few enough for DynamoDB Local. */
export const SLICE_READERS = 16;

/** A picked user and their group items (empty when they have no conversation). */
export interface PickedUser {
  uuid: string;
  /** Known when given, or found in public.users or a partner's group item. */
  handle?: string;
  groups: Item[];
}

export interface SliceCounts {
  conversations: number;
  groupItems: number;
  messages: number;
  /** Owners of the group items in the slice: the picked users and everyone they talk to. */
  participants: Set<string>;
}

/** The source must have the index step 2 reads, projecting every attribute (so its items are whole items). */
export function checkSliceSource(description: TableDescription, table: string): void {
  const index = (description.GlobalSecondaryIndexes ?? []).find((i) => i.IndexName === MESSAGE_GROUP_INDEX);
  const hash = index?.KeySchema?.find((k) => k.KeyType === 'HASH')?.AttributeName;
  if (!index || hash !== 'message_group_uuid' || index.Projection?.ProjectionType !== 'ALL') {
    throw new CliError(
      'copy.no_group_index',
      `Table ${table} has no index ${MESSAGE_GROUP_INDEX} on message_group_uuid projecting ALL, which --users reads through`,
      {
        hint: 'Copy the whole table (leave out --users), or give the table its index (schema-load creates it)',
      },
    );
  }
}

/** Every page of a Query, metered. */
export async function* queryPages(reader: SliceReader, input: Omit<QueryCommandInput, 'TableName' | 'ExclusiveStartKey'>): AsyncGenerator<Item[]> {
  for await (const page of paginateQuery({ client: reader.client }, { ...input, TableName: reader.table })) {
    reader.onRead(page.ScannedCount ?? page.Items?.length ?? 0);
    if (page.Items?.length) yield page.Items;
  }
}

/** Pattern 1, typed: every group item of a user (duplicates included). */
async function groupsOf(reader: SliceReader, userUuid: string): Promise<Item[]> {
  const items: Item[] = [];
  const input = { KeyConditionExpression: 'pk = :pk', ExpressionAttributeValues: { ':pk': { S: `${GROUP_PREFIX}${userUuid}` } } };
  for await (const page of queryPages(reader, input)) items.push(...page);
  return items;
}

/** The group items of each user, SLICE_READERS users at a time (a failure stops the others after their current call). */
export async function groupsOfUsers(reader: SliceReader, uuids: string[]): Promise<Map<string, Item[]>> {
  const found = new Map<string, Item[]>();
  let next = 0;
  let failed = false;
  const worker = async () => {
    while (!failed && next < uuids.length) {
      const uuid = uuids[next++]!;
      try {
        found.set(uuid, await groupsOf(reader, uuid));
      } catch (error) {
        failed = true;
        throw error;
      }
    }
  };
  await Promise.all(Array.from({ length: Math.min(SLICE_READERS, uuids.length) }, worker));
  return found;
}

const keyOf = (item: Item) => `${item.pk?.S}\u0000${item.sk?.S}`;

/** Steps 2 and 3 for one conversation: its group items not handed on yet, then its messages, page by page. */
async function* conversation(reader: SliceReader, groupUuid: string, handed: Set<string>, counts: SliceCounts): AsyncGenerator<Item[]> {
  const groups = {
    IndexName: MESSAGE_GROUP_INDEX,
    KeyConditionExpression: 'message_group_uuid = :g',
    ExpressionAttributeValues: { ':g': { S: groupUuid } },
  };
  for await (const page of queryPages(reader, groups)) {
    const fresh = page.filter((item) => !handed.has(keyOf(item)));
    counts.groupItems += fresh.length;
    for (const item of fresh) if (item.pk?.S) counts.participants.add(item.pk.S);
    yield fresh;
  }
  for await (const page of queryPages(reader, { KeyConditionExpression: 'pk = :pk', ExpressionAttributeValues: { ':pk': { S: messagePk(groupUuid) } } })) {
    counts.messages += page.length;
    yield page;
  }
}

/**
 * Every item of the slice of `users`, for the batch writer: their own group items first (already
 * read while picking them), then each conversation's, SLICE_READERS conversations at a time.
 */
export async function* sliceItems(reader: SliceReader, users: PickedUser[], counts: SliceCounts): AsyncGenerator<Item> {
  const handed = new Set<string>();
  const conversations = new Set<string>();
  for (const user of users) {
    for (const item of user.groups) {
      const key = keyOf(item);
      if (handed.has(key)) continue;
      handed.add(key);
      counts.groupItems++;
      counts.participants.add(item.pk!.S!);
      const groupUuid = item.message_group_uuid?.S;
      if (groupUuid) conversations.add(groupUuid);
      yield item;
    }
  }
  counts.conversations = conversations.size;
  const readers = (function* () {
    for (const groupUuid of conversations) yield conversation(reader, groupUuid, handed, counts);
  })();
  for await (const page of mergeBounded(readers, SLICE_READERS)) yield* page;
}
