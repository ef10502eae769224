/** `cruddur-ddb export [table] [-f file]`: the table's shape and every item, as an export file (docs/export-format.md). */
import type { Context } from '../kit/context.js';
import type { Output } from '../kit/output.js';
import { openOutput } from '../transfer/files.js';
import { megabytes, perSecond, seconds } from '../transfer/summary.js';
import { summaryOutput } from '../kit/summary.js';
import { dryRunOutput } from '../kit/dry-run.js';
import { describeForExport, exportTable } from '../transfer/transfer.js';
import { checkTableName } from '../core/environment.js';
import { looksLikeS3 } from '../transfer/aws-layout/open.js';
import { createProgress } from '../kit/progress.js';
import { confirmDestructive } from '../kit/prod-prompt.js';
import { waitShowing } from '../kit/status-line.js';
import { CliError, EXIT, UsageError } from '../core/errors.js';
import { instantOf } from '../patterns/time.js';
import type { ExportInput } from './export.def.js';

/** The definition's arguments and options, typed there (defaults and choices live there, once). */
export type ExportOptions = ExportInput;

export interface ExportSummary {
  table: string;
  file: string;
  items: number;
  bytes: number;
  seconds: number;
  itemsPerSecond: number;
}

export async function exportCommand(options: ExportOptions, context: Context): Promise<Output> {
  if (options.managed !== undefined) return exportManaged(options, context);
  const managedOnly = ['enablePitr', 'incremental', 'from', 'to', 'at'].filter((key) => options[key as keyof ExportOptions]);
  const names = [...managedOnly, ...(options.wait ? [] : ['noWait'])].map(flagName);
  if (names.length)
    throw new UsageError(
      'flag.conflict',
      `${names.join(', ')} ${names.length > 1 ? 'need' : 'needs'} --managed`,
      'Add --managed s3://bucket/prefix, or leave them out',
    );
  // AWS's layout is a folder of files, not a stream: its own function below.
  if (options.layout === 'aws') return exportAws(options, context);
  if (options.file !== undefined && looksLikeS3(options.file))
    throw new UsageError('flag.conflict', `-f ${options.file}: an export file goes to a file or stdout; S3 takes AWS's layout`, 'Add --layout aws');
  const table = checkTableName(options.table ?? context.env.table.value);
  const { segments } = options;
  const toStdout = options.file === undefined || options.file === '-';
  const client = await context.dynamo();
  // No file is opened (nor stdout written) for a dry run.
  if (options.dryRun) return dryRunOutput(context, { verb: 'export', table, client, writes: 'none' });
  // AWS failures need no catch here: the entry names them (table.not_found for this table, ...).
  const description = await describeForExport(client, table);
  const output = openOutput(options.file, context.stdout);
  const progress = createProgress(context, `Exporting ${table}:`, description.ItemCount || undefined);
  const started = context.clock();
  let result;
  try {
    result = await exportTable(client, table, output, { segments, description, onItems: (n) => progress.add(n) });
  } catch (error) {
    await output.abort();
    throw error;
  } finally {
    progress.done();
  }
  const fileBytes = await output.close();
  const secs = seconds(started, context.clock());
  const file = toStdout ? 'stdout' : options.file!;
  const summary = { table, file, items: result.items, bytes: fileBytes, seconds: Number(secs.toFixed(3)), itemsPerSecond: perSecond(result.items, secs) };
  return summaryOutput(
    context,
    `Exported ${result.items} items (${megabytes(fileBytes)}) from ${table} to ${file} in ${secs.toFixed(2)} s (${summary.itemsPerSecond} items/s).`,
    summary,
    !toStdout,
  );
}

/**
 * `export --managed s3://bucket/prefix`: AWS's own Export to S3 (src/transfer/managed.ts). Free checks
 * first (the table, the bucket, PITR, the times), then the prod guard, then what costs: turning PITR on
 * (--enable-pitr) and the export, whose client token makes a re-run find the export already started.
 */
