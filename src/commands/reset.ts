/** `cruddur-ddb reset [table]`: deletes every item and keeps the table, its indexes and its stream. */
import type { Context } from '../kit/context.js';
import { confirmDestructive } from '../kit/prod-prompt.js';
import type { Output } from '../kit/output.js';
import { incomplete, perSecond, seconds } from '../data/summary.js';
import { summaryOutput } from '../kit/summary.js';
import { deleteAllItems } from '../data/transfer.js';
import { checkTableName } from '../core/environment.js';
import { createProgress } from '../kit/progress.js';
import type { ResetInput } from './reset.def.js';

/** The definition's arguments and options, typed there (defaults and choices live there, once). */
export type ResetOptions = ResetInput;

export interface ResetSummary {
  table: string;
  deleted: number;
  seconds: number;
}

export async function reset(options: ResetOptions, context: Context): Promise<Output> {
  const table = checkTableName(options.table ?? context.env.table.value);
  const { segments, concurrency, maxRetries } = options;
  await confirmDestructive(context, `delete every item of ${table}`, table);
  const client = await context.dynamo();
  const progress = createProgress(context, `Emptying ${table}:`);
  const started = context.clock();
  let result;
  try {
    result = await deleteAllItems(client, table, { segments, concurrency, maxRetries, onWritten: (n) => progress.add(n) });
  } finally {
    progress.done();
  }
  if (result.notWritten > 0) throw incomplete('reset.incomplete', result.notWritten, result.found, table, maxRetries, 'reset');
  const secs = seconds(started, context.clock());
  const summary = { table, deleted: result.written, seconds: Number(secs.toFixed(3)) };
  return summaryOutput(
    context,
    `Deleted ${result.written} items from ${table} in ${secs.toFixed(2)} s (${perSecond(result.written, secs)} items/s); the table, its indexes and its stream are kept.`,
    summary,
  );
}
