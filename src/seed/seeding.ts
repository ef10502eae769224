/**
 * Seeding as a service: the sample conversations of a seed folder (or N synthetic ones) into a table, for
 * `cruddur-ddb seed` and `cruddur-ddb local --seed` alike. Takes values (a client, the table, the time rule,
 * a PostgreSQL URL when users come from the app's database), returns counts; asks nobody anything.
 */
import type { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { CliError } from '../core/errors.js';
import { packagePath } from '../core/package-root.js';
import type { Item, Participant } from '../patterns/items.js';
import type { TimeRule } from '../patterns/time.js';
import { batchWriteAll } from './batch-write.js';
import { conversationItems, itemSize, MAX_ITEM_BYTES, type SeedConversation, type SeedData } from './data.js';
import { malformed, readSeedDir } from './files.js';
import { messageKeysOf, seedGroups } from './groups.js';
import { queryGroupItems } from '../patterns/move-group.js';
import { syntheticConversations, syntheticPlan } from './synthetic.js';

/** The seed/ folder shipped with the package. */
export const DEFAULT_SEED_DIR = packagePath('seed');

/** A run of conversations written together, with the people they name. */
export interface SeedChunk {
  conversations: SeedConversation[];
  users: Map<string, Participant>;
}

export interface SeedCounts {
  items: number;
  conversations: number;
  users: number;
}

/** What will be written, known before anything is: the command asks its prod question with these counts. */
export interface SeedSource {
  counts: SeedCounts;
  /** The seed folder's data (undefined for synthetic data, generated as it is written). */
  data: SeedData | undefined;
  chunks(): Iterable<SeedChunk>;
}

/** Two items with one key in a run would make BatchWriteItem refuse the request: say which. */
function checkUniqueKeys(items: Item[]): void {
  const seen = new Set<string>();
  for (const item of items) {
    const key = `${item.pk?.S} ${item.sk?.S}`;
    if (seen.has(key)) {
      throw new CliError('seed.duplicate_key', `Two seed items share the key ${key}`, {
        hint: 'Two conversations of one user end at the same time: change the time of one last message',
      });
    }
    seen.add(key);
  }
}

/**
 * The items of the seed files, each checked against DynamoDB's 400 KB item limit while the files are
 * read, so an oversized message is named by file:line before anything is written.
 */
function fileItems(data: SeedData): Item[] {
  const users = new Map<string, Participant>(data.users.map((user) => [user.handle, user]));
  const items: Item[] = [];
  for (const conversation of data.conversations) {
    const made = conversationItems(conversation, users);
    for (const item of made) {
      const size = itemSize(item);
      if (size <= MAX_ITEM_BYTES) continue;
      // Group items carry the last message; message items their own (matched by time).
      const message = conversation.messages.find((m) => m.sk === item.sk?.S && item.pk?.S?.startsWith('MSG#')) ?? conversation.messages.at(-1);
      throw malformed(
        conversation.source,
        message?.line ?? 1,
        `this message makes an item of ${Math.ceil(size / 1024)} KB; DynamoDB takes at most 400 KB an item (nothing was written)`,
      );
    }
    items.push(...made);
  }
  checkUniqueKeys(items);
  return items;
}

/** A seed folder, read and checked (keys, item sizes) in full; `cwd` shortens the file names in its errors. */
export async function folderSeed(dir: string, cwd?: string): Promise<SeedSource> {
  const data = await readSeedDir(dir, cwd);
  const counts = { items: fileItems(data).length, conversations: data.conversations.length, users: data.users.length };
  return { counts, data, chunks: () => [{ conversations: data.conversations, users: new Map(data.users.map((user) => [user.handle, user])) }] };
}

/** Synthetic conversations this many at a time (5,000 messages): memory stays flat for any N. */
const SYNTHETIC_CHUNK = 25;

function* syntheticChunks(messages: number, seedValue: string): Generator<SeedChunk> {
  let chunk: SeedChunk = { conversations: [], users: new Map() };
  for (const { conversation, people } of syntheticConversations(messages, seedValue)) {
    chunk.conversations.push(conversation);
    for (const person of people) chunk.users.set(person.handle, person);
    if (chunk.conversations.length === SYNTHETIC_CHUNK) {
      yield chunk;
      chunk = { conversations: [], users: new Map() };
    }
  }
  if (chunk.conversations.length > 0) yield chunk;
}

/** N generated messages; generated chunk by chunk as they are written. */
export function syntheticSeed(messages: number, seedValue: string): SeedSource {
  return { counts: syntheticPlan(messages), data: undefined, chunks: () => syntheticChunks(messages, seedValue) };
}

/** The folder's users with the app's own uuids and display names, from PostgreSQL public.users (matched by handle). */
export async function withUsersFromDb(source: SeedSource, postgresUrl: string): Promise<SeedSource> {
  const data = source.data;
  if (!data) return source;
  const { findUsersByHandle } = await import('../postgres/users.js');
  const found = await findUsersByHandle(
    postgresUrl,
    data.users.map((user) => user.handle),
  );
  const missing = data.users.filter((user) => !found.has(user.handle)).map((user) => `@${user.handle}`);
  if (missing.length > 0) {
    throw new CliError('seed.unknown_handle', `${missing.join(', ')} ${missing.length === 1 ? 'is' : 'are'} not in public.users`, {
      hint: 'Sign up those users in the app (or insert them), or pass --no-users-from-db to use the uuids of seed/users.txt',
    });
  }
  const users = data.users.map((user) => found.get(user.handle)!);
  return { ...source, data: { ...data, users }, chunks: () => [{ conversations: data.conversations, users: new Map(users.map((user) => [user.handle, user])) }] };
}

export interface SeedWriteOptions {
  rule: TimeRule;
  concurrency: number;
  maxRetries: number;
  /** Items that landed, as they land (progress, and the count a failure reports). */
  onWritten?(count: number): void;
  /** Messages left as they are because they are there already under another sk (progress). */
  onSkipped?(count: number): void;
}

export interface SeedResult {
  written: number;
  /** Items DynamoDB still returned unprocessed after every retry. */
  notWritten: number;
  /** Conversations that were there already (their group items reconciled in place). */
  reconciled: number;
  /** Messages already in their conversation under another sk (a seed in another time form or zone): not written again. */
  present: number;
  seconds: number;
}

/**
 * Writes the source's conversations: existing conversations first (reconciled in place, one group item per
 * owner even after moves), then one batch of every message and the new group items. Idempotent.
 */
export async function writeSeed(client: DynamoDBClient, table: string, source: SeedSource, options: SeedWriteOptions): Promise<SeedResult> {
  const { rule, concurrency, maxRetries } = options;
  const started = process.hrtime.bigint();
  let written = 0;
  let notWritten = 0;
  let reconciled = 0;
  let present = 0;
  const landed = (n: number) => {
    written += n;
    options.onWritten?.(n);
  };
  for (const chunk of source.chunks()) {
    // The time rule: the seed's UTC times written in the configured form (default: unchanged); a message's
    // uuid comes from the seed's own UTC time, so it is the same message in any form.
    const items = chunk.conversations.flatMap((conversation) => conversationItems(conversation, chunk.users, rule));
    checkUniqueKeys(items);
    const isGroup = (item: Item) => item.message_group_uuid !== undefined;
    const groups = chunk.conversations.map((conversation) => ({
      messageGroupUuid: conversation.messageGroupUuid,
      items: items.filter((item) => isGroup(item) && item.message_group_uuid!.S === conversation.messageGroupUuid),
      people: conversation.handles.map((handle) => chunk.users.get(handle)!),
    }));
    const grouped = await seedGroups(client, table, groups, rule.zone, concurrency);
    reconciled += grouped.reconciled;
    landed(grouped.reconciled * 2);
    // A message already in its conversation under another sk (a seed in another time form or zone) is not
    // written again; under the same sk it is overwritten, as always (an edited seed text lands).
    const allMessages = items.filter((item) => !isGroup(item));
    const messages = allMessages.filter((item) => (grouped.present.get(item.message_uuid!.S!) ?? item.sk!.S) === item.sk!.S);
    present += allMessages.length - messages.length;
    options.onSkipped?.(allMessages.length - messages.length);
    const result = await batchWriteAll(client, table, [...messages, ...grouped.fresh], {
      concurrency,
      maxRetries,
      onWritten: landed,
    });
    notWritten += result.notWritten;
  }
  return { written, notWritten, reconciled, present, seconds: Number(process.hrtime.bigint() - started) / 1e9 };
}

/**
 * Whether every conversation of the source is in the table already: its group items for the same owners and
 * every one of its messages (by message_uuid, so any time form counts). `local --seed` then writes nothing:
 * a restart of a stack whose data is kept need not write the seed again.
 */
export async function seedIsThere(client: DynamoDBClient, table: string, source: SeedSource, rule: TimeRule): Promise<boolean> {
  for (const chunk of source.chunks()) {
    for (const conversation of chunk.conversations) {
      const items = conversationItems(conversation, chunk.users, rule);
      const owners = items.filter((item) => item.message_group_uuid !== undefined).map((item) => item.pk!.S!);
      const groups = await queryGroupItems(client, table, conversation.messageGroupUuid);
      if (!owners.every((pk) => groups.some((group) => group.pk === pk))) return false;
      const present = new Set((await messageKeysOf(client, table, conversation.messageGroupUuid)).map(([uuid]) => uuid));
      if (!items.every((item) => item.message_uuid === undefined || present.has(item.message_uuid.S!))) return false;
    }
  }
  return true;
}
