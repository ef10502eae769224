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
import { prepareLoadTarget } from '../transfer/stream-hold.js';
import { isAwsEndpoint } from '../core/aws-host.js';
import { meterFor, meteredSummary } from '../kit/consumed.js';
import { summaryOutput } from '../kit/summary.js';
import { describeTable } from '../transfer/table.js';
import { deleteAllItems, readExport } from '../transfer/transfer.js';
import { batchWriteStream } from '../seed/batch-write.js';
import { checkTableName } from '../core/environment.js';
import { CliError, EXIT, UsageError } from '../core/errors.js';
import { waitShowing } from '../kit/status-line.js';
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
  if (options.managed !== undefined) return importManaged(options, context);
  if (options.file === undefined)
    throw new UsageError('arg.missing', 'import needs a file', 'Give an export file, - for stdin, a folder or s3:// prefix, or --managed s3://bucket/prefix');
  // A folder or an s3:// prefix is an export in AWS's layout (src/transfer/aws-layout/).
  if (isAwsLayoutSource(options.file)) return importAwsExport(options, context);
  if (options.shape !== undefined)
    throw new UsageError(
      'flag.conflict',
      "--shape goes with an export in AWS's layout (a folder or s3:// prefix) or --managed",
      'An export file carries its shape in its header',
    );
  const { concurrency, maxRetries } = options;
  const file = options.file;
  const name = file === '-' ? 'stdin' : file;
  // The header is read (and checked) before anything is asked or sent.
  const reader = await readExport(readLines(file, context.stdin), name);
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
  const meter = meterFor(context, options.consumed);
  await meter?.watch(client);
  const progress = createProgress(context, `Importing into ${table}:`);
  const started = context.clock();
  let created = false;
  let deleted = 0;
  let written = 0;
  let result;
  let target;
  try {
    // A table created here gets its stream only once loaded (src/transfer/stream-hold.ts).
    const endpoint = context.env.endpoint.value;
    target = await prepareLoadTarget(client, table, shape, {
      local: endpoint !== undefined && !isAwsEndpoint(endpoint),
      say: (line) => context.say(line),
      wayOut: `import into a new table (--table NAME), or drop ${table} and import again`,
    });
    created = target.created;
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
      target!.written(n);
    };
    const { requests, keyOf, onRefused } = importRequests(reader, name, keyRulesOf(shape), client, table, onWritten);
    result = await batchWriteStream(client, table, requests, { concurrency, maxRetries, keyOf, onRefused, onWritten });
  } catch (error) {
    // Named here, not at the entry: the table may be the file's, which the entry does not know.
    if (!(error instanceof CliError) && !isAwsFailure(error)) throw error;
    throw failedAfter(translateAwsError(error, context.env, table), `${written} items were written before it`, error);
  } finally {
    progress.done();
    await target?.finish();
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
  return meteredSummary(
    context,
    meter,
    `Imported ${result.written} items from ${name} into ${table} in ${secs.toFixed(2)} s (${summary.itemsPerSecond} items/s)${twice}.`,
    summary,
  );
}

/**
 * `import --managed s3://… --table NEW`: AWS's own ImportTable (src/transfer/managed-import.ts). Free
 * checks first (the table must not exist, the export must be finished and importable, the shape must
 * read), then the prod guard, then the import; after it, the stream the messaging Lambda needs.
 */