async function exportManaged(options: ExportOptions, context: Context): Promise<Output> {
  const { parseS3Url, bucketExists } = await import('../aws/s3.js');
  const managed = await import('../transfer/managed.js');
  const { MANAGED_PRICES, dollars, perGb } = await import('../transfer/managed-prices.js');
  const { elapsed, size } = await import('../transfer/managed-wait.js');
  const location = parseS3Url(options.managed!);
  const request = managedRequest(options, context.env.timeZone.value);
  const table = checkTableName(options.table ?? context.env.table.value);
  const client = await context.dynamo();
  const description = await describeForExport(client, table);
  const s3 = await context.s3();
  if (!(await bucketExists(s3, location.bucket)))
    throw new CliError('managed.no_bucket', `The S3 bucket "${location.bucket}" does not exist`, {
      hint: 'Create it first (aws s3 mb), or check the s3:// URL and --region',
    });
  let pitr = await managed.pitrState(client, table);
  const tableBytes = description.TableSizeBytes ?? 0;
  const pitrCost = `about $${MANAGED_PRICES.pitrPerGbMonth.toFixed(2)} per GB-month of the table (${dollars(perGb(tableBytes, MANAGED_PRICES.pitrPerGbMonth))} a month at its ${size(tableBytes)})`;
  if (!pitr.enabled && !options.enablePitr) {
    throw new CliError('managed.pitr_off', `Point-in-time recovery is off on ${table}, and AWS exports only from it`, {
      hint: `Pass --enable-pitr to turn it on (billed ${pitrCost} while on; docs/scale.md)`,
    });
  }
  // With PITR about to be turned on, its window starts now: a past --at or --from cannot be in it.
  const full = { ...request, tableArn: description.TableArn!, bucket: location.bucket, prefix: location.prefix };
  managed.checkTimes(full, new Date(context.now()), pitr.enabled ? pitr : { enabled: true, earliest: new Date(context.now()) });
  if (!pitr.enabled) context.say(`Point-in-time recovery is off on ${table}; --enable-pitr turns it on, billed ${pitrCost} until it is turned off.`);
  const where = `s3://${location.bucket}${location.prefix ? `/${location.prefix}` : ''}`;
  await confirmDestructive(
    context,
    `${pitr.enabled ? '' : 'turn on point-in-time recovery of ' + table + ' and '}start an export of ${table} to ${where} (billed about $${MANAGED_PRICES.exportPerGb.toFixed(2)} per GB)`,
    table,
    { table },
  );
  if (!pitr.enabled) {
    pitr = await managed.enablePitr(client, table);
    context.say(
      `Point-in-time recovery is on for ${table}; it stays on, and billed, until: aws dynamodb update-continuous-backups --table-name ${table} --point-in-time-recovery-specification PointInTimeRecoveryEnabled=false`,
    );
  }
  const started = context.clock();
  const begun = await managed.startExport(client, full);
  const arn = begun.ExportArn!;
  const id = managed.exportIdOf(arn);
  const folder = `s3://${location.bucket}/${location.prefix ? `${location.prefix}/` : ''}AWSDynamoDB/${id}/`;
  const summaryOf = (d: typeof begun) => ({
    table,
    exportArn: arn,
    status: d.ExportStatus ?? 'IN_PROGRESS',
    type: d.ExportType ?? (full.incremental ? 'INCREMENTAL_EXPORT' : 'FULL_EXPORT'),
    exportTime: d.ExportTime?.toISOString() ?? full.at?.toISOString() ?? null,
    location: folder,
    manifest: `s3://${location.bucket}/${managed.manifestKey(d)}`,
    items: d.ItemCount ?? null,
    billedBytes: d.BilledSizeBytes ?? null,
    seconds: Number(seconds(started, context.clock()).toFixed(3)),
    clientToken: managed.exportClientToken(full),
  });
  if (!options.wait) {
    return summaryOutput(
      context,
      `Export ${id} of ${table} is ${begun.ExportStatus ?? 'IN_PROGRESS'}, writing to ${folder}; the same command again waits for it (same client token, no second export).`,
      summaryOf(begun),
    );
  }
  const final = await waitShowing(
    context,
    (wait) => managed.waitForExport(client, arn, wait),
    (d, waited) =>
      d.ExportStatus === 'IN_PROGRESS'
        ? [d.ExportStatus, `Export ${id} of ${table}: ${d.ExportStatus}, ${elapsed(waited)} waited, billed ${size(d.BilledSizeBytes)} so far`]
        : undefined,
    () =>
      new CliError('managed.wait_stopped', `Stopped waiting; export ${id} goes on at AWS`, {
        hint: 'Run the same command again to wait for it (its client token finds the same export)',
        exitCode: EXIT.cancelled,
      }),
  );
  const summary = summaryOf(final);
  return summaryOutput(
    context,
    `Exported ${final.ItemCount ?? '?'} items of ${table} (billed ${size(final.BilledSizeBytes)}) to ${folder} in ${elapsed(summary.seconds * 1000)}; manifest: ${summary.manifest}.`,
    summary,
  );
}

