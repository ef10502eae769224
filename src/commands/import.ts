/** `cruddur-ddb import <file|->`: re-creates the table from an export file's header when missing, then streams its items in. */
import { isAwsFailure, translateAwsError } from '../aws/clients.js';
import type { Context } from '../kit/context.js';
import { confirmDestructive } from '../kit/prod-prompt.js';
import type { Output } from '../kit/output.js';
import { readLines } from '../transfer/line-reader.js';
import { createInputFromHeader } from '../transfer/format.js';
import { importRequests } from '../transfer/import-items.js';
import { keyRulesOf } from '../transfer/item-checks.js';
import { incomplete, perSecond, seconds } from '../transfer/summary.js';
import { summaryOutput } from '../kit/summary.js';
import { ensureTable } from '../transfer/table.js';
import { deleteAllItems, readExport } from '../transfer/transfer.js';
import { batchWriteStream } from '../seed/batch-write.js';
import { checkTableName } from '../core/environment.js';
import { CliError, UsageError } from '../core/errors.js';
import { isAwsLayoutSource } from '../transfer/aws-layout/open.js';
import { createProgress } from '../kit/progress.js';
import { failedAfter } from '../transfer/partial.js';
import type { ImportInput } from './import.def.js';

/** The definition's arguments and options, typed there (defaults and choices live there, once). */
export type ImportOptions = ImportInput;

export interface ImportSummary {
  table: string;
  file: string;
  created: boolean;
  /** Items deleted first (--replace). */
  deleted: number;
  items: number;
  /** Lines whose key a later line of the same batch had (that line won). */
  replaced: number;
  seconds: number;
  itemsPerSecond: number;
}

export async function importCommand(options: ImportOptions, context: Context): Promise<Output> {
  // A folder or an s3:// prefix is an export in AWS's layout (src/transfer/aws-layout/).
  if (isAwsLayoutSource(options.file)) return importAwsExport(options, context);
  if (options.shape !== undefined)
    throw new UsageError(
      'flag.conflict',
      "--shape goes with an export in AWS's layout (a folder or s3:// prefix)",
      'An export file carries its shape in its header',
    );
  const { concurrency, maxRetries } = options;
  const name = options.file === '-' ? 'stdin' : options.file;
  // The header is read (and checked) before anything is asked or sent.
  const reader = await readExport(readLines(options.file, context.stdin), name);
  // --table (or DDB_MESSAGE_TABLE) names the target; else the table the file came from.
  const table = checkTableName(context.env.table.source === 'default' ? (reader.header.table.TableName ?? context.env.table.value) : context.env.table.value);
  // Only the table's shape is taken from the file (keys, indexes, stream, billing): a header is data, not a policy.
  const { input: shape, leftOut } = createInputFromHeader(reader.header.table);
  await confirmDestructive(
    context,
    options.replace ? `delete every item of ${table}, then write the items of ${name}` : `write the items of ${name} into ${table}`,
    table,
  );

  const client = await context.dynamo();
  const progress = createProgress(context, `Importing into ${table}:`);
  const started = context.clock();
  let created = false;
  let deleted = 0;
  let written = 0;
  let result;
  try {
    created = await ensureTable(client, table, shape);
    if (created)
      context.say(
        `Created table ${table} from the header of ${name}${leftOut.length ? ` (left out of its definition: ${leftOut.join(', ')}; import creates keys, indexes, stream and billing only)` : ''}.`,
      );
    else if (options.replace) {
      // reset, then import: the same deletion `reset` does (the table, its indexes and its stream are kept).
      const emptied = await deleteAllItems(client, table, { segments: 4, concurrency, maxRetries });
      if (emptied.notWritten > 0) throw incomplete('reset.incomplete', emptied.notWritten, emptied.found, table, maxRetries, 'the import --replace');
      deleted = emptied.written;
      context.say(`Deleted the ${deleted} items ${table} held.`);
    }
    const onWritten = (n: number) => {
      written += n;
      progress.add(n);
    };
    const { requests, keyOf, onRefused } = importRequests(reader, name, keyRulesOf(shape), client, table, onWritten);
    result = await batchWriteStream(client, table, requests, { concurrency, maxRetries, keyOf, onRefused, onWritten });
  } catch (error) {
    // Named here, not at the entry: the table may be the file's, which the entry does not know.
    if (!(error instanceof CliError) && !isAwsFailure(error)) throw error;
    throw failedAfter(translateAwsError(error, context.env, table), `${written} items were written before it`, error);
  } finally {
    progress.done();
  }
  if (reader.error) {
    throw new CliError(reader.error.code, `${reader.error.message}; ${result.written} items before it were written to ${table}`, {
      hint: 'Fix that line and run the import again (items already written are written again unchanged)',
    });
  }
  if (result.notWritten > 0) throw incomplete('import.incomplete', result.notWritten, result.written + result.notWritten, table, maxRetries, 'the import');
  const secs = seconds(started, context.clock());
  const replaced = result.replaced ?? 0;
  const summary = {
    table,
    file: name,
    created,
    deleted,
    items: result.written,
    replaced,
    seconds: Number(secs.toFixed(3)),
    itemsPerSecond: perSecond(result.written, secs),
  };
  // A key on two lines is written once, the later line winning: said, so a count below the lines is explained.
  const twice = replaced ? `; ${replaced} lines had the key of a later line, which won` : '';
  return summaryOutput(
    context,
    `Imported ${result.written} items from ${name} into ${table} in ${secs.toFixed(2)} s (${summary.itemsPerSecond} items/s)${twice}.`,
    summary,
  );
}

/** A folder or s3:// prefix: an export in AWS's layout, written after every data file matched its manifest. */
async function importAwsExport(options: ImportInput, context: Context): Promise<Output> {
  if (options.replace) throw new UsageError('flag.conflict', "--replace does not go with an export in AWS's layout", 'Run `reset` first, then the import');
  const { concurrency, maxRetries } = options;
  const [{ openPlace }, { loadAwsExport, loadSummary }] = await Promise.all([
    import('../transfer/aws-layout/place.js'),
    import('../transfer/aws-layout/load.js'),
  ]);
  const place = await openPlace(options.file, () => context.s3());
  const client = await context.dynamo();
  const checking = createProgress(context, `Checking ${options.file}:`);
  let progress: ReturnType<typeof createProgress> | undefined;
  const started = context.clock();
  let result;
  try {
    result = await loadAwsExport(client, place, {
      table: context.env.table.source === 'default' ? undefined : checkTableName(context.env.table.value),
      fallbackTable: context.env.table.value,
      shapeFile: options.shape,
      stdin: context.stdin,
      say: (line) => context.say(line),
      concurrency,
      maxRetries,
      onChecked: (n) => checking.add(n),
      beforeWriting: async (table) => {
        checking.done();
        await confirmDestructive(context, `write the items of ${options.file} into ${table}`, checkTableName(table));
        progress = createProgress(context, `Importing into ${table}:`);
      },
      onWritten: (n) => progress?.add(n),
    });
  } finally {
    checking.done();
    progress?.done();
  }
  const { what, timing, summary } = loadSummary(result, options.file, seconds(started, context.clock()));
  return summaryOutput(context, `Imported ${what} into ${result.table} ${timing}.`, summary);
}
