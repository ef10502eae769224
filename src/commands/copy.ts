/**
 * `cruddur-ddb copy --from X --to Y [table]`: a parallel scan of the source streamed into the target's
 * batch writer, no file in between; `--anonymize` swaps handles, names and texts for pseudonyms on
 * the way. The source is only read (DescribeTable, Scan): read access to prod is all it needs.
 */
import { createDynamoClient, isAwsFailure, resolveAwsSettings, translateAwsError } from '../aws/clients.js';
import type { Context } from '../kit/context.js';
import { confirmDestructive } from '../kit/prod-prompt.js';
import type { Output } from '../kit/output.js';
import { createAnonymizer, DEFAULT_SALT } from '../transfer/anonymize.js';
import { placeOf, resolveSide } from '../transfer/sides.js';
import { incomplete, perSecond, seconds } from '../transfer/summary.js';
import { summaryOutput } from '../kit/summary.js';
import { ensureTable } from '../transfer/table.js';
import { scanItems } from '../transfer/scanner.js';
import { shapeOf, writeItems } from '../transfer/transfer.js';
import { checkTableName, type ResolvedEnv } from '../core/environment.js';
import type { Item } from '../transfer/typed-json.js';
import { CliError, UsageError } from '../core/errors.js';
import { failedAfter } from '../transfer/partial.js';
import { createProgress } from '../kit/progress.js';
import { isAwsLayoutSource } from '../transfer/aws-layout/open.js';
import type { CopyInput } from './copy.def.js';

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

export async function copy(options: CopyOptions, context: Context): Promise<Output> {
  // --from a folder or s3:// prefix: an export in AWS's layout, read as `import` reads it (copyFromExport below).
  if (isAwsLayoutSource(options.from)) return copyFromExport(options, context);
  const fromEnv = resolveSide(options.from, context.env, '--from');
  const toEnv = resolveSide(options.to, context.env, '--to');
  const table = checkTableName(options.table ?? context.env.table.value);
  const toTable = checkTableName(options.toTable ?? table);
  const { segments, concurrency, maxRetries } = options;
  if (options.salt !== undefined && !options.anonymize) throw new UsageError('flag.conflict', '--salt only goes with --anonymize');
  // Compared as places, not texts: http://127.0.0.1:8000/ and http://localhost:8000 are one DynamoDB.
  if (placeOf(fromEnv) === placeOf(toEnv) && table === toTable) {
    throw new UsageError('copy.same_table', `--from and --to are the same table (${table} at ${options.from})`, 'Give another --to, or --to-table NAME');
  }
  // Copying INTO prod is destructive; copying FROM prod only reads. Asked before any call.
  await confirmDestructive({ ...context, env: toEnv }, `copy ${table} from ${options.from} into ${toTable}`, toTable);

  const [fromClient, toClient] = await Promise.all([fromEnv, toEnv].map(async (env) => createDynamoClient(env, await resolveAwsSettings(env, context.vars))));
  const anonymizer = options.anonymize ? createAnonymizer(options.salt ?? DEFAULT_SALT) : undefined;
  const progress = createProgress(context, `Copying ${table}:`);
  const started = context.clock();
  let created = false;
  let written = 0;
  let result;
  try {
    let shape;
    try {
      shape = await shapeOf(fromClient!, table);
    } catch (error) {
      throw named(error, fromEnv, table);
    }
    try {
      created = await ensureTable(toClient!, toTable, shape);
      if (created) context.say(`Created table ${toTable} at ${options.to} shaped like ${table}.`);
      result = await writeItems(toClient!, toTable, readSource(scanItems(fromClient!, table, { segments }), fromEnv, table), {
        concurrency,
        maxRetries,
        change: anonymizer?.item,
        onWritten: (n) => {
          written += n;
          progress.add(n);
        },
      });
    } catch (error) {
      const failure = named(error, toEnv, toTable);
      if (!(failure instanceof CliError)) throw failure;
      throw failedAfter(
        failure,
        `${written} items were written to ${toTable} at ${options.to} before it${created ? '; the copy created that table' : ''}`,
        error,
      );
    }
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
  return summaryOutput(
    context,
    `Copied ${result.written} items${anonymizer ? ' (anonymized)' : ''} from ${table} at ${options.from} to ${toTable} at ${options.to} in ${secs.toFixed(2)} s (${summary.itemsPerSecond} items/s).`,
    summary,
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
