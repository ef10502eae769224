/**
 * `cruddur-ddb seed`: the sample conversations of seed/ (or --synthetic N generated ones) into the
 * messages table, with batched writes. Ids and times are derived from the data, so a second run
 * overwrites the same items instead of adding more.
 */
import { isAwsFailure, translateAwsError } from '../aws/clients.js';
import type { Context } from '../kit/context.js';
import { confirmDestructive } from '../kit/prod-prompt.js';
import { checkTableName, redactUrl, timeRuleOf } from '../core/environment.js';
import type { Output } from '../kit/output.js';
import { CliError, UsageError } from '../core/errors.js';
import { createProgress } from '../kit/progress.js';
import { requirePostgresUrl } from '../postgres/client.js';
import type { SeedInput } from './seed.def.js';
import { incomplete, perSecond } from '../transfer/summary.js';
import { meterFor, meteredSummary } from '../kit/consumed.js';
import { DEFAULT_SEED_DIR, folderSeed, syntheticSeed, withUsersFromDb, writeSeed, type SeedResult } from '../seed/seeding.js';

/** The definition's arguments and options, typed there (defaults and choices live there, once). */
export type SeedOptions = SeedInput;

export async function seed(options: SeedOptions, context: Context): Promise<Output> {
  const table = checkTableName(context.env.table.value);
  const { synthetic, concurrency, maxRetries } = options;
  if (synthetic !== undefined && options.usersFromDb)
    throw new UsageError('flag.conflict', '--users-from-db takes users from seed/; it cannot go with --synthetic');
  if (synthetic === undefined && options.seedValue !== undefined) throw new UsageError('flag.conflict', '--seed-value only goes with --synthetic N');

  // Read and check every file (keys, item sizes) before asking anything or calling AWS. Synthetic
  // conversations are generated chunk by chunk as they are written (bounded memory); their counts are known up front.
  let source =
    synthetic !== undefined ? syntheticSeed(synthetic, options.seedValue ?? 'cruddur') : await folderSeed(options.dir ?? DEFAULT_SEED_DIR, context.cwd);
  const { counts } = source;
  await confirmDestructive(context, `write ${counts.items} seed items into ${table}`, table, { table });
  // Users the app can see: the app's own uuids from PostgreSQL whenever it is configured, unless told otherwise.
  const fromDb = options.usersFromDb ?? (synthetic === undefined && Boolean(context.env.postgresUrl.value));
  if (fromDb) {
    const url = requirePostgresUrl(context.env, 'take users from (--users-from-db)', 'pass --no-users-from-db to use seed/users.txt');
    source = await withUsersFromDb(source, url);
  }
  const usersFrom = fromDb
    ? `PostgreSQL public.users at ${redactUrl(context.env.postgresUrl.value ?? '')}`
    : synthetic !== undefined
      ? 'generated users'
      : `${options.dir ?? 'seed'}/users.txt`;

  const client = await context.dynamo();
  const meter = meterFor(context, options.consumed);
  await meter?.watch(client);
  const progress = createProgress(context, `Seeding ${table}:`, counts.items);
  let written = 0;
  let result: SeedResult;
  try {
    result = await writeSeed(client, table, source, {
      rule: timeRuleOf(context.env),
      concurrency,
      maxRetries,
      onWritten: (n) => {
        written += n;
        progress.add(n);
      },
      onSkipped: (n) => progress.add(n),
    });
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
  const { notWritten, reconciled, present } = result;
  if (notWritten > 0) throw incomplete('seed.incomplete', notWritten, counts.items, table, maxRetries, 'seed');
  const itemsPerSecond = perSecond(result.written, result.seconds);
  const summary = {
    table,
    items: result.written,
    conversations: counts.conversations,
    users: counts.users,
    reconciled,
    present,
    usersFrom: fromDb ? 'postgres' : synthetic !== undefined ? 'synthetic' : 'files',
    seconds: Number(result.seconds.toFixed(3)),
    itemsPerSecond,
  };
  return meteredSummary(
    context,
    meter,
    `Seeded ${result.written} items (${counts.conversations} conversations, ${counts.users} users) into ${table} in ${result.seconds.toFixed(2)} s (${itemsPerSecond} items/s).` +
      `${reconciled ? ` ${reconciled} conversation${reconciled === 1 ? ' was' : 's were'} there already: one group item per owner kept, at the newest message.` : ''}` +
      `${present ? ` ${present} message${present === 1 ? ' was' : 's were'} there already under another sk (same message_uuid): not written again.` : ''}` +
      ` User uuids from ${usersFrom}.`,
    summary,
  );
}
