/**
 * The one parallel scanner: every command that reads a whole table (scan, export, copy, reset) reads
 * it here, as pages of typed items. With `segments` N, DynamoDB splits the table into N parts, each
 * read on its own (https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/Scan.html#Scan.ParallelScan);
 * each Scan call returns at most `pageSize` items and at most 1 MB (Scan.Pagination on the same page).
 *
 * Two bounds keep memory flat whatever the table or N (up to DynamoDB's 1,000,000):
 * - at most `open` segments are open at once; when one ends the next one opens (opening every
 *   segment at once made `scan --segments 100000` take 3.3 GB, and 90 s to report a missing table);
 * - at most `pagesInFlight` pages are asked for or answered and not yet taken.
 *
 * Only the consumer schedules: it starts the calls, takes the answers and starts the next calls, so
 * no producer ever waits for a wake-up that may not come (the reader this replaced parked segments
 * until a page was taken, and stalled for good when more segments waited than pages were buffered
 * and a segment ended on an empty page).
 */
// Typed items, not the document client: export writes the exact typed JSON, and a round trip through plain values measured ~3x slower.
import { ScanCommand, type DynamoDBClient, type ScanCommandInput, type ScanCommandOutput } from '@aws-sdk/client-dynamodb';
import type { Item } from './typed-json.js';

/**
 * Items a Scan call asks for when every page is printed or written out and dropped (`scan`, `export`): a page
 * and the text made of it stay young in V8's heap, so the peak stays flat with the table's size. Measured:
 * `scan --segments 4` of 80,000 items, 1,000 a page 7.6x the AWS CLI's speed but 1.37x the memory at 10x the
 * data (goal 1.3x), 500 5.4x and 1.09x, 250 3.0x (goal 4x); export of 100k vs 20k items, 1.24-1.32x with
 * 1,000, 1.19x with 700, 1.13-1.16x with 500, at ~20% of export's speed on DynamoDB Local.
 */
export const PRINTED_PAGE_ITEMS = 500;

/** Segments read at the same time by default: enough to keep DynamoDB busy, few enough to bound memory. */
export const SEGMENTS_OPEN = 4;

export interface ScanSettings {
  /** The parts DynamoDB splits the table into (TotalSegments: 1 to 1,000,000, DynamoDB's ceiling). Default 1. */
  segments?: number;
  /** Segments reading at the same time (default SEGMENTS_OPEN). */
  open?: number;
  /** Pages asked for, or answered and not yet taken, at most (default: `open`, one a segment). */
  pagesInFlight?: number;
  /** Items a Scan call asks for (default 1,000, ~300 KB of messages: well under the 1 MB a page may be; see PRINTED_PAGE_ITEMS). */
  pageSize?: number;
  /** Extra input for every Scan call: an index, a projection, a filter. */
  input?: Omit<ScanCommandInput, 'TableName' | 'Segment' | 'TotalSegments' | 'ExclusiveStartKey' | 'Limit'>;
  /** Items at most, over all segments (default: all). */
  limit?: number;
}

export interface ScanCallbacks {
  /** Each page's item count, as the page is handed over (empty pages are not). */
  onPage?: (items: number) => void;
}

/** One segment of the scan and where it stopped; `startKey` undefined before its first page. */
interface Segment {
  index: number;
  startKey: Item | undefined;
}

/** An answered Scan call; never a rejection, so a failing call cannot go unhandled beside the others. */
type Answer = { segment: Segment; page: ScanCommandOutput } | { segment: Segment; page: undefined; error: unknown };

/** Every page of `table`, in the order the segments answer. Stopping early (break, return, a throw) stops the scan. */
export async function* scanPages(client: DynamoDBClient, table: string, settings: ScanSettings = {}, callbacks: ScanCallbacks = {}): AsyncGenerator<Item[]> {
  for await (const page of scanSegmentPages(client, table, settings, callbacks)) if (page.items.length > 0) yield page.items;
}

/** A page and the segment it belongs to; `last` on a segment's last page (which may be empty). */
export interface SegmentPage {
  segment: number;
  items: Item[];
  last: boolean;
}

/** The same pages, each with its segment, and every segment's end (export --layout aws writes a file a segment). */
export async function* scanSegmentPages(
  client: DynamoDBClient,
  table: string,
  settings: ScanSettings = {},
  callbacks: ScanCallbacks = {},
): AsyncGenerator<SegmentPage> {
  const segments = Math.max(1, settings.segments ?? 1);
  const open = Math.max(1, Math.min(segments, settings.open ?? SEGMENTS_OPEN));
  const pagesInFlight = Math.max(1, Math.min(open, settings.pagesInFlight ?? open));
  const limit = settings.limit ?? Infinity;
  const pageSize = Math.max(1, Math.min(settings.pageSize ?? 1000, limit));
  if (limit <= 0) return;

  // Segments open and free to ask for their next page, oldest first; the others have a call pending.
  const ready: Segment[] = [];
  const pending = new Map<Segment, Promise<Answer>>();
  let opened = 0;
  const openNext = () => {
    if (opened < segments) ready.push({ index: opened++, startKey: undefined });
  };
  const ask = (segment: Segment) => {
    const input: ScanCommandInput = {
      ...settings.input,
      TableName: table,
      ExclusiveStartKey: segment.startKey,
      Limit: pageSize,
      ...(segments > 1 ? { Segment: segment.index, TotalSegments: segments } : {}),
    };
    const answer = client.send(new ScanCommand(input)).then(
      (page): Answer => ({ segment, page }),
      (error: unknown): Answer => ({ segment, page: undefined, error }),
    );
    pending.set(segment, answer);
  };
  // Ask for as many pages as the bound allows; called before every wait, so a call is always pending
  // while any segment has pages left.
  const fill = () => {
    while (pending.size < pagesInFlight && ready.length > 0) ask(ready.shift()!);
  };

  while (opened < open) openNext();
  let handed = 0;
  try {
    for (fill(); pending.size > 0; fill()) {
      const answer = await Promise.race(pending.values());
      pending.delete(answer.segment);
      if (answer.page === undefined) throw answer.error;
      const { LastEvaluatedKey, Items = [] } = answer.page;
      if (LastEvaluatedKey) {
        answer.segment.startKey = LastEvaluatedKey;
        ready.push(answer.segment);
      } else openNext();
      const last = !LastEvaluatedKey;
      if (Items.length === 0) {
        if (last) yield { segment: answer.segment.index, items: [], last };
        continue;
      }
      const page = Items.length > limit - handed ? Items.slice(0, limit - handed) : Items;
      handed += page.length;
      callbacks.onPage?.(page.length);
      // The next pages are asked for before this one is handed over, so DynamoDB works while the consumer does.
      if (handed < limit) fill();
      yield { segment: answer.segment.index, items: page, last };
      if (handed >= limit) return;
    }
  } finally {
    // Done, failed, or stopped by the consumer: let the calls still out finish (at most pagesInFlight).
    await Promise.all(pending.values());
  }
}

/** Every item of `table`, one at a time (a page is held while its items are taken). */
export async function* scanItems(client: DynamoDBClient, table: string, settings: ScanSettings = {}, callbacks: ScanCallbacks = {}): AsyncGenerator<Item> {
  for await (const page of scanPages(client, table, settings, callbacks)) yield* page;
}
