/**
 * `cruddur-ddb stream`: runs the messaging-stream handler locally against a table's stream (DynamoDB
 * Local, or any endpoint), the way Lambda's event source mapping would: Lambda-shaped batches to the
 * same `processRecords`, partial failures retried, and a checkpoint so a restart does not replay.
 * The following is src/stream/follow.ts; this file wires Ctrl-C, the clients and the closing report.
 */
import { DynamoDBStreamsClient } from '@aws-sdk/client-dynamodb-streams';
import { clientOptions } from '../aws/clients.js';
import type { Context } from '../kit/context.js';
import { checkTableName } from '../core/environment.js';
import type { Output } from '../kit/output.js';
import { summaryOutput } from '../kit/summary.js';
import { followTableStream } from '../stream/follow.js';
import { emptyTotals, type RunTotals } from '../stream/runner.js';
import type { StreamInput } from './stream.def.js';

/** The definition's arguments and options, typed there (defaults and choices live there, once). */
export type StreamOptions = StreamInput;

export interface StreamResult extends RunTotals {
  table: string;
  stream: string;
  checkpoint: string;
}

export async function stream(options: StreamOptions, context: Context): Promise<Output> {
  const table = checkTableName(context.env.table.value);
  const client = await context.dynamo();
  const settings = await context.aws();
  const streams = new DynamoDBStreamsClient(clientOptions(settings, context.env.endpoint.value));
  const controller = new AbortController();
  const stopListening = context.onSignal((signal) => {
    context.say(`${signal}: stopping after the current batch (again to quit at once)`);
    controller.abort();
  });
  const totals = emptyTotals();
  try {
    const { streamArn, checkpointPath } = await followTableStream({
      client,
      streams,
      table,
      region: settings.region,
      where: context.env.endpoint.value ?? `AWS ${settings.region ?? ''}`.trim(),
      zone: context.env.timeZone.value,
      from: options.from,
      once: options.once,
      batchSize: options.batchSize,
      checkpointDir: options.checkpointDir,
      signal: controller.signal,
      say: context.say,
      onExit: context.onExit,
      totals,
    });
    const result: StreamResult = { table, stream: streamArn, checkpoint: checkpointPath, ...totals };
    // Once, at the end (a Ctrl-C only ends the loop): a line for people, and for scripts the same facts under the same names.
    return summaryOutput(context, summaryLine(totals), { ...result });
  } finally {
    stopListening();
    streams.destroy();
  }
}

/** What each count means, named as its key in the -o json summary so the two read alike. */
const MEANINGS: Record<keyof RunTotals, string> = {
  records: 'records',
  batches: 'batches',
  messages: 'messages',
  moved: 'moved (conversations put on top)',
  unchanged: 'unchanged',
  older: 'older (message older than its group item: kept)',
  distrusted: 'distrusted (future-dated group time replaced)',
  missing: 'missing (no group item)',
  unusable: 'unusable (no image or no time)',
  failedRecords: 'failedRecords',
};

/** `Done: records 12, batches 3, messages 10, moved (conversations put on top) 4, ...`: every count, zeros too. */
export function summaryLine(totals: RunTotals): string {
  const parts = (Object.keys(MEANINGS) as (keyof RunTotals)[]).map((key) => `${MEANINGS[key]} ${totals[key]}`);
  return `Done: ${parts.join(', ')}.`;
}
