/**
 * Writes many items with BatchWriteItem: 25 puts a request (the API's limit:
 * https://docs.aws.amazon.com/amazondynamodb/latest/APIReference/API_BatchWriteItem.html), a bounded
 * number of requests in flight, and the items DynamoDB hands back as UnprocessedItems retried with
 * exponential backoff and full jitter
 * (https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/Programming.Errors.html#Programming.Errors.BatchOperations).
 * When a chunk still has unprocessed items after the last retry, they are counted, not thrown, so
 * the caller can say how many did not land.
 */
import { BatchWriteItemCommand, type DynamoDBClient, type WriteRequest } from '@aws-sdk/client-dynamodb';
import type { Item } from '../patterns/items.js';

export const BATCH_SIZE = 25;

export interface BatchWriteOptions {
  /** Requests in flight at once (`seed --concurrency`, whose definition holds the default). */
  concurrency: number;
  /** Retries of a chunk's unprocessed items before giving up on them (`seed --max-retries`). */
  maxRetries: number;
  /** First backoff ceiling; it doubles each retry up to maxDelayMs (default 50 ms, 5 s). */
  baseDelayMs?: number;
  maxDelayMs?: number;
  /** Called with the number of items each time some land. */
  onWritten?: (count: number) => void;
}

export interface BatchWriteResult {
  written: number;
  notWritten: number;
}

/** Errors that mean "slow down", when the SDK's own retries have run out: the chunk is retried here too. */
const THROTTLED = new Set(['ProvisionedThroughputExceededException', 'ThrottlingException', 'RequestLimitExceeded']);

/** The pure part: the request for one chunk. */
export function batchWriteInput(table: string, requests: WriteRequest[]) {
  return { RequestItems: { [table]: requests } };
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * Writes every item of `items`, pulling 25 at a time as a worker is free: a generator is read only as
 * fast as DynamoDB takes the items, so memory holds `concurrency` chunks, not the whole input.
 */
export async function batchWriteAll(client: DynamoDBClient, table: string, items: Iterable<Item>, options: BatchWriteOptions): Promise<BatchWriteResult> {
  const concurrency = Math.max(1, options.concurrency);
  const { maxRetries } = options;
  const baseDelay = options.baseDelayMs ?? 50;
  const maxDelay = options.maxDelayMs ?? 5000;
  const result: BatchWriteResult = { written: 0, notWritten: 0 };

  const writeChunk = async (chunk: Item[]) => {
    let pending: WriteRequest[] = chunk.map((Item) => ({ PutRequest: { Item } }));
    for (let retry = 0; ; retry++) {
      let left: WriteRequest[];
      try {
        const output = await client.send(new BatchWriteItemCommand(batchWriteInput(table, pending)));
        left = output.UnprocessedItems?.[table] ?? [];
      } catch (error) {
        if (!THROTTLED.has((error as { name?: string })?.name ?? '')) throw error;
        left = pending;
      }
      const landed = pending.length - left.length;
      if (landed > 0) {
        result.written += landed;
        options.onWritten?.(landed);
      }
      if (left.length === 0) return;
      if (retry >= maxRetries) {
        result.notWritten += left.length;
        return;
      }
      pending = left;
      await sleep(Math.random() * Math.min(maxDelay, baseDelay * 2 ** retry));
    }
  };

  const source = items[Symbol.iterator]();
  let exhausted = false;
  const nextChunk = (): Item[] => {
    const chunk: Item[] = [];
    while (!exhausted && chunk.length < BATCH_SIZE) {
      const next = source.next();
      if (next.done) exhausted = true;
      else chunk.push(next.value);
    }
    return chunk;
  };
  let failed = false;
  const worker = async () => {
    while (!failed) {
      const chunk = nextChunk();
      if (chunk.length === 0) return;
      try {
        await writeChunk(chunk);
      } catch (error) {
        failed = true; // the other workers stop taking chunks
        throw error;
      }
    }
  };
  // allSettled: when one worker fails, the others finish their chunk in flight first, so the count
  // of items written is final when the caller reports it.
  const outcomes = await Promise.allSettled(Array.from({ length: concurrency }, worker));
  const rejected = outcomes.find((outcome): outcome is PromiseRejectedResult => outcome.status === 'rejected');
  if (rejected) throw rejected.reason;
  return result;
}
