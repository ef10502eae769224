/**
 * `cruddur-ddb stream`: runs the messaging-stream handler locally against a table's stream (DynamoDB
 * Local, or any endpoint), the way Lambda's event source mapping would: Lambda-shaped batches to the
 * same `processRecords`, partial failures retried, and a checkpoint so a restart does not replay.
 */
import { DescribeTableCommand, type DynamoDBClient, type TableDescription } from '@aws-sdk/client-dynamodb';
import { DynamoDBStreamsClient } from '@aws-sdk/client-dynamodb-streams';
import { clientOptions, isUnreachable } from '../aws/clients.js';
import type { Context } from '../kit/context.js';
import { checkTableName } from '../core/environment.js';
import { CliError } from '../core/errors.js';
import { record, type Output } from '../kit/output.js';
import { processRecords } from '../patterns/stream.js';
import { Checkpoint } from '../stream/checkpoint.js';
import { applyLock, type HeldLock } from '../stream/lock.js';
import { emptyTotals, runStream, type RunTotals, type StartFrom } from '../stream/runner.js';

export interface StreamOptions {
  from: StartFrom;
  once: boolean;
  checkpointDir: string;
  batchSize: number;
}

export interface StreamResult extends RunTotals {
  table: string;
  stream: string;
  checkpoint: string;
}

/** Failures that mean the endpoint went away (refused, reset, timed out), not that a request was wrong. */
const GONE = new Set(['ECONNRESET', 'EPIPE', 'ECONNABORTED', 'ETIMEDOUT', 'ESOCKETTIMEDOUT']);

function wentAway(error: unknown): boolean {
  if (isUnreachable(error)) return true;
  const { code, name, message } = error as { code?: string; name?: string; message?: string };
  return (code !== undefined && GONE.has(code)) || name === 'TimeoutError' || /socket hang up|ECONNRESET/i.test(message ?? '');
}

function reason(error: unknown): string {
  const { code, name } = error as { code?: string; name?: string };
  return code ?? name ?? 'no answer';
}

/** Backoff while waiting for the endpoint: 0.5 s, doubling, at most 10 s between tries. */
const BACK_MIN_MS = 500;
const BACK_MAX_MS = 10_000;

/**
 * Waits until DescribeTable answers for `table` again; false when stopped (Ctrl-C) first. A table that
 * is missing after a restart (an in-memory DynamoDB Local) is waited for too, said once.
 */
async function waitUntilBack(client: DynamoDBClient, table: string, signal: AbortSignal, say: (line: string) => void): Promise<boolean> {
  let delay = BACK_MIN_MS;
  let saidMissing = false;
  while (!signal.aborted) {
    await new Promise<void>((resolve) => {
      const timer = setTimeout(resolve, delay);
      signal.addEventListener('abort', () => (clearTimeout(timer), resolve()), { once: true });
    });
    if (signal.aborted) return false;
    try {
      const { Table } = await client.send(new DescribeTableCommand({ TableName: table }), { abortSignal: signal });
      if (Table?.LatestStreamArn) return true;
    } catch (error) {
      if ((error as Error).name === 'ResourceNotFoundException' && !saidMissing) {
        saidMissing = true;
        say(`DynamoDB answers, but table ${table} is not there (an in-memory DynamoDB Local loses its tables); waiting for it.`);
      } else if (!wentAway(error) && (error as Error).name !== 'ResourceNotFoundException' && !signal.aborted) throw error;
    }
    delay = Math.min(BACK_MAX_MS, delay * 2);
  }
  return false;
}

