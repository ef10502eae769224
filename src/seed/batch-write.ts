/**
 * The one streaming writer behind `seed`, `import`, `copy` and `reset`: BatchWriteItem with 25
 * requests each (the API's limit:
 * https://docs.aws.amazon.com/amazondynamodb/latest/APIReference/API_BatchWriteItem.html), a bounded
 * number of requests in flight, and the items DynamoDB hands back as UnprocessedItems retried with
 * exponential backoff and full jitter
 * (https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/Programming.Errors.html#Programming.Errors.BatchOperations).
 *
 * It pulls its requests from an (async) iterable, 25 at a time, only when a slot is free: at most
 * `concurrency` x 25 requests, and about MAX_BYTES_IN_FLIGHT of items, are held at once, whatever the
 * source's size, so a file or a table of any size passes in constant memory. When a chunk still has unprocessed items after the last retry,
 * they are counted, not thrown, so the caller can say how many did not land.
 */
import { BatchWriteItemCommand, type AttributeValue, type DynamoDBClient, type WriteRequest } from '@aws-sdk/client-dynamodb';
import type { Item } from '../patterns/items.js';

export const BATCH_SIZE = 25;

/**
 * Item bytes taken from the source and not yet written, at most (plus one batch): `--concurrency 256` of
 * batches of 25 items of 400 KB would otherwise hold 2.5 GB (an import of big items measured 314 MB for a
 * 245 MB file, all of it in flight). Small items never reach it: seed's 256 x 25 items of ~300 B are 2 MB.
 */
export const MAX_BYTES_IN_FLIGHT = 32 * 1024 * 1024;

/** About the size DynamoDB counts for a value (names and values in UTF-16 units: an estimate, not the bill). */
function valueBytes(value: AttributeValue | undefined): number {
  if (!value) return 0;
  if (value.S !== undefined) return value.S.length;
  if (value.N !== undefined) return value.N.length;
  if (value.B !== undefined) return value.B.byteLength;
  if (value.SS) return value.SS.reduce((sum, text) => sum + text.length, 0);
  if (value.NS) return value.NS.reduce((sum, text) => sum + text.length, 0);
  if (value.BS) return value.BS.reduce((sum, bytes) => sum + bytes.byteLength, 0);
  if (value.M) return itemBytes(value.M);
  if (value.L) return value.L.reduce((sum, inner) => sum + 1 + valueBytes(inner), 0);
  return 1;
}

function itemBytes(item: Record<string, AttributeValue> | undefined): number {
  let bytes = 0;
  for (const [name, value] of Object.entries(item ?? {})) bytes += name.length + valueBytes(value);
  return bytes;
}

/** The bytes a request holds (its item, or its key). Pure. */
export function requestBytes(request: WriteRequest): number {
  return itemBytes(request.PutRequest?.Item ?? request.DeleteRequest?.Key);
}

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
  /**
   * The key of a request, when the source may hold one key twice (an import file): BatchWriteItem
   * refuses a batch with a key twice, so the later request replaces the earlier one in its batch, and
   * a batch waits for batches in flight that hold one of its keys, so the later one lands last.
   */
  keyOf?: (request: WriteRequest) => string;
  /**
   * Called when DynamoDB refuses a whole batch (anything but throttling), with that batch, before
   * the error ends the write: the caller can find the request at fault and throw a better error.
   */
  onRefused?: (chunk: WriteRequest[], error: unknown) => Promise<void>;
  /** Item bytes in flight at most (default MAX_BYTES_IN_FLIGHT). */
  maxBytesInFlight?: number;
}

export interface BatchWriteResult {
  written: number;
  notWritten: number;
  /** Requests replaced by a later one with the same key (only with `keyOf`). */
  replaced?: number;
}

/** Errors that mean "slow down", when the SDK's own retries have run out: the chunk is retried here too. */
const THROTTLED = new Set(['ProvisionedThroughputExceededException', 'ThrottlingException', 'RequestLimitExceeded']);

