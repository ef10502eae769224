/** `cruddur-ddb export [table] [-f file]`: the table's shape and every item, as an export file (docs/export-format.md). */
import type { Context } from '../kit/context.js';
import type { Output } from '../kit/output.js';
import { openOutput } from '../transfer/files.js';
import { megabytes, perSecond, seconds } from '../transfer/summary.js';
import { summaryOutput } from '../kit/summary.js';
import { describeForExport, exportTable } from '../transfer/transfer.js';
import { checkTableName } from '../core/environment.js';
import { UsageError } from '../core/errors.js';
import { looksLikeS3 } from '../transfer/aws-layout/open.js';
import { createProgress } from '../kit/progress.js';
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
  // AWS's layout is a folder of files, not a stream: its own function below.
  if (options.layout === 'aws') return exportAws(options, context);
  if (options.file !== undefined && looksLikeS3(options.file))
    throw new UsageError('flag.conflict', `-f ${options.file}: an export file goes to a file or stdout; S3 takes AWS's layout`, 'Add --layout aws');
  const table = checkTableName(options.table ?? context.env.table.value);
  const { segments } = options;
  const toStdout = options.file === undefined || options.file === '-';
  const client = await context.dynamo();
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
