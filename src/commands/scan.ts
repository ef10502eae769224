import { ScanCommand, type AttributeValue } from '@aws-sdk/client-dynamodb';
import { translateAwsError } from '../aws.js';
import type { Context } from '../context.js';
import { checkTableName } from '../env.js';
import { wholeNumberFlag } from '../flags.js';
import { plainItemJson } from '../json.js';
import { createSink, cut, printRows, type Column } from '../output.js';
import { createProgress } from '../progress.js';

export interface ScanOptions {
  table: string;
  segments?: string | number;
  limit?: string | number;
  raw?: boolean;
}

type Item = Record<string, AttributeValue>;

/** Segments read at the same time: each has one page (at most 1 MB) in flight, so memory stays bounded whatever --segments says. */
export const SEGMENTS_IN_FLIGHT = 4;
/** Items a Scan call asks for (DynamoDB also stops a page at 1 MB): a few hundred KB parsed, per segment in flight. */
const PAGE_ITEMS = 250;

/**
 * Every item of a table. Each Scan call returns at most 1 MB
 * (https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/Scan.html#Scan.Pagination), so we
 * follow LastEvaluatedKey; with --segments N, N parallel scans each read their own part
 * (https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/Scan.html#Scan.ParallelScan).
 * json and ndjson stream item by item; only the table form keeps the items to size its columns.
 */
export async function scan(options: ScanOptions, context: Context): Promise<{ table: string; count: number }> {
  const table = checkTableName(options.table);
  // 1,000,000 is DynamoDB's own ceiling on TotalSegments.
  const segments = wholeNumberFlag(options.segments, '--segments', { max: 1_000_000 }) ?? 1;
  const limit = wholeNumberFlag(options.limit, '--limit');
  const client = await context.dynamo();
  const progress = createProgress(context, `Scanning ${table}:`);
  const tableRows: Item[] = [];
  const jsonText = options.raw ? (item: Item) => JSON.stringify(item) : plainItemJson;
  const sink =
    context.format === 'table'
      ? { write: async (item: Item) => void tableRows.push(item), end: async () => tableRows.length }
      : createSink<Item>({ format: context.format, columns: [], jsonText, empty: '', stdout: context.stdout, say: context.say });

  let written = 0;
  const full = () => limit !== undefined && written >= limit;
  const scanSegment = async (segment: number) => {
    let startKey: Item | undefined;
    do {
      if (full()) return;
      const page = await client.send(
        new ScanCommand({
          TableName: table,
          ExclusiveStartKey: startKey,
          ...(segments > 1 ? { Segment: segment, TotalSegments: segments } : {}),
          // Small pages keep the memory of the pages in flight small whatever the table's size.
          Limit: Math.min(limit === undefined ? PAGE_ITEMS : limit - written, PAGE_ITEMS),
        }),
      );
      for (const item of page.Items ?? []) {
        if (full()) return;
        written++;
        await sink.write(item);
      }
      progress.add(page.Items?.length ?? 0);
      startKey = page.LastEvaluatedKey;
    } while (startKey);
  };

  // At most SEGMENTS_IN_FLIGHT segments are read at once, each worker taking the next segment when
  // its own is done: --segments 100000 costs the memory of 4, and a missing table fails at the first.
  let nextSegment = 0;
  let failed = false;
  const worker = async () => {
    while (!failed && !full() && nextSegment < segments) {
      const segment = nextSegment++;
      try {
        await scanSegment(segment);
      } catch (error) {
        failed = true;
        throw error;
      }
    }
  };
  try {
    const outcomes = await Promise.allSettled(Array.from({ length: Math.min(segments, SEGMENTS_IN_FLIGHT) }, worker));
    const rejected = outcomes.find((outcome): outcome is PromiseRejectedResult => outcome.status === 'rejected');
    if (rejected) throw rejected.reason;
  } catch (error) {
    throw translateAwsError(error, context.env, table);
  } finally {
    progress.done();
  }
  if (context.format === 'table') {
    await printRows(tableRows, {
      format: 'table',
      columns: itemColumns(tableRows, options.raw ?? false),
      empty: `Table ${table} has no items.`,
      stdout: context.stdout,
      say: context.say,
      width: context.width,
    });
  } else await sink.end();
  return { table, count: written };
}

/** Key attributes first, then every other attribute seen, each cell cut to keep rows on one line. */
function itemColumns(items: Item[], raw: boolean): Column<Item>[] {
  const names = new Set<string>();
  for (const item of items) for (const name of Object.keys(item)) names.add(name);
  const ordered = [...names].sort((a, b) => rank(a) - rank(b) || a.localeCompare(b));
  return ordered.map((name) => ({
    header: name,
    value: (item: Item) => {
      const attribute = item[name];
      if (attribute === undefined) return '';
      if (raw) return cut(JSON.stringify(attribute), 40);
      const text = attribute.S ?? attribute.N ?? (attribute.BOOL !== undefined ? String(attribute.BOOL) : JSON.stringify(attribute));
      return cut(text, 40);
    },
  }));
}

function rank(name: string): number {
  return name === 'pk' ? 0 : name === 'sk' ? 1 : 2;
}
