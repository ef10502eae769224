/**
 * Following a table's stream through restarts: the local runner (runner.ts) over the table's stream,
 * with the messaging-stream handler applied to each batch; when the endpoint goes away (DynamoDB Local
 * restarted, a network cut) it says so, waits with a bounded backoff until it answers, says so, and
 * goes on from the checkpoint. `once` fails fast instead.
 */
import { DescribeTableCommand, type DynamoDBClient } from '@aws-sdk/client-dynamodb';
import type { DynamoDBStreamsClient } from '@aws-sdk/client-dynamodb-streams';
import { isUnreachable } from '../aws/clients.js';
import { processRecords } from '../patterns/stream.js';
import { Checkpoint } from './checkpoint.js';
import { applyLock, type ExitHook, type HeldLock } from './lock.js';
import { runStream, type RunTotals, type StartFrom } from './runner.js';
import { streamOf } from './table-stream.js';

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

export interface FollowOptions {
  client: DynamoDBClient;
  streams: DynamoDBStreamsClient;
  table: string;
  region: string | undefined;
  /** Where the endpoint is, for the messages (an endpoint URL, or `AWS <region>`). */
  where: string;
  zone: string;
  from: StartFrom;
  once: boolean;
  batchSize: number;
  checkpointDir: string;
  signal: AbortSignal;
  say(line: string): void;
  /** Where the checkpoint's lock learns of the process's end (the Context's onExit). */
  onExit: ExitHook;
  /** Counted into as it goes, so a stop still reports what was done. */
  totals: RunTotals;
}

/** Reads the stream until done (`once`) or stopped; returns the stream's ARN and the checkpoint's path. */
export async function followTableStream(options: FollowOptions): Promise<{ streamArn: string; checkpointPath: string }> {
  const { client, table, where, say, signal } = options;
  let streamArn = '';
  let checkpointPath = '';
  /** Once it has answered: an endpoint that never did is a plain failure, at once. */
  let connected = false;
  let lock: HeldLock | undefined;
  try {
    for (let round = 0; ; round++) {
      try {
        const { Table: description = {} } = await client.send(new DescribeTableCommand({ TableName: table }));
        connected = true;
        streamArn = streamOf(table, description);
        // One applier per checkpoint: a `ui` applying the same stream from the same folder goes first.
        lock ??= await applyLock(
          { dir: options.checkpointDir, streamArn, command: 'cruddur-ddb stream', once: options.once, signal, what: table, onExit: options.onExit },
          say,
        );
        if (!lock) return { streamArn, checkpointPath };
        const checkpoint = await Checkpoint.load(options.checkpointDir, streamArn);
        checkpointPath = checkpoint.path;
        if (round === 0) say(`Reading the stream of ${table} ${options.once ? 'once' : 'until Ctrl-C'} (checkpoint ${checkpoint.path}).`);
        await runStream({
          streams: options.streams,
          streamArn,
          region: options.region,
          checkpoint,
          from: options.from,
          once: options.once,
          batchSize: options.batchSize,
          signal,
          apply: (records) => processRecords(records, { client, table, zone: options.zone, log: (line) => say(`  ${line}`) }),
          say,
          totals: options.totals,
        });
        return { streamArn, checkpointPath };
      } catch (error) {
        if (options.once || !connected || signal.aborted || !wentAway(error)) throw error;
        say(`DynamoDB stopped answering at ${where} (${reason(error)}); waiting for it to come back (Ctrl-C to stop).`);
        if (!(await waitUntilBack(client, table, signal, say))) return { streamArn, checkpointPath };
        say(`DynamoDB answers again at ${where}; following the stream of ${table} from the checkpoint.`);
      }
    }
  } finally {
    await lock?.release();
  }
}
