/**
 * `cruddur-ddb seed`: the sample conversations of seed/ (or --synthetic N generated ones) into the
 * messages table, with batched writes. Ids and times are derived from the data, so a second run
 * overwrites the same items instead of adding more.
 */
import { isAwsFailure, translateAwsError } from '../aws/clients.js';
import type { Context } from '../kit/context.js';
import { confirmDestructive } from '../kit/prod-prompt.js';
import { packagePath } from '../core/package-root.js';
import { checkTableName, redactUrl, timeRuleOf } from '../core/environment.js';
import type { Output } from '../kit/output.js';
import { CliError, UsageError } from '../core/errors.js';
import type { Item, Participant } from '../patterns/items.js';
import { createProgress } from '../kit/progress.js';
import { requirePostgresUrl } from '../postgres/client.js';
import { batchWriteAll } from '../seed/batch-write.js';
import { conversationItems, itemSize, MAX_ITEM_BYTES, type SeedConversation, type SeedData } from '../seed/data.js';
import { seedGroups } from '../seed/groups.js';
import { malformed, readSeedDir } from '../seed/files.js';
import { syntheticConversations, syntheticPlan } from '../seed/synthetic.js';
import type { SeedInput } from './seed.def.js';

/** The definition's arguments and options, typed there (defaults and choices live there, once). */
export type SeedOptions = SeedInput;

/** The seed/ folder shipped with the package. */
export const DEFAULT_SEED_DIR = packagePath('seed');

