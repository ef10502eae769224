import { paginateScan, type AttributeValue, type DynamoDBClient } from '@aws-sdk/client-dynamodb';
import type { Context } from '../kit/context.js';
import { checkTableName } from '../core/environment.js';
import { plainItemJson, rawItemJson } from '../aws/plain-json.js';
import { rows, type Output } from '../kit/output.js';
import { itemColumns } from '../kit/item-columns.js';
import { createProgress, type Progress } from '../kit/progress.js';

export interface ScanOptions {
  table: string;
  segments: number;
  limit: number | undefined;
  raw: boolean;
}

// Typed items (not the document client's plain objects) on purpose: scan prints DynamoDB JSON with
// --raw, and plainItemJson turns typed items into JSON text without building plain objects first,
// which measured faster on large tables (bench/scan.bench.mjs).
type Item = Record<string, AttributeValue>;

/** Segments read at the same time: each has one page (at most 1 MB) in flight, so memory stays bounded whatever --segments says. */
export const SEGMENTS_IN_FLIGHT = 4;
/**
 * Items a Scan call asks for (DynamoDB also stops a page at 1 MB): a few hundred KB parsed, per segment in flight.
 * Measured on 80,000 items (bench/RESULTS.md, cli and memory runs of 01:42-01:57): 250 made `--segments 4` 3.0x the
 * AWS CLI's speed (goal 4x), 1,000 made it 7.6x but peak memory at 10x the data 1.37x (goal 1.3x); 500 gave 5.4x and 1.09x.
 */
const PAGE_ITEMS = 500;

/** One segment's items, page by page; the SDK's paginator follows LastEvaluatedKey. */
// Typed items, not the document client: -o json needs the exact typed form, and a round trip through plain values measured ~3x slower (notes/issue-10-docclient.md).
async function* segmentItems(client: DynamoDBClient, table: string, segment: number, options: ScanOptions, progress: Progress): AsyncGenerator<Item[]> {
  const { segments, limit } = options;
  const input = { TableName: table, ...(segments > 1 ? { Segment: segment, TotalSegments: segments } : {}) };
  // Small pages keep the memory of the pages in flight small whatever the table's size.
  for await (const page of paginateScan({ client, pageSize: Math.min(limit ?? PAGE_ITEMS, PAGE_ITEMS) }, input)) {
    progress.add(page.Items?.length ?? 0);
    yield page.Items ?? [];
  }
}

/**
 * Every item of a table, `limit` at most. Each Scan call returns at most 1 MB
 * (https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/Scan.html#Scan.Pagination); with
 * --segments N, N parallel scans each read their own part
 * (https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/Scan.html#Scan.ParallelScan).
 * Pages are taken from whichever segment answers first; a segment asks for its next page only when
 * its last one has been written, so json and ndjson stream in constant memory.
 */
async function* scanItems(client: DynamoDBClient, table: string, options: ScanOptions, context: Context): AsyncGenerator<Item> {
  const progress = createProgress(context, `Scanning ${table}:`);
  // At most SEGMENTS_IN_FLIGHT segments are open at once; when one ends the next one starts. Opening
  // every segment at once made `--segments 100000` take 3.3 GB (and 90 s to report a missing table).
  const segments = new Map<number, AsyncGenerator<Item[]>>();
  let opened = 0;
  // Settles, never rejects: a failing segment's error is thrown below, not left unhandled beside the others.
  const next = (index: number) =>
    segments
      .get(index)!
      .next()
      .then(
        (result) => ({ index, result, error: undefined }),
        (error: unknown) => ({ index, result: undefined, error }),
      );
  const pending = new Map<number, ReturnType<typeof next>>();
  const open = () => {
    const index = opened++;
    segments.set(index, segmentItems(client, table, index, options, progress));
    pending.set(index, next(index));
  };
  while (opened < Math.min(options.segments, SEGMENTS_IN_FLIGHT)) open();
  let written = 0;
  const limit = options.limit ?? Infinity;
  try {
    while (pending.size > 0 && written < limit) {
      const { index, result, error } = await Promise.race(pending.values());
      if (!result) throw error;
      if (result.done) {
        pending.delete(index);
        segments.delete(index);
        if (opened < options.segments) open();
        continue;
      }
      for (const item of result.value) {
        if (written >= limit) break;
        written++;
        yield item;
      }
      pending.set(index, next(index));
    }
  } finally {
    progress.done();
    // Stop the segments still reading (limit reached, or the reader stopped early).
    await Promise.allSettled([...segments.values()].map((segment) => segment.return(undefined)));
  }
}

export async function scan(options: ScanOptions, context: Context): Promise<Output> {
  const table = checkTableName(options.table);
  const client = await context.dynamo();
  return rows<Item>({
    rows: scanItems(client, table, options, context),
    // The table form needs every attribute name to choose its columns, so it reads all rows first.
    columns: { fromRows: (items) => itemColumns(items, options.raw) },
    jsonText: options.raw ? rawItemJson : plainItemJson,
    empty: `Table ${table} has no items.`,
  });
}