/** The times and kind of a managed export from the flags, each flag checked against the others. */
function managedRequest(options: ExportOptions, zone: string) {
  const conflict = (message: string, hint: string) => new UsageError('flag.conflict', message, hint);
  if (options.file !== undefined)
    throw conflict('--managed writes to S3, not to --file', 'Leave out -f (AWS writes the files), or --managed (to write a file of ours)');
  if (options.incremental) {
    if (!options.from || !options.to)
      throw conflict('--incremental needs --from and --to', 'Give the window, e.g. --from 2026-11-24T00:00:00Z --to 2026-11-25T00:00:00Z');
    if (options.at) throw conflict('--at is for a full export; an incremental one covers --from to --to', 'Leave out --at or --incremental');
    return { incremental: { from: instantDate(options.from, zone), to: instantDate(options.to, zone), viewType: options.viewType } };
  }
  if (options.from || options.to) throw conflict('--from and --to need --incremental', 'Add --incremental, or use --at for a full export as of a time');
  return options.at ? { at: instantDate(options.at, zone) } : {};
}

/** `enablePitr` → `--enable-pitr`. */
const flagName = (key: string) => `--${key.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`)}`;

/** A checked ISO time flag as a Date: a bare date is its midnight, a time without offset is in the time rule's zone. */
function instantDate(value: string, zone: string): Date {
  const text = /^\d{4}-\d{2}-\d{2}$/.test(value.trim()) ? `${value.trim()}T00:00:00` : value.trim();
  return new Date(Number(instantOf(text, zone) / 1000n));
}

/** `--layout aws`: a folder of files (src/transfer/aws-layout/write.ts), to a folder or s3:// prefix. */
async function exportAws(options: ExportInput, context: Context): Promise<Output> {
  if (options.file === undefined || options.file === '-')
    throw new UsageError('flag.conflict', '--layout aws writes a folder of files, not stdout', 'Add -f DIR or -f s3://bucket/prefix');
  const table = checkTableName(options.table ?? context.env.table.value);
  const client = await context.dynamo();
  const description = await describeForExport(client, table);
  const [{ openPlace }, { exportAwsLayout }] = await Promise.all([import('../transfer/aws-layout/place.js'), import('../transfer/aws-layout/write.js')]);
  const place = await openPlace(options.file, () => context.s3());
  const progress = createProgress(context, `Exporting ${table}:`, description.ItemCount || undefined);
  const started = context.clock();
  let result;
  try {
    result = await exportAwsLayout(client, description, place, { segments: options.segments, now: context.now, onItems: (n) => progress.add(n) });
  } finally {
    progress.done();
  }
  const secs = seconds(started, context.clock());
  const summary = {
    table,
    file: options.file,
    layout: 'aws',
    exportId: result.id,
    manifest: result.summary,
    dataFiles: result.files,
    items: result.items,
    bytes: result.bytes,
    seconds: Number(secs.toFixed(3)),
    itemsPerSecond: perSecond(result.items, secs),
  };
  return summaryOutput(
    context,
    `Exported ${result.items} items (${megabytes(result.bytes)} in ${result.files} gzip files) from ${table} as export ${result.id}: ${result.summary} (in ${secs.toFixed(2)} s, ${summary.itemsPerSecond} items/s).`,
    summary,
  );
}