async function importManaged(options: ImportOptions, context: Context): Promise<Output> {
  const { parseS3Url, isS3Url, readObjectText } = await import('../aws/s3.js');
  const managed = await import('../transfer/managed-import.js');
  const { readShape, SHAPE_FILE } = await import('../transfer/aws-layout/shape.js');
  const { MANAGED_PRICES } = await import('../transfer/managed-prices.js');
  const { elapsed, size } = await import('../transfer/managed-wait.js');
  if (options.file !== undefined)
    throw new UsageError('flag.conflict', '--managed reads an export in S3, not a file', 'Give either a file or --managed s3://...');
  if (options.replace) throw new UsageError('flag.conflict', '--replace empties a table, but ImportTable only creates new ones', 'Leave out --replace');
  const location = parseS3Url(options.managed!);
  if (context.env.table.source === 'default')
    throw new UsageError(
      'managed.no_table',
      'import --managed needs --table: ImportTable creates the table it fills',
      'Name a table that does not exist yet, e.g. --table messages-restored',
    );
  const table = checkTableName(context.env.table.value);
  const client = await context.dynamo();
  if (await describeTable(client, table))
    throw new CliError('managed.table_exists', `Table ${table} exists, and ImportTable only creates new tables`, {
      hint: 'Name a new one with --table, or drop this one first; `import` without --managed writes into an existing table',
    });
  const s3 = await context.s3();
  const found = await managed.findExport(s3, location);
  const source = `s3://${found.bucket}/${found.folder}`;
  let shapeName = options.shape ?? `${source}/${SHAPE_FILE}`;
  let shapeText: string | undefined;
  if (options.shape === undefined) shapeText = await readObjectText(s3, found.bucket, `${found.folder}/${SHAPE_FILE}`);
  else if (isS3Url(options.shape)) {
    const at = parseS3Url(options.shape);
    shapeText = await readObjectText(s3, at.bucket, at.prefix);
  } else {
    // The first line is all a shape needs: an export file of ours may be gigabytes (and gzip).
    for await (const line of readLines(options.shape, context.stdin)) {
      shapeText = line.text;
      break;
    }
    shapeName = options.shape;
  }
  if (shapeText === undefined)
    throw new CliError('managed.no_shape', `No table shape at ${shapeName}`, { hint: `Give --shape FILE (a ${SHAPE_FILE}, or an export file of ours)` });
  const { params, leftOut } = managed.importTableParams(readShape(shapeText, shapeName).input, table);
  const compression = await managed.compressionOf(s3, found);
  await confirmDestructive(
    context,
    `create table ${table} from the export at ${source} (ImportTable, billed about $${MANAGED_PRICES.importPerGb.toFixed(2)} per GB of uncompressed data)`,
    table,
    { table },
  );
  const started = context.clock();
  const begun = await managed.startImport(client, { bucket: found.bucket, dataPrefix: `${found.folder}/data/`, compression, params });
  const arn = begun.ImportArn!;
  const final = await waitShowing(
    context,
    (wait) => managed.waitForImport(client, arn, wait),
    (d, waited) =>
      d.ImportStatus === 'IN_PROGRESS'
        ? [
            d.ImportStatus,
            `Import into ${table}: ${d.ImportStatus}, ${elapsed(waited)} waited, ${d.ProcessedItemCount ?? 0} items (${size(d.ProcessedSizeBytes)}) read`,
          ]
        : undefined,
    () =>
      new CliError('managed.wait_stopped', `Stopped waiting; the import into ${table} goes on at AWS`, {
        // Not "run it again": the table exists from the start, so a re-run refuses it (managed.table_exists).
        hint: `Its ARN: ${arn}. When \`describe ${table}\` shows it ACTIVE, turn its stream on (aws dynamodb update-table --table-name ${table} --stream-specification StreamEnabled=true,StreamViewType=NEW_IMAGE), then run \`cruddur-ddb repair --table ${table}\``,
        exitCode: EXIT.cancelled,
      }),
  );
  await managed.enableStream(client, table);
  const imported = final.ImportedItemCount ?? 0;
  const exported = found.summary.itemCount;
  if (leftOut.length) context.say(`Left out of ${table}: ${leftOut.join('; ')}.`);
  if (exported !== undefined && imported < exported)
    context.say(
      `Warning: ${exported - imported} of the export's ${exported} items are not in ${table} (ImportTable keeps the later of two items with one key, silently, and logs refused ones to CloudWatch).`,
    );
  context.say(
    `The stream of ${table} is on (NEW_IMAGE). Imported items never passed through it: run \`cruddur-ddb repair --table ${table}\` to bring the group items up to date.`,
  );
  const secs = seconds(started, context.clock());
  const summary = {
    table,
    importArn: arn,
    source,
    status: final.ImportStatus,
    items: imported,
    processed: final.ProcessedItemCount ?? 0,
    errors: final.ErrorCount ?? 0,
    exportItems: exported ?? null,
    stream: 'NEW_IMAGE',
    leftOut,
    seconds: Number(secs.toFixed(3)),
  };
  return summaryOutput(context, `Imported ${imported} items from ${source} into the new table ${table} in ${elapsed(secs * 1000)}.`, summary);
}

/** A folder or s3:// prefix: an export in AWS's layout, written after every data file matched its manifest. */
async function importAwsExport(options: ImportInput, context: Context): Promise<Output> {
  if (options.replace) throw new UsageError('flag.conflict', "--replace does not go with an export in AWS's layout", 'Run `reset` first, then the import');
  const { concurrency, maxRetries } = options;
  const [{ openPlace }, { loadAwsExport, loadSummary }] = await Promise.all([
    import('../transfer/aws-layout/place.js'),
    import('../transfer/aws-layout/load.js'),
  ]);
  const place = await openPlace(options.file!, () => context.s3());
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
  const { what, timing, summary } = loadSummary(result, options.file!, seconds(started, context.clock()));
  return summaryOutput(context, `Imported ${what} into ${result.table} ${timing}.`, summary);
}
