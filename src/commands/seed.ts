/**
 * `cruddur-ddb seed`: the sample conversations of seed/ (or --synthetic N generated ones) into the
 * messages table, with batched writes. Ids and times are derived from the data, so a second run
 * overwrites the same items instead of adding more.
 */
import { confirmDestructive, type Context } from '../cli/context.js';
import { packagePath } from '../cli/package-root.js';
import { checkTableName, redactUrl, timeRuleOf } from '../cli/environment.js';
import type { Output } from '../cli/output.js';
import { CliError, UsageError } from '../cli/errors.js';
import type { Participant } from '../patterns/items.js';
import { createProgress } from '../cli/progress.js';
import { requirePostgresUrl } from '../postgres/client.js';
import { batchWriteAll } from '../seed/batch-write.js';
import { conversationItems, itemCount, type SeedData } from '../seed/data.js';
import { seedGroups } from '../seed/groups.js';
import { toRuleTime } from '../patterns/time.js';
import { readSeedDir } from '../seed/files.js';
import { syntheticData } from '../seed/synthetic.js';

export interface SeedOptions {
  dir: string | undefined;
  /** true: --users-from-db; false: --no-users-from-db; undefined: from the database when CONNECTION_URL is set (and not --synthetic). */
  usersFromDb: boolean | undefined;
  synthetic: number | undefined;
  seedValue: string | undefined;
  concurrency: number;
  maxRetries: number;
}

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
function checkUniqueKeys(items: ReturnType<typeof conversationItems>): void {
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

export async function seed(options: SeedOptions, context: Context): Promise<Output> {
  const table = checkTableName(context.env.table.value);
  const { synthetic, concurrency, maxRetries } = options;
  if (synthetic !== undefined && options.usersFromDb)
    throw new UsageError('flag.conflict', '--users-from-db takes users from seed/; it cannot go with --synthetic');
  if (synthetic === undefined && options.seedValue !== undefined) throw new UsageError('flag.conflict', '--seed-value only goes with --synthetic N');

  // Read and check every file before asking anything or calling AWS.
  let data = synthetic !== undefined ? syntheticData(synthetic, options.seedValue ?? 'cruddur') : await readSeedDir(options.dir ?? DEFAULT_SEED_DIR);
  await confirmDestructive(context, `write ${itemCount(data)} seed items into ${table}`, table);
  // Users the app can see: the app's own uuids from PostgreSQL whenever it is configured, unless told otherwise.
  const fromDb = options.usersFromDb ?? (synthetic === undefined && Boolean(context.env.postgresUrl.value));
  if (fromDb) data = await usersFromDb(data, context);
  const usersFrom = fromDb
    ? `PostgreSQL public.users at ${redactUrl(context.env.postgresUrl.value ?? '')}`
    : synthetic !== undefined
      ? 'generated users'
      : `${options.dir ?? 'seed'}/users.txt`;

  // The time rule: the seed's UTC times written in the configured form (default: unchanged).
  const rule = timeRuleOf(context.env);
  if (rule.form !== 'utc') {
    for (const conversation of data.conversations) for (const message of conversation.messages) message.sk = toRuleTime(message.sk, rule);
  }
  const users = new Map<string, Participant>(data.users.map((user) => [user.handle, user]));
  const items = data.conversations.flatMap((conversation) => conversationItems(conversation, users));
  checkUniqueKeys(items);
  // Group items go through seedGroups (one per owner even after moves); messages are batch-written.
  const isGroup = (item: (typeof items)[number]) => item.message_group_uuid !== undefined;
  const messages = items.filter((item) => !isGroup(item));
  const groups = data.conversations.map((conversation) => ({
    messageGroupUuid: conversation.messageGroupUuid,
    items: items.filter((item) => isGroup(item) && item.message_group_uuid!.S === conversation.messageGroupUuid),
    people: conversation.handles.map((handle) => users.get(handle)!),
  }));

  const client = await context.dynamo();
  const progress = createProgress(context, `Seeding ${table}:`, items.length);
  const started = process.hrtime.bigint();
  let result;
  let reconciled = 0;
  try {
    // Existing conversations first (reconciled in place), then one batch of every message and the new group items.
    const grouped = await seedGroups(client, table, groups, rule.zone, concurrency);
    reconciled = grouped.reconciled;
    progress.add(reconciled * 2);
    result = await batchWriteAll(client, table, [...messages, ...grouped.fresh], { concurrency, maxRetries, onWritten: (n) => progress.add(n) });
    result = { written: result.written + reconciled * 2, notWritten: result.notWritten };
  } finally {
    progress.done();
  }
  const seconds = Number(process.hrtime.bigint() - started) / 1e9;
  if (result.notWritten > 0) {
    throw new CliError(
      'seed.incomplete',
      `${result.notWritten} of ${items.length} items were not written to ${table}: DynamoDB still returned them unprocessed after ${maxRetries} retries`,
      {
        hint: 'Run seed again (it is idempotent), or raise --max-retries',
      },
    );
  }
  const itemsPerSecond = Math.round(result.written / Math.max(seconds, 1e-6));
  context.say(
    `Seeded ${result.written} items (${data.conversations.length} conversations, ${data.users.length} users) into ${table} in ${seconds.toFixed(2)} s (${itemsPerSecond} items/s).` +
      `${reconciled ? ` ${reconciled} conversation${reconciled === 1 ? ' was' : 's were'} there already: one group item per owner kept, at the newest message.` : ''}` +
      ` User uuids from ${usersFrom}.`,
  );
  // The summary line above is the whole report: stdout stays empty, as it always was.
  return undefined;
}
