import type { AttributeValue, DynamoDBClient } from '@aws-sdk/client-dynamodb';
import type { Context } from '../cli/context.js';
import { checkTableName } from '../cli/environment.js';
import { plainItemJson, rawItemJson } from '../aws/plain-json.js';
import { rows, type Column, type Output } from '../cli/output.js';
import { createProgress } from '../cli/progress.js';
import { scanPages } from '../data/scan-reader.js';

export interface ScanOptions {
  table: string;
  segments: number;
  limit: number | undefined;
  raw: boolean;
}

// Typed items (not the document client's plain objects) on purpose: scan prints DynamoDB JSON with
// --raw, and a round trip through plain values measured ~3x slower (notes/issue-10-docclient.md).
type Item = Record<string, AttributeValue>;

/**
 * Items a Scan call asks for (DynamoDB also stops a page at 1 MB): a few hundred KB parsed, per segment in flight.
 * Measured on 80,000 items (bench/RESULTS.md, cli and memory runs of 01:42-01:57): 250 made `--segments 4` 3.0x the
 * AWS CLI's speed (goal 4x), 1,000 made it 7.6x but peak memory at 10x the data 1.37x (goal 1.3x); 500 gave 5.4x and 1.09x.
 */
const PAGE_ITEMS = 500;

/**
 * Every item of a table, `limit` at most, through the shared parallel reader (src/data/scan-reader.ts:
 * at most 4 segments open, one page buffered a segment), so json and ndjson stream in constant memory.
 */
async function* scanItems(client: DynamoDBClient, table: string, options: ScanOptions, context: Context): AsyncGenerator<Item> {
  const progress = createProgress(context, `Scanning ${table}:`);
  const limit = options.limit ?? Infinity;
  let written = 0;
  try {
    for await (const page of scanPages(client, table, { segments: options.segments, pageSize: Math.min(limit, PAGE_ITEMS) })) {
      progress.add(page.length);
      for (const item of page) {
        if (written >= limit) return;
        written++;
        yield item;
      }
      if (written >= limit) return;
    }
  } finally {
    progress.done();
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

/**
 * Key attributes first, then every other attribute seen. The renderer fits them to the terminal
 * (`message`, when there is one, takes what is left); `--wide` shows every cell whole.
 */
function itemColumns(items: Item[], raw: boolean): Column<Item>[] {
  const names = new Set<string>();
  for (const item of items) for (const name of Object.keys(item)) names.add(name);
  const ordered = [...names].sort((a, b) => rank(a) - rank(b) || a.localeCompare(b));
  return ordered.map((name) => ({
    header: name,
    flex: name === 'message',
    value: (item: Item) => {
      const attribute = item[name];
      if (attribute === undefined) return '';
      if (raw) return JSON.stringify(attribute);
      return attribute.S ?? attribute.N ?? (attribute.BOOL !== undefined ? String(attribute.BOOL) : JSON.stringify(attribute));
    },
  }));
}

function rank(name: string): number {
  return name === 'pk' ? 0 : name === 'sk' ? 1 : 2;
}
