/**
 * `cruddur-ddb copy --from X --to Y [table]`: a parallel scan of the source streamed into the target's
 * batch writer, no file in between; `--anonymize` swaps handles, names and texts for pseudonyms on
 * the way. The source is only read (DescribeTable, Scan): read access to prod is all it needs.
 */
import type { CreateTableCommandInput, DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { createDynamoClient, isAwsFailure, resolveAwsSettings, translateAwsError } from '../aws/clients.js';
import type { Context } from '../kit/context.js';
import { confirmDestructive } from '../kit/prod-prompt.js';
import type { Output } from '../kit/output.js';
import { createAnonymizer, DEFAULT_SALT } from '../transfer/anonymize.js';
import { placeOf, resolveSide } from '../transfer/sides.js';
import { incomplete, perSecond, seconds } from '../transfer/summary.js';
import { prepareLoadTarget } from '../transfer/stream-hold.js';
import { isAwsEndpoint } from '../core/aws-host.js';
import { meterFor, meteredSummary } from '../kit/consumed.js';
import { summaryOutput } from '../kit/summary.js';
import { dryRunOutput } from '../kit/dry-run.js';
import { scanItems } from '../transfer/scanner.js';
import { describeForExport, shapeOf, writeItems, type WriteResult } from '../transfer/transfer.js';
import { createInputFrom } from '../transfer/format.js';
import { checkSliceSource, sliceItems, type SliceCounts } from '../transfer/slice.js';
import { pickUsers } from '../transfer/slice-pick.js';
import type { UsersSpec } from '../transfer/slice-users.js';
import { checkTableName, type ResolvedEnv } from '../core/environment.js';
import type { Item } from '../transfer/typed-json.js';
import { CliError, UsageError } from '../core/errors.js';
import { failedAfter } from '../transfer/partial.js';
import { createProgress, type Progress } from '../kit/progress.js';
import { COPY_SEGMENTS, type CopyInput } from './copy.def.js';
import { isAwsLayoutSource } from '../transfer/aws-layout/open.js';

/** The definition's arguments and options, typed there (defaults and choices live there, once). */
export type CopyOptions = CopyInput;

export interface CopySummary {
  from: string;
  to: string;
  table: string;
  toTable: string;
  anonymized: boolean;
  created: boolean;
  items: number;
  seconds: number;
  itemsPerSecond: number;
}

/** An AWS failure named for the side it came from (the entry would only know the run's own environment). */
const named = (error: unknown, env: ResolvedEnv, table: string) => (isAwsFailure(error) ? translateAwsError(error, env, table) : error);

/** The source's failures named as the source's, not the target's. */
async function* readSource(items: AsyncGenerator<Item>, env: ResolvedEnv, table: string): AsyncGenerator<Item> {
  try {
    yield* items;
  } catch (error) {
    throw named(error, env, table);
  }
}

/** Where a copy writes: the target's client and environment (for naming its failures), its table, `--to` as given. */
interface Target {
  client: DynamoDBClient;
  env: ResolvedEnv;
  table: string;
  where: string;
  /** The source table, for the line saying the target was created like it. */
  from: string;
}

/**
 * Creates the target table from `shape` if it is missing, then streams `items` into it. A failure of
 * the target says how many `what` were written before it, and whether the copy created the table.
 */
async function intoTarget(
  context: Context,
  target: Target,
  shape: CreateTableCommandInput,
  items: AsyncIterable<Item>,
  options: { concurrency: number; maxRetries: number; change: ((item: Item) => Item) | undefined; progress: Progress; what: string },
): Promise<{ created: boolean; result: WriteResult }> {
  let created = false;
  let written = 0;
  let load;
  try {
    // A table created here gets its stream only once loaded (src/transfer/stream-hold.ts).
    const endpoint = target.env.endpoint.value;
    load = await prepareLoadTarget(target.client, target.table, shape, {
      local: endpoint !== undefined && !isAwsEndpoint(endpoint),
      say: (line) => context.say(line),
      wayOut: `copy into a new table (--to-table NAME), or drop ${target.table} and copy again`,
    });
    created = load.created;
    if (created) context.say(`Created table ${target.table} at ${target.where} shaped like ${target.from}.`);
    const result = await writeItems(target.client, target.table, items, {
      concurrency: options.concurrency,
      maxRetries: options.maxRetries,
      change: options.change,
      onWritten: (n) => {
        written += n;
        options.progress.add(n);
        load!.written(n);
      },
    });
    return { created, result };
  } catch (error) {
    const failure = named(error, target.env, target.table);
    if (!(failure instanceof CliError)) throw failure;
    throw failedAfter(
      failure,
      `${written} ${options.what} were written to ${target.table} at ${target.where} before it${created ? '; the copy created that table' : ''}`,
      error,
    );
  } finally {
    await load?.finish();
  }
}

export async function copy(options: CopyOptions, context: Context): Promise<Output> {
  // --from a folder or s3:// prefix: an export in AWS's layout, read as `import` reads it (copyFromExport below).
  if (isAwsLayoutSource(options.from)) return copyFromExport(options, context);
  const fromEnv = resolveSide(options.from, context.env, '--from');
  const toEnv = resolveSide(options.to, context.env, '--to');
  const table = checkTableName(options.table ?? context.env.table.value);
  const toTable = checkTableName(options.toTable ?? table);
  const { concurrency, maxRetries } = options;
  const segments = options.segments ?? COPY_SEGMENTS;
  if (options.salt !== undefined && !options.anonymize) throw new UsageError('flag.conflict', '--salt only goes with --anonymize');
  // Compared as places, not texts: http://127.0.0.1:8000/ and http://localhost:8000 are one DynamoDB.
  if (placeOf(fromEnv) === placeOf(toEnv) && table === toTable) {
    throw new UsageError('copy.same_table', `--from and --to are the same table (${table} at ${options.from})`, 'Give another --to, or --to-table NAME');
  }
  if (options.users && options.dryRun)
    throw new UsageError('flag.conflict', '--dry-run estimates a whole copy, not a --users slice', 'Leave out --dry-run: a slice reads only what it copies');
  if (options.users) return copyUsers(options, options.users, context, { fromEnv, toEnv, table, toTable });
  if (options.dryRun) {
    // Writes nothing: no prompt; one DescribeTable of the source.
    const client = createDynamoClient(fromEnv, await resolveAwsSettings(fromEnv, context.vars));
    try {
      return await dryRunOutput(context, { verb: 'copy', table, client, writes: 'put', readEnv: fromEnv, writeEnv: toEnv });
    } catch (error) {
      throw named(error, fromEnv, table);
    } finally {
      client.destroy();
    }
  }
  // Copying INTO prod is destructive; copying FROM prod only reads. Asked before any call.
  await confirmDestructive({ ...context, env: toEnv }, `copy ${table} from ${options.from} into ${toTable}`, toTable);

  const [fromClient, toClient] = await Promise.all([fromEnv, toEnv].map(async (env) => createDynamoClient(env, await resolveAwsSettings(env, context.vars))));
  const meter = meterFor(context, options.consumed);
  await meter?.watch(fromClient!, { env: fromEnv, label: options.from });
  await meter?.watch(toClient!, { env: toEnv, label: options.to });
  const anonymizer = options.anonymize ? createAnonymizer(options.salt ?? DEFAULT_SALT) : undefined;
  const progress = createProgress(context, `Copying ${table}:`);
  const started = context.clock();
  let created = false;
  let result;
  try {
    let shape;
    try {
      shape = await shapeOf(fromClient!, table);
    } catch (error) {
      throw named(error, fromEnv, table);
    }
    ({ created, result } = await intoTarget(
      context,
      { client: toClient!, env: toEnv, table: toTable, where: options.to, from: table },
      shape,
      readSource(scanItems(fromClient!, table, { segments }), fromEnv, table),
      { concurrency, maxRetries, change: anonymizer?.item, progress, what: 'items' },
    ));
  } finally {
    progress.done();
    fromClient!.destroy();
    toClient!.destroy();
  }
  if (result.notWritten > 0) throw incomplete('copy.incomplete', result.notWritten, result.written + result.notWritten, toTable, maxRetries, 'the copy');
  const secs = seconds(started, context.clock());
  const summary = {
    from: options.from,
    to: options.to,
    table,
    toTable,
    anonymized: Boolean(anonymizer),
    created,
    items: result.written,
    seconds: Number(secs.toFixed(3)),
    itemsPerSecond: perSecond(result.written, secs),
  };
  return meteredSummary(
    context,
    meter,
    `Copied ${result.written} items${anonymizer ? ' (anonymized)' : ''} from ${table} at ${options.from} to ${toTable} at ${options.to} in ${secs.toFixed(2)} s (${summary.itemsPerSecond} items/s).`,
    summary,
  );
}

/** The --from side's PostgreSQL, where `copy --users` looks people up: prod's for a prod source, else the local one. */
function sourcePostgresUrl(fromEnv: ResolvedEnv, vars: Record<string, string | undefined>): string | undefined {
  return (fromEnv.name === 'prod' ? vars.PROD_CONNECTION_URL : vars.CONNECTION_URL) || undefined;
}

export interface SliceSummary extends Omit<CopySummary, 'items'> {
  users: number;
  participants: number;
  conversations: number;
  groupItems: number;
  messages: number;
  itemsRead: number;
  itemsWritten: number;
}

/**
 * `copy --users`: a slice of the source, read by Query only (src/transfer/slice.ts), into any target.
 * The sides are resolved and checked by `copy`; everything after them is here.
 */
async function copyUsers(
  options: CopyOptions,
  users: UsersSpec,
  context: Context,
  sides: { fromEnv: ResolvedEnv; toEnv: ResolvedEnv; table: string; toTable: string },
): Promise<Output> {
  const { fromEnv, toEnv, table, toTable } = sides;
  if (options.segments !== undefined)
    throw new UsageError('flag.conflict', '--segments sets a whole-table scan; --users reads by Query and takes none', 'Leave out --segments, or --users');
  await confirmDestructive({ ...context, env: toEnv }, `copy a slice of ${table} from ${options.from} into ${toTable}`, toTable);

  const [fromClient, toClient] = await Promise.all([fromEnv, toEnv].map(async (env) => createDynamoClient(env, await resolveAwsSettings(env, context.vars))));
  const meter = meterFor(context, options.consumed);
  await meter?.watch(fromClient!, { env: fromEnv, label: options.from });
  await meter?.watch(toClient!, { env: toEnv, label: options.to });
  const anonymizer = options.anonymize ? createAnonymizer(options.salt ?? DEFAULT_SALT) : undefined;
  let itemsRead = 0;
  const reader = { client: fromClient!, table, onRead: (n: number) => (itemsRead += n) };
  const counts: SliceCounts = { conversations: 0, groupItems: 0, messages: 0, participants: new Set() };
  const started = context.clock();
  const progress = createProgress(context, `Copying a slice of ${table}:`);
  let created = false;
  let picked;
  let result;
  try {
    let shape;
    try {
      const description = await describeForExport(fromClient!, table);
      checkSliceSource(description, table);
      shape = createInputFrom(description);
      picked = await pickUsers(reader, users, sourcePostgresUrl(fromEnv, context.vars));
    } catch (error) {
      throw named(error, fromEnv, table);
    }
    // Named as the copy will name them: an anonymized slice shows the pseudonym to look for on the target.
    const label = (user: { uuid: string; handle?: string }) => (user.handle ? `@${anonymizer ? anonymizer.handle(user.handle) : user.handle}` : user.uuid);
    context.say(`Picked ${picked.users.length} user${picked.users.length === 1 ? '' : 's'} ${picked.how}: ${picked.users.map(label).join(', ')}.`);
    const lonely = picked.users.filter((user) => user.groups.length === 0).map(label);
    if (lonely.length > 0) context.say(`No conversation in ${table} for ${lonely.join(', ')}.`);
    ({ created, result } = await intoTarget(
      context,
      { client: toClient!, env: toEnv, table: toTable, where: options.to, from: table },
      shape,
      readSource(sliceItems(reader, picked.users, counts), fromEnv, table),
      { concurrency: options.concurrency, maxRetries: options.maxRetries, change: anonymizer?.item, progress, what: 'items of the slice' },
    ));
  } finally {
    progress.done();
    fromClient!.destroy();
    toClient!.destroy();
  }
  if (result.notWritten > 0)
    throw incomplete('copy.incomplete', result.notWritten, result.written + result.notWritten, toTable, options.maxRetries, 'the copy');
  const secs = seconds(started, context.clock());
  const summary: SliceSummary = {
    from: options.from,
    to: options.to,
    table,
    toTable,
    anonymized: Boolean(anonymizer),
    created,
    users: picked.users.length,
    participants: counts.participants.size,
    conversations: counts.conversations,
    groupItems: counts.groupItems,
    messages: counts.messages,
    itemsRead,
    itemsWritten: result.written,
    seconds: Number(secs.toFixed(3)),
    itemsPerSecond: perSecond(result.written, secs),
  };
  return meteredSummary(
    context,
    meter,
    `Copied a slice of ${table} at ${options.from}${anonymizer ? ' (anonymized)' : ''} to ${toTable} at ${options.to}: ${summary.users} user${summary.users === 1 ? '' : 's'}, ` +
      `${summary.conversations} conversations, ${summary.messages} messages; ${itemsRead} items read, ${result.written} written in ${secs.toFixed(2)} s.`,
    { ...summary },
  );
}

/** `copy --from DIR|s3://… --to X`: the export's records (checked against its manifests first) into the table at --to. */
async function copyFromExport(options: CopyOptions, context: Context): Promise<Output> {
  const toEnv = resolveSide(options.to, context.env, '--to');
  if (options.salt !== undefined && !options.anonymize) throw new UsageError('flag.conflict', '--salt only goes with --anonymize');
  const target = options.toTable ?? options.table;
  const [{ openPlace }, { loadAwsExport, loadSummary }] = await Promise.all([
    import('../transfer/aws-layout/place.js'),
    import('../transfer/aws-layout/load.js'),
  ]);
  const place = await openPlace(options.from, () => context.s3());
  const client = createDynamoClient(toEnv, await resolveAwsSettings(toEnv, context.vars));
  const anonymizer = options.anonymize ? createAnonymizer(options.salt ?? DEFAULT_SALT) : undefined;
  let progress: ReturnType<typeof createProgress> | undefined;
  const started = context.clock();
  let result;
  try {
    result = await loadAwsExport(client, place, {
      table: target === undefined ? undefined : checkTableName(target),
      fallbackTable: context.env.table.value,
      shapeFile: undefined,
      stdin: context.stdin,
      say: (line) => context.say(line),
      concurrency: options.concurrency,
      maxRetries: options.maxRetries,
      change: anonymizer?.item,
      beforeWriting: async (table) => {
        // Copying INTO prod is destructive; asked once the export is known to be sound.
        await confirmDestructive({ ...context, env: toEnv }, `copy export ${options.from} into ${table}`, checkTableName(table));
        progress = createProgress(context, `Copying into ${table}:`);
      },
      onWritten: (n) => progress?.add(n),
    });
  } catch (error) {
    throw named(error, toEnv, target ?? context.env.table.value);
  } finally {
    progress?.done();
    client.destroy();
  }
  const { what, timing, summary } = loadSummary(result, options.from, seconds(started, context.clock()));
  return summaryOutput(context, `Copied ${what}${anonymizer ? ' (anonymized)' : ''} to ${result.table} at ${options.to} ${timing}.`, {
    from: options.from,
    to: options.to,
    toTable: result.table,
    anonymized: Boolean(anonymizer),
    ...summary,
  });
}
