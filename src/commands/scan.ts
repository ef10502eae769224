import { ScanCommand, type AttributeValue } from '@aws-sdk/client-dynamodb';
import { translateAwsError } from '../aws.js';
import type { Context } from '../context.js';
import { checkTableName } from '../env.js';
import { wholeNumberFlag } from '../flags.js';
import { plainItemJson, rawItemJson } from '../json.js';
import { createSink, printRows, type Column } from '../output.js';
import { createProgress } from '../progress.js';

export interface ScanOptions {
  table: string;
  segments?: string | number;
  limit?: string | number;
  raw?: boolean;
}

type Item = Record<string, AttributeValue>;

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
  const jsonText = options.raw ? rawItemJson : plainItemJson;
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
          ...(limit !== undefined ? { Limit: Math.min(limit - written, 10_000) } : {}),
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

  try {
    await Promise.all(Array.from({ length: segments }, (_, segment) => scanSegment(segment)));
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
