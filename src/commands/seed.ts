/**
 * `cruddur-ddb seed`: the sample conversations of seed/ (or --synthetic N generated ones) into the
 * messages table, with batched writes. Ids and times are derived from the data, so a second run
 * overwrites the same items instead of adding more.
 */
import { confirmDestructive, type Context } from '../cli/context.js';
import { packagePath } from '../cli/package-root.js';
import { checkTableName } from '../cli/environment.js';
import type { Output } from '../cli/output.js';
import { CliError, UsageError } from '../cli/errors.js';
import type { Participant } from '../patterns/items.js';
import { createProgress } from '../cli/progress.js';
import { requirePostgresUrl } from '../postgres/client.js';
import { batchWriteAll } from '../seed/batch-write.js';
import { conversationItems, itemCount, type SeedData } from '../seed/data.js';
import { readSeedDir } from '../seed/files.js';
import { syntheticData } from '../seed/synthetic.js';

export interface SeedOptions {
  dir: string | undefined;
  usersFromDb: boolean;
  synthetic: number | undefined;
  seedValue: string | undefined;
  concurrency: number;
  maxRetries: number;
}

/** The seed/ folder shipped with the package. */
export const DEFAULT_SEED_DIR = packagePath('seed');

/** Replaces each handle's uuid and display name with the app's own, from public.users. */
async function usersFromDb(data: SeedData, context: Context): Promise<SeedData> {
  const url = requirePostgresUrl(context.env, 'take users from (--users-from-db)', 'leave out --users-from-db to use seed/users.txt');
  const { findUsersByHandle } = await import('../postgres/users.js');
  const found = await findUsersByHandle(
    url,
    data.users.map((user) => user.handle),
  );
  const missing = data.users.filter((user) => !found.has(user.handle)).map((user) => `@${user.handle}`);
  if (missing.length > 0) {
    throw new CliError('seed.unknown_handle', `${missing.join(', ')} ${missing.length === 1 ? 'is' : 'are'} not in public.users`, {
      hint: 'Sign up those users in the app (or insert them), or leave out --users-from-db',
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
  if (options.usersFromDb) data = await usersFromDb(data, context);

  const users = new Map<string, Participant>(data.users.map((user) => [user.handle, user]));
  const items = data.conversations.flatMap((conversation) => conversationItems(conversation, users));
  checkUniqueKeys(items);

  const client = await context.dynamo();
  const progress = createProgress(context, `Seeding ${table}:`, items.length);
  const started = process.hrtime.bigint();
  let result;
  try {
    result = await batchWriteAll(client, table, items, { concurrency, maxRetries, onWritten: (n) => progress.add(n) });
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
    `Seeded ${result.written} items (${data.conversations.length} conversations, ${data.users.length} users) into ${table} in ${seconds.toFixed(2)} s (${itemsPerSecond} items/s).`,
  );
  // The summary line above is the whole report: stdout stays empty, as it always was.
  return undefined;
}
