/**
 * The local stand-in for Lambda's event source mapping: follows every shard of a stream (and the
 * shards that open later, each after its parent), hands each page of records to `apply` as a Lambda
 * batch, and keeps its place in a checkpoint. A batch with failures is checkpointed up to the first
 * failed record and read again from there, as Lambda does with ReportBatchItemFailures
 * (https://docs.aws.amazon.com/lambda/latest/dg/services-ddb-batchfailurereporting.html).
 */
import {
  GetRecordsCommand,
  GetShardIteratorCommand,
  type DynamoDBStreamsClient,
  type Shard,
  type ShardIteratorType,
  type _Record,
} from '@aws-sdk/client-dynamodb-streams';
import { CliError } from '../core/errors.js';
import type { BatchResult } from '../patterns/stream.js';
import type { DynamoDBStreamRecord } from '../patterns/stream-event.js';
import type { Checkpoint } from './checkpoint.js';
import { isClosed, listShards, readyShards, toLambdaRecord } from './shards.js';

export type StartFrom = 'trim-horizon' | 'latest';

export interface RunnerOptions {
  streams: DynamoDBStreamsClient;
  streamArn: string;
  region: string | undefined;
  checkpoint: Checkpoint;
  /** Where shards start when there is no checkpoint yet. */
  from: StartFrom;
  /** Drain what is there and return, instead of following until `signal`. */
  once: boolean;
  /** Records per GetRecords call, and so per batch (at most 1000: https://docs.aws.amazon.com/amazondynamodb/latest/APIReference/API_streams_GetRecords.html). */
  batchSize: number;
  signal: AbortSignal;
  apply: (records: DynamoDBStreamRecord[]) => Promise<BatchResult>;
  say: (line: string) => void;
  /** How long an idle shard waits before asking again (Lambda polls about four times a second). */
  pollMs?: number;
  /** How often new shards are looked for while following. */
  discoverMs?: number;
  /** Totals to add to (a follower that reconnects keeps counting across runs). */
  totals?: RunTotals;
}

export interface RunTotals {
  batches: number;
  records: number;
  messages: number;
  moved: number;
  unchanged: number;
  older: number;
  distrusted: number;
  missing: number;
  unusable: number;
  failedRecords: number;
}

export const emptyTotals = (): RunTotals => ({
  batches: 0,
  records: 0,
  messages: 0,
  moved: 0,
  unchanged: 0,
  older: 0,
  distrusted: 0,
  missing: 0,
  unusable: 0,
  failedRecords: 0,
});

/** --once gives a failing batch this many tries before it gives up (the checkpoint stays before it). */
const ONCE_ATTEMPTS = 3;
/** --once stops reading an open shard after this many empty pages in a row. */
const ONCE_EMPTY_PAGES = 2;

function sleep(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    if (signal.aborted) return resolve();
    const done = () => {
      clearTimeout(timer);
      signal.removeEventListener('abort', done);
      resolve();
    };
    const timer = setTimeout(done, ms);
    signal.addEventListener('abort', done, { once: true });
  });
}

