/**
 * `cruddur-ddb seed`: the sample conversations of seed/ (or --synthetic N generated ones) into the
 * messages table, with batched writes. Ids and times are derived from the data, so a second run
 * overwrites the same items instead of adding more.
 */
import { isAwsFailure, translateAwsError } from '../aws/clients.js';
import { confirmDestructive, type Context } from '../cli/context.js';
import { packagePath } from '../cli/package-root.js';
import { checkTableName } from '../cli/environment.js';
import type { Output } from '../cli/output.js';
import { CliError, UsageError } from '../cli/errors.js';
import type { Item, Participant } from '../patterns/items.js';
import { createProgress } from '../cli/progress.js';
import { requirePostgresUrl } from '../postgres/client.js';
import { batchWriteAll } from '../seed/batch-write.js';
import { conversationItems, itemSize, MAX_ITEM_BYTES, type SeedData } from '../seed/data.js';
import { malformed, readSeedDir } from '../seed/files.js';
import { syntheticItems, syntheticPlan } from '../seed/synthetic.js';

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

interface SeedPlan {
  items: Iterable<Item>;
  total: number;
  conversations: number;
  users: number;
}

export async function seed(options: SeedOptions, context: Context): Promise<Output> {
  const table = checkTableName(context.env.table.value);
  const { synthetic, concurrency, maxRetries } = options;
  if (synthetic !== undefined && options.usersFromDb)
    throw new UsageError('flag.conflict', '--users-from-db takes users from seed/; it cannot go with --synthetic');
  if (synthetic === undefined && options.seedValue !== undefined) throw new UsageError('flag.conflict', '--seed-value only goes with --synthetic N');

  // Read and check every file before asking anything or calling AWS. Synthetic items are generated
  // as they are written (bounded memory), from a plan that knows their count up front.
  let plan: SeedPlan;
  let data: SeedData | undefined;
  if (synthetic !== undefined) {
    const counts = syntheticPlan(synthetic);
    plan = { items: syntheticItems(synthetic, options.seedValue ?? 'cruddur'), total: counts.items, conversations: counts.conversations, users: counts.users };
  } else {
    data = await readSeedDir(options.dir ?? DEFAULT_SEED_DIR);
    const items = fileItems(data);
    plan = { items, total: items.length, conversations: data.conversations.length, users: data.users.length };
  }
  await confirmDestructive(context, `write ${plan.total} seed items into ${table}`, table, { table });
  if (data && options.usersFromDb) {
    data = await usersFromDb(data, context);
    plan = { ...plan, items: fileItems(data) };
  }

  const client = await context.dynamo();
  const progress = createProgress(context, `Seeding ${table}:`, plan.total);
  const started = process.hrtime.bigint();
  let written = 0;
  let result;
  try {
    result = await batchWriteAll(client, table, plan.items, {
      concurrency,
      maxRetries,
      onWritten: (n) => {
        written += n;
        progress.add(n);
      },
    });
  } catch (error) {
    // Whatever stopped it (DynamoDB gone, an item refused), say what landed: the seed is idempotent.
    const cause = error instanceof CliError ? error : isAwsFailure(error) ? translateAwsError(error, context.env, table) : undefined;
    if (!cause) throw error; // a bug of ours: the entry reports it as one
    throw new CliError(cause.code, `${cause.message}; ${written} of ${plan.total} items were written to ${table}, ${plan.total - written} not`, {
      hint: `${cause.hint ? `${cause.hint}; then r` : 'R'}un seed again: it is safe (the same items are overwritten, none added twice)`,
      cause: error,
    });
  } finally {
    progress.done();
  }
  const seconds = Number(process.hrtime.bigint() - started) / 1e9;
  if (result.notWritten > 0) {
    throw new CliError(
      'seed.incomplete',
      `${result.notWritten} of ${plan.total} items were not written to ${table}: DynamoDB still returned them unprocessed after ${maxRetries} retries`,
      {
        hint: 'Run seed again (it is idempotent), or raise --max-retries',
      },
    );
  }
  const itemsPerSecond = Math.round(result.written / Math.max(seconds, 1e-6));
  context.say(
    `Seeded ${result.written} items (${plan.conversations} conversations, ${plan.users} users) into ${table} in ${seconds.toFixed(2)} s (${itemsPerSecond} items/s).`,
  );
  // The summary line above is the whole report: stdout stays empty, as it always was.
  return undefined;
}
