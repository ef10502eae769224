/**
 * Reads a whole table as pages of items with a parallel scan: `segments` scans each read their own
 * part (https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/Scan.html#Scan.ParallelScan),
 * each page at most 1 MB (Scan.Pagination on the same page). Pages are handed over in the order they
 * arrive; a segment waits before fetching more while `maxBuffered` pages are not yet taken, so a
 * slow consumer (a file, a writer to another table) keeps memory bounded instead of queueing a table.
 */
// Typed items, not the document client: export writes the exact typed JSON, and a round trip through plain values measured ~3x slower on a large export.
import { ScanCommand, type DynamoDBClient, type ScanCommandInput } from '@aws-sdk/client-dynamodb';
import type { Item } from './typed-json.js';

export interface ScanPagesOptions {
  segments?: number;
  /** Pages fetched but not yet taken, at most (default: 1 per segment). */
  maxBuffered?: number;
  /** Items a page at most (default 1,000, ~300 KB of messages: well under the 1 MB a page may be). */
  pageSize?: number;
  /** Extra input for every Scan, e.g. a ProjectionExpression for the keys only. */
  input?: Partial<ScanCommandInput>;
}

export async function* scanPages(client: DynamoDBClient, table: string, options: ScanPagesOptions = {}): AsyncGenerator<Item[]> {
  const segments = Math.max(1, options.segments ?? 1);
  // What is held at once is (buffered + in flight) pages: with smaller pages than DynamoDB's 1 MB,
  // an export's memory stops depending on the table at a few MB instead of tens.
  const maxBuffered = Math.max(1, options.maxBuffered ?? segments);
  const pageSize = options.pageSize ?? 1000;
  const queue: Item[][] = [];
  let running = segments;
  let failure: { error: unknown } | undefined;
  let stopped = false;
  // One waiting consumer and any number of waiting producers, each woken by a resolver.
  let wakeConsumer: (() => void) | undefined;
  const producersWaiting: Array<() => void> = [];
  const notifyConsumer = () => {
    wakeConsumer?.();
    wakeConsumer = undefined;
  };

  const segment = async (index: number) => {
    let startKey: Item | undefined;
    try {
      do {
        while (queue.length >= maxBuffered && !stopped) await new Promise<void>((resolve) => producersWaiting.push(resolve));
        if (stopped) return;
        const page = await client.send(
          new ScanCommand({
            ...options.input,
            TableName: table,
            ExclusiveStartKey: startKey,
            Limit: pageSize,
            ...(segments > 1 ? { Segment: index, TotalSegments: segments } : {}),
          }),
        );
        if (page.Items?.length) queue.push(page.Items);
        notifyConsumer();
        startKey = page.LastEvaluatedKey;
      } while (startKey);
    } catch (error) {
      failure ??= { error };
    } finally {
      running--;
      notifyConsumer();
    }
  };

  const workers = Array.from({ length: segments }, (_, index) => segment(index));
  try {
    for (;;) {
      if (failure) throw failure.error;
      const page = queue.shift();
      if (page) {
        producersWaiting.shift()?.();
        yield page;
        continue;
      }
      if (running === 0) break;
      await new Promise<void>((resolve) => (wakeConsumer = resolve));
    }
  } finally {
    // The consumer stopped (done, failed, or gave up): let every segment finish its current call.
    stopped = true;
    for (const wake of producersWaiting.splice(0)) wake();
    await Promise.allSettled(workers);
  }
}