export async function runStream(options: RunnerOptions): Promise<RunTotals> {
  const { streams, streamArn, checkpoint, say } = options;
  const pollMs = options.pollMs ?? 250;
  const totals: RunTotals = options.totals ?? emptyTotals();
  const stop = new AbortController();
  const onAbort = () => stop.abort();
  options.signal.addEventListener('abort', onAbort, { once: true });
  if (options.signal.aborted) stop.abort();

  let shards = await listShards(streams, streamArn);
  // --from latest applies to a first run only: closed shards are history, open ones start at their tip.
  const atTip = new Set<string>();
  if (options.from === 'latest' && checkpoint.empty) {
    for (const shard of shards) {
      if (isClosed(shard)) await checkpoint.save(shard.ShardId!, { done: true });
      else atTip.add(shard.ShardId!);
    }
  }

  const iterator = async (shardId: string, type: ShardIteratorType, sequenceNumber?: string) =>
    (await streams.send(new GetShardIteratorCommand({ StreamArn: streamArn, ShardId: shardId, ShardIteratorType: type, SequenceNumber: sequenceNumber })))
      .ShardIterator;
  const resume = (shardId: string) => {
    const sequenceNumber = checkpoint.place(shardId)?.sequenceNumber;
    if (sequenceNumber) return iterator(shardId, 'AFTER_SEQUENCE_NUMBER', sequenceNumber);
    return iterator(shardId, atTip.has(shardId) ? 'LATEST' : 'TRIM_HORIZON');
  };

  /** Applies one page; returns the sequence number to read again from when some records failed. */
  const applyBatch = async (shardId: string, records: _Record[]): Promise<string | undefined> => {
    const result = await options.apply(records.map((record) => toLambdaRecord(record, streamArn, options.region)));
    totals.batches++;
    totals.records += result.records;
    totals.messages += result.messages;
    totals.moved += result.moved;
    totals.unchanged += result.unchanged;
    totals.missing += result.missing;
    totals.older += result.older;
    totals.distrusted += result.distrusted;
    totals.unusable += result.unusable;
    totals.failedRecords += result.batchItemFailures.length;
    // Nothing is dropped silently: every conversation left where it was, and every record not used, is counted with its reason.
    say(
      `${shardId}: ${result.records} records, ${result.messages} messages, conversations moved ${result.moved}, unchanged ${result.unchanged}` +
        `${result.older ? `, kept ${result.older} (message older than the group)` : ''}` +
        `${result.distrusted ? `, replaced ${result.distrusted} future-dated group time${result.distrusted === 1 ? '' : 's'}` : ''}` +
        `${result.missing ? `, without group items ${result.missing}` : ''}` +
        `${result.unusable ? `, unusable records ${result.unusable} (no image or no time)` : ''}, failed records ${result.batchItemFailures.length}`,
    );
    const failed = new Set(result.batchItemFailures.map((failure) => failure.itemIdentifier));
    const first = records.findIndex((record) => failed.has(record.dynamodb?.SequenceNumber ?? ''));
    const upTo = first === -1 ? records.at(-1) : records[first - 1];
    if (upTo?.dynamodb?.SequenceNumber) await checkpoint.save(shardId, { sequenceNumber: upTo.dynamodb.SequenceNumber });
    return first === -1 ? undefined : records[first]!.dynamodb!.SequenceNumber;
  };

  const readShard = async (shard: Shard): Promise<void> => {
    const shardId = shard.ShardId!;
    let position = await resume(shardId);
    let empties = 0;
    let failures = 0;
    while (position && !stop.signal.aborted) {
      let page;
      try {
        page = await streams.send(new GetRecordsCommand({ ShardIterator: position, Limit: options.batchSize }));
      } catch (error) {
        const name = (error as Error).name;
        // An iterator lives 15 minutes; one that expired while idle is simply renewed from the checkpoint.
        if (name === 'ExpiredIteratorException') position = await resume(shardId);
        else if (name === 'TrimmedDataAccessException') {
          say(`${shardId}: the checkpoint is older than the stream keeps (24 hours); going on from the oldest record`);
          position = await iterator(shardId, 'TRIM_HORIZON');
        } else throw error;
        continue;
      }
      const records = page.Records ?? [];
      if (records.length > 0) {
        empties = 0;
        const retryFrom = await applyBatch(shardId, records);
        if (retryFrom) {
          failures++;
          if (options.once && failures >= ONCE_ATTEMPTS) {
            throw new CliError('stream.records_failed', `Records of ${shardId} still fail after ${failures} attempts; the checkpoint stops just before them`, {
              hint: 'Run `npx cruddur-ddb stream --once` again to retry them (the lines above say why they failed)',
            });
          }
          await sleep(Math.min(30_000, 500 * 2 ** failures), stop.signal);
          position = await iterator(shardId, 'AT_SEQUENCE_NUMBER', retryFrom);
          continue;
        }
        failures = 0;
      } else empties++;
      // No next iterator: the shard is closed and read to its end; its children may start.
      if (!page.NextShardIterator) {
        await checkpoint.save(shardId, { done: true });
        return;
      }
      position = page.NextShardIterator;
      if (records.length === 0) {
        if (options.once && empties >= ONCE_EMPTY_PAGES) return;
        if (!options.once) await sleep(pollMs, stop.signal);
      }
    }
  };

  const running = new Map<string, Promise<void>>();
  const visited = new Set<string>();
  let failure: unknown;
  try {
    while (!stop.signal.aborted) {
      for (const shard of readyShards(shards, checkpoint, new Set([...running.keys(), ...visited]))) {
        const shardId = shard.ShardId!;
        if (options.once) visited.add(shardId);
        const reader = readShard(shard)
          .catch((error: unknown) => {
            failure ??= error;
            stop.abort();
          })
          .finally(() => running.delete(shardId));
        running.set(shardId, reader);
      }
      if (options.once) {
        if (running.size === 0) break;
        await Promise.all(running.values());
      } else await sleep(options.discoverMs ?? 10_000, stop.signal);
      if (!stop.signal.aborted) shards = await listShards(streams, streamArn);
    }
  } finally {
    stop.abort();
    await Promise.all(running.values());
    options.signal.removeEventListener('abort', onAbort);
  }
  if (failure) throw failure;
  return totals;
}
