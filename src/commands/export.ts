/** `cruddur-ddb export [table] [-f file]`: the table's shape and every item, as an export file (docs/export-format.md). */
import type { Context } from '../kit/context.js';
import type { Output } from '../kit/output.js';
import { openOutput } from '../transfer/files.js';
import { megabytes, perSecond, seconds } from '../transfer/summary.js';
import { summaryOutput } from '../kit/summary.js';
import { dryRunOutput } from '../kit/dry-run.js';
import { describeForExport, exportTable } from '../transfer/transfer.js';
import { checkTableName } from '../core/environment.js';
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