/** Replaces each handle's uuid and display name with the app's own, from public.users. */
async function usersFromDb(data: SeedData, context: Context): Promise<SeedData> {
  const url = requirePostgresUrl(context.env, 'take users from (--users-from-db)', 'pass --no-users-from-db to use seed/users.txt');
  const { findUsersByHandle } = await import('../postgres/users.js');
  const found = await findUsersByHandle(
    url,
    data.users.map((user) => user.handle),
  );
  const missing = data.users.filter((user) => !found.has(user.handle)).map((user) => `@${user.handle}`);
  if (missing.length > 0) {
    throw new CliError('seed.unknown_handle', `${missing.join(', ')} ${missing.length === 1 ? 'is' : 'are'} not in public.users`, {
      hint: 'Sign up those users in the app (or insert them), or pass --no-users-from-db to use the uuids of seed/users.txt',
    });
  }
  return { ...data, users: data.users.map((user) => found.get(user.handle)!) };
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

/** A run of conversations written together, with the people they name. */
interface Chunk {
  conversations: SeedConversation[];
  users: Map<string, Participant>;
}

/** Synthetic conversations this many at a time (5,000 messages): memory stays flat for any N. */
const SYNTHETIC_CHUNK = 25;

function* syntheticChunks(messages: number, seedValue: string): Generator<Chunk> {
  let chunk: Chunk = { conversations: [], users: new Map() };
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

export async function seed(options: SeedOptions, context: Context): Promise<Output> {
  const table = checkTableName(context.env.table.value);
  const { synthetic, concurrency, maxRetries } = options;
  if (synthetic !== undefined && options.usersFromDb)
    throw new UsageError('flag.conflict', '--users-from-db takes users from seed/; it cannot go with --synthetic');
  if (synthetic === undefined && options.seedValue !== undefined) throw new UsageError('flag.conflict', '--seed-value only goes with --synthetic N');

  // Read and check every file (keys, item sizes) before asking anything or calling AWS. Synthetic
  // conversations are generated chunk by chunk as they are written (bounded memory); their counts are known up front.
  let data: SeedData | undefined;
  let counts: { items: number; conversations: number; users: number };
  if (synthetic !== undefined) counts = syntheticPlan(synthetic);
  else {
    data = await readSeedDir(options.dir ?? DEFAULT_SEED_DIR);
    counts = { items: fileItems(data).length, conversations: data.conversations.length, users: data.users.length };
  }
  await confirmDestructive(context, `write ${counts.items} seed items into ${table}`, table, { table });
  // Users the app can see: the app's own uuids from PostgreSQL whenever it is configured, unless told otherwise.
  const fromDb = options.usersFromDb ?? (synthetic === undefined && Boolean(context.env.postgresUrl.value));
  if (data && fromDb) data = await usersFromDb(data, context);
  const usersFrom = fromDb
    ? `PostgreSQL public.users at ${redactUrl(context.env.postgresUrl.value ?? '')}`
    : synthetic !== undefined
      ? 'generated users'
      : `${options.dir ?? 'seed'}/users.txt`;
  const chunks: Iterable<Chunk> = data
    ? [{ conversations: data.conversations, users: new Map(data.users.map((user) => [user.handle, user])) }]
    : syntheticChunks(synthetic!, options.seedValue ?? 'cruddur');

  const rule = timeRuleOf(context.env);
  const client = await context.dynamo();
  const progress = createProgress(context, `Seeding ${table}:`, counts.items);
  const started = context.clock();
  let written = 0;
  let notWritten = 0;
  let reconciled = 0;
  let present = 0;
  const landed = (n: number) => {
    written += n;
    progress.add(n);
  };
  try {
    for (const chunk of chunks) {
      // The time rule: the seed's UTC times written in the configured form (default: unchanged).
      const items = chunk.conversations.flatMap((conversation) => conversationItems(conversation, chunk.users, rule));
      checkUniqueKeys(items);
      // Group items go through seedGroups (one per owner even after moves); messages are batch-written.
      const isGroup = (item: Item) => item.message_group_uuid !== undefined;
      const groups = chunk.conversations.map((conversation) => ({
        messageGroupUuid: conversation.messageGroupUuid,
        items: items.filter((item) => isGroup(item) && item.message_group_uuid!.S === conversation.messageGroupUuid),
        people: conversation.handles.map((handle) => chunk.users.get(handle)!),
      }));
      // Existing conversations first (reconciled in place), then one batch of every message and the new group items.
      const grouped = await seedGroups(client, table, groups, rule.zone, concurrency);
      reconciled += grouped.reconciled;
      landed(grouped.reconciled * 2);
      // A message already in its conversation under another sk (a seed in another time form or zone) is not
      // written again; under the same sk it is overwritten, as always (an edited seed text lands).
      const allMessages = items.filter((item) => !isGroup(item));
      const messages = allMessages.filter((item) => (grouped.present.get(item.message_uuid!.S!) ?? item.sk!.S) === item.sk!.S);
      present += allMessages.length - messages.length;
      progress.add(allMessages.length - messages.length);
      const result = await batchWriteAll(client, table, [...messages, ...grouped.fresh], {
        concurrency,
        maxRetries,
        onWritten: landed,
      });
      notWritten += result.notWritten;
    }
  } catch (error) {
    // Whatever stopped it (DynamoDB gone, an item refused), say what landed: the seed is idempotent.
    const cause = error instanceof CliError ? error : isAwsFailure(error) ? translateAwsError(error, context.env, table) : undefined;
    if (!cause) throw error; // a bug of ours: the entry reports it as one
    throw new CliError(cause.code, `${cause.message}; ${written} of ${counts.items} items were written to ${table}, ${counts.items - written} not`, {
      hint: `${cause.hint ? `${cause.hint}; then r` : 'R'}un seed again: it is safe (the same items are overwritten, none added twice)`,
      cause: error,
    });
  } finally {
    progress.done();
  }
  const seconds = Number(context.clock() - started) / 1e9;
  if (notWritten > 0) {
    throw new CliError(
      'seed.incomplete',
      `${notWritten} of ${counts.items} items were not written to ${table}: DynamoDB still returned them unprocessed after ${maxRetries} retries`,
      {
        hint: 'Run seed again (it is idempotent), or raise --max-retries',
      },
    );
  }
  const itemsPerSecond = Math.round(written / Math.max(seconds, 1e-6));
  context.say(
    `Seeded ${written} items (${counts.conversations} conversations, ${counts.users} users) into ${table} in ${seconds.toFixed(2)} s (${itemsPerSecond} items/s).` +
      `${reconciled ? ` ${reconciled} conversation${reconciled === 1 ? ' was' : 's were'} there already: one group item per owner kept, at the newest message.` : ''}` +
      `${present ? ` ${present} message${present === 1 ? ' was' : 's were'} there already under another sk (same message_uuid): not written again.` : ''}` +
      ` User uuids from ${usersFrom}.`,
  );
  // The summary line above is the whole report: stdout stays empty, as it always was.
  return undefined;
}
