/** `cruddur-ddb reset [table]`: deletes every item and keeps the table, its indexes and its stream. */
import type { Context } from '../kit/context.js';
import { confirmDestructive } from '../kit/prod-prompt.js';
import type { Output } from '../kit/output.js';
import { incomplete, perSecond, seconds } from '../transfer/summary.js';
import { meterFor, meteredSummary } from '../kit/consumed.js';
import { dryRunOutput } from '../kit/dry-run.js';
import { deleteAllItems } from '../transfer/transfer.js';
import { checkTableName } from '../core/environment.js';
import { createProgress } from '../kit/progress.js';
import { isAwsFailure, translateAwsError } from '../aws/clients.js';
import { CliError } from '../core/errors.js';
import { failedAfter } from '../transfer/partial.js';
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
  // A dry run deletes nothing: no prompt, one DescribeTable.
  if (options.dryRun) return dryRunOutput(context, { verb: 'reset', table, client: await context.dynamo(), writes: 'delete' });
  await confirmDestructive(context, `delete every item of ${table}`, table);
  const client = await context.dynamo();
  const meter = meterFor(context, options.consumed);
  await meter?.watch(client);
  const progress = createProgress(context, `Emptying ${table}:`);
  const started = context.clock();
  let deleted = 0;
  let result;
  try {
    result = await deleteAllItems(client, table, {
      segments,
      concurrency,
      maxRetries,
      onWritten: (n) => {
        deleted += n;
        progress.add(n);
      },
    });
  } catch (error) {
    if (!(error instanceof CliError) && !isAwsFailure(error)) throw error;
    throw failedAfter(translateAwsError(error, context.env, table), `${deleted} items were deleted from ${table} before it`, error);
  } finally {
    progress.done();
  }
  if (result.notWritten > 0) throw incomplete('reset.incomplete', result.notWritten, result.found, table, maxRetries, 'reset');
  const secs = seconds(started, context.clock());
  const summary = { table, deleted: result.written, seconds: Number(secs.toFixed(3)) };
  return meteredSummary(
    context,
    meter,
    `Deleted ${result.written} items from ${table} in ${secs.toFixed(2)} s (${perSecond(result.written, secs)} items/s); the table, its indexes and its stream are kept.`,
    summary,
  );
}
