import type { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import type { Context } from '../kit/context.js';
import { checkTableName } from '../core/environment.js';
import { plainItemJson } from '../aws/plain-json.js';
import { PRINTED_PAGE_ITEMS, scanItems } from '../transfer/scanner.js';
import { typedItemJson, type Item } from '../transfer/typed-json.js';
import { rows, type Output } from '../kit/output.js';
import { itemColumns } from '../kit/item-columns.js';
import { createProgress } from '../kit/progress.js';
import { meterFor, type Meter } from '../kit/consumed.js';
import { dryRunOutput } from '../kit/dry-run.js';
import type { ScanInput } from './scan.def.js';

/** The definition's arguments and options, typed there (defaults and choices live there, once). */
export type ScanOptions = ScanInput;

/**
 * Every item of a table, `limit` at most, through the one parallel scanner (a bounded number of
 * segments and pages at once, whatever --segments says), so json and ndjson stream in constant memory.
 * Typed items (not the document client's plain objects) on purpose: --raw prints them as they are,
 * and plainItemJson turns them into JSON text without building plain objects first, which measured
 * faster on large tables (bench/cli.bench.mjs).
 */
async function* tableItems(client: DynamoDBClient, table: string, options: ScanOptions, context: Context, meter: Meter | undefined): AsyncGenerator<Item> {
  const progress = createProgress(context, `Scanning ${table}:`);
  try {
    yield* scanItems(client, table, { segments: options.segments, pageSize: PRINTED_PAGE_ITEMS, limit: options.limit }, { onPage: (n) => progress.add(n) });
  } finally {
    progress.done();
  }
  // After the last page, so the line comes after the items (a scan stopped early says nothing).
  if (meter) context.say(meter.line());
}

export async function scan(options: ScanOptions, context: Context): Promise<Output> {
  const table = checkTableName(options.table ?? context.env.table.value);
  const client = await context.dynamo();
  if (options.dryRun) return dryRunOutput(context, { verb: 'scan', table, client, writes: 'none', limit: options.limit });
  const meter = meterFor(context, options.consumed);
  await meter?.watch(client);
  return rows<Item>({
    rows: tableItems(client, table, options, context, meter),
    // The table form needs every attribute name to choose its columns, so it reads all rows first.
    columns: { fromRows: (items) => itemColumns(items, options.raw) },
    jsonText: options.raw ? typedItemJson : plainItemJson,
    empty: `Table ${table} has no items.`,
  });
}