/** The table's stream ARN, or a clear error when it has none the handler can use. */
export function streamOf(table: string, description: TableDescription): string {
  const spec = description.StreamSpecification;
  const enable = `aws dynamodb update-table --table-name ${table} --stream-specification StreamEnabled=true,StreamViewType=NEW_IMAGE`;
  if (!spec?.StreamEnabled || !description.LatestStreamArn) {
    throw new CliError('stream.disabled', `Table "${table}" has no stream enabled`, {
      hint: `Enable it with \`${enable}\` (add --endpoint-url for DynamoDB Local); \`cruddur-ddb schema-load\` creates tables with it`,
    });
  }
  if (spec.StreamViewType === 'KEYS_ONLY' || spec.StreamViewType === 'OLD_IMAGE') {
    throw new CliError('stream.no_new_image', `The stream of "${table}" is ${spec.StreamViewType}, but the handler needs each new message (NEW_IMAGE)`, {
      hint: `Disable it (StreamEnabled=false), then \`${enable}\``,
    });
  }
  return description.LatestStreamArn;
}

export async function stream(options: StreamOptions, context: Context): Promise<Output> {
  const table = checkTableName(context.env.table.value);
  const { from, batchSize } = options;
  const client = await context.dynamo();
  const settings = await context.aws();
  const streams = new DynamoDBStreamsClient(clientOptions(settings, context.env.endpoint.value));
  const controller = new AbortController();
  const onSignal = (signal: NodeJS.Signals) => {
    context.say(`${signal}: stopping after the current batch (again to quit at once)`);
    controller.abort();
  };
  process.once('SIGINT', onSignal);
  process.once('SIGTERM', onSignal);
  const where = context.env.endpoint.value ?? `AWS ${settings.region ?? ''}`.trim();
  const totals = emptyTotals();
  let lock: HeldLock | undefined;
  try {
    let streamArn = '';
    let checkpointPath = '';
    /** Once it has answered: an endpoint that never did is a plain failure, at once. */
    let connected = false;
    // Following: when the endpoint goes away (DynamoDB Local restarted, a network cut), say so, wait
    // with a bounded backoff until it answers, say so, and go on from the checkpoint. --once fails fast.
    for (let round = 0; ; round++) {
      try {
        const { Table: description = {} } = await client.send(new DescribeTableCommand({ TableName: table }));
        connected = true;
        streamArn = streamOf(table, description);
        // One applier per checkpoint: a `ui` applying the same stream from the same folder goes first.
        lock ??= await applyLock(
          { dir: options.checkpointDir, streamArn, command: 'cruddur-ddb stream', once: options.once, signal: controller.signal, what: table },
          context.say,
        );
        if (!lock) break;
        const checkpoint = await Checkpoint.load(options.checkpointDir, streamArn);
        checkpointPath = checkpoint.path;
        if (round === 0) context.say(`Reading the stream of ${table} ${options.once ? 'once' : 'until Ctrl-C'} (checkpoint ${checkpoint.path}).`);
        await runStream({
          streams,
          streamArn,
          region: settings.region,
          checkpoint,
          from,
          once: options.once,
          batchSize,
          signal: controller.signal,
          apply: (records) => processRecords(records, { client, table, zone: context.env.timeZone.value, log: (line) => context.say(`  ${line}`) }),
          say: context.say,
          totals,
        });
        break;
      } catch (error) {
        if (options.once || !connected || controller.signal.aborted || !wentAway(error)) throw error;
        context.say(`DynamoDB stopped answering at ${where} (${reason(error)}); waiting for it to come back (Ctrl-C to stop).`);
        if (!(await waitUntilBack(client, table, controller.signal, context.say))) break;
        context.say(`DynamoDB answers again at ${where}; following the stream of ${table} from the checkpoint.`);
      }
    }
    const result: StreamResult = { table, stream: streamArn, checkpoint: checkpointPath, ...totals };
    context.say(
      `Done: ${totals.records} records in ${totals.batches} batches, ${totals.messages} messages, conversations moved ${totals.moved}, kept (message older) ${totals.older}, future group times replaced ${totals.distrusted}, unusable records ${totals.unusable}, failed records ${totals.failedRecords}.`,
    );
    return record(result);
  } finally {
    process.off('SIGINT', onSignal);
    process.off('SIGTERM', onSignal);
    streams.destroy();
    await lock?.release();
  }
}