/** The pure part: the request for one chunk. */
export function batchWriteInput(table: string, requests: WriteRequest[]) {
  return { RequestItems: { [table]: requests } };
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Writes every request of `requests` (puts or deletes) into `table`. */
export async function batchWriteStream(
  client: DynamoDBClient,
  table: string,
  requests: AsyncIterable<WriteRequest> | Iterable<WriteRequest>,
  options: BatchWriteOptions,
): Promise<BatchWriteResult> {
  const concurrency = Math.max(1, options.concurrency);
  const { maxRetries } = options;
  const baseDelay = options.baseDelayMs ?? 50;
  const maxDelay = options.maxDelayMs ?? 5000;
  const result: BatchWriteResult = { written: 0, notWritten: 0 };

  const writeChunk = async (chunk: WriteRequest[]) => {
    let pending = chunk;
    for (let retry = 0; ; retry++) {
      let left: WriteRequest[];
      try {
        const output = await client.send(new BatchWriteItemCommand(batchWriteInput(table, pending)));
        left = output.UnprocessedItems?.[table] ?? [];
      } catch (error) {
        if (!THROTTLED.has((error as { name?: string })?.name ?? '')) {
          await options.onRefused?.(pending, error);
          throw error;
        }
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

  // Chunks are taken one at a time (a shared promise chain), so workers never read the source at once.
  const source = (Symbol.asyncIterator in requests ? requests[Symbol.asyncIterator]() : requests[Symbol.iterator]()) as
    | AsyncIterator<WriteRequest>
    | Iterator<WriteRequest>;
  let exhausted = false;
  let failed = false;
  let lock: Promise<unknown> = Promise.resolve();
  // With keyOf: the batch in flight that holds each key (its promise settles when it is written).
  const inFlight = new Map<string, Promise<void>>();
  // The byte budget: a chunk is taken only while the chunks in flight hold less than it.
  const maxBytes = options.maxBytesInFlight ?? MAX_BYTES_IN_FLIGHT;
  let bytesInFlight = 0;
  let waiting: Array<() => void> = [];
  const room = async () => {
    while (bytesInFlight >= maxBytes && !failed) await new Promise<void>((resolve) => waiting.push(resolve));
  };
  const release = (bytes: number) => {
    bytesInFlight -= bytes;
    const wake = waiting;
    waiting = [];
    for (const resolve of wake) resolve();
  };
  interface Taken {
    chunk: WriteRequest[];
    /** Batches in flight that share a key with this one: written first. */
    after: Array<Promise<void>>;
    done: () => void;
  }
  const takeChunk = (): Promise<Taken> => {
    const taking = lock.then(async () => {
      // Under the lock: takes are one at a time, so the budget is overshot by one chunk at most.
      await room();
      const chunk: WriteRequest[] = [];
      const at = new Map<string, number>();
      while (!exhausted && !failed && chunk.length < BATCH_SIZE) {
        const next = await source.next();
        if (next.done) exhausted = true;
        else if (!options.keyOf) chunk.push(next.value);
        else {
          const key = options.keyOf(next.value);
          const earlier = at.get(key);
          if (earlier === undefined) {
            at.set(key, chunk.length);
            chunk.push(next.value);
          } else {
            chunk[earlier] = next.value; // the later one wins, as it would in DynamoDB
            result.replaced = (result.replaced ?? 0) + 1;
          }
        }
      }
      const bytes = chunk.reduce((sum, request) => sum + requestBytes(request), 0);
      bytesInFlight += bytes;
      let done!: () => void;
      const written = new Promise<void>((resolve) => (done = resolve));
      const after = new Set<Promise<void>>();
      for (const key of at.keys()) {
        const other = inFlight.get(key);
        if (other) after.add(other);
        inFlight.set(key, written);
      }
      const finish = () => {
        for (const key of at.keys()) if (inFlight.get(key) === written) inFlight.delete(key);
        release(bytes);
        done();
      };
      return { chunk, after: [...after], done: finish };
    });
    lock = taking.catch(() => undefined);
    return taking;
  };

  const worker = async () => {
    while (!exhausted && !failed) {
      let taken: Taken | undefined;
      try {
        taken = await takeChunk();
        await Promise.all(taken.after);
        if (taken.chunk.length > 0 && !failed) await writeChunk(taken.chunk);
        taken.done();
      } catch (error) {
        taken?.done();
        failed = true; // the other workers stop taking chunks
        throw error;
      }
    }
  };
  // Every worker ends its request in flight before we report, so `written` is exact even on failure.
  const outcomes = await Promise.allSettled(Array.from({ length: concurrency }, worker));
  // A source that is still open (we failed half-way) gets the chance to clean up.
  if (!exhausted) await source.return?.();
  const failure = outcomes.find((outcome) => outcome.status === 'rejected');
  if (failure) throw failure.reason;
  return result;
}

/** Puts for a list of items (seed's items; they are already in memory). */
export function batchWriteAll(client: DynamoDBClient, table: string, items: Item[], options: BatchWriteOptions): Promise<BatchWriteResult> {
  return batchWriteStream(
    client,
    table,
    items.map((Item) => ({ PutRequest: { Item } })),
    options,
  );
}
