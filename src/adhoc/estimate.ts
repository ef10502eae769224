/**
 * What a whole-table run (scan, export, copy, reset) would consume, estimated from DescribeTable's item
 * count and size, without reading the table. The rules are DynamoDB's own
 * (https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/read-write-operations.html):
 * - a Scan is billed on the size of what it reads, rounded up to 4 KB, half a unit per 4 KB when
 *   eventually consistent (the scanner never asks for strong reads);
 * - a write (put or delete) costs one unit per started KB of the item, on the table and again on every
 *   index the item is in; so writes are counted per index from the index's own count and size.
 * Counts and sizes are DynamoDB's, refreshed about every six hours: an estimate, not a bill.
 */
import type { DynamoDBClient, TableDescription } from '@aws-sdk/client-dynamodb';
import { describeTable } from './shape.js';

export interface SizePart {
  /** The table, or `table/index`. */
  name: string;
  items: number;
  bytes: number;
}

export interface TableSize {
  table: SizePart;
  indexes: SizePart[];
}

export function sizeOf(description: TableDescription): TableSize {
  const name = description.TableName!;
  const part = (n: string, items: number | undefined, bytes: number | undefined): SizePart => ({ name: n, items: items ?? 0, bytes: bytes ?? 0 });
  return {
    table: part(name, description.ItemCount, description.TableSizeBytes),
    indexes: [...(description.GlobalSecondaryIndexes ?? []), ...(description.LocalSecondaryIndexes ?? [])].map((i) =>
      part(`${name}/${i.IndexName}`, i.ItemCount, i.IndexSizeBytes),
    ),
  };
}

export async function tableSize(client: DynamoDBClient, table: string): Promise<TableSize> {
  return sizeOf(await describeTable(client, table));
}

export interface RunEstimate {
  /** Items the run would read (all, or --limit of them). */
  items: number;
  bytes: number;
  readUnits: number;
  /** Write units per table and index (empty when the run only reads). */
  writeUnits: Record<string, number>;
}

/** Write units of writing every item of `part` once: its items times the started KBs of an average item. */
function writeUnitsOf(part: SizePart): number {
  if (part.items === 0) return 0;
  return part.items * Math.max(1, Math.ceil(part.bytes / part.items / 1024));
}

/**
 * The estimate of reading the table (a scan, `limit` items at most) and, when `writes`, writing or
 * deleting each item once (copy's puts into a table shaped like this one, reset's deletes).
 */
export function estimateRun(size: TableSize, options: { writes: boolean; limit?: number }): RunEstimate {
  const { items, bytes } = size.table;
  const share = options.limit !== undefined && items > 0 ? Math.min(1, options.limit / items) : 1;
  const readBytes = bytes * share;
  const writeUnits: Record<string, number> = {};
  if (options.writes) for (const part of [size.table, ...size.indexes]) writeUnits[part.name] = Math.ceil(writeUnitsOf(part) * share);
  return {
    items: Math.round(items * share),
    bytes: Math.round(readBytes),
    readUnits: Math.ceil(readBytes / 4096) / 2,
    writeUnits,
  };
}
