/**
 * The work behind `export`, `import`, `copy` and `reset`, free of the command line: each function
 * takes clients and streams and returns counts, so tests and other tools can call it directly.
 */
import { DescribeTableCommand, type AttributeValue, type CreateTableCommandInput, type DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { CliError } from '../core/errors.js';
import { batchWriteStream, type BatchWriteOptions } from '../seed/batch-write.js';
import { headerLine, itemLine, createInputFrom, LineError, parseHeader, parseItemLine, type ExportHeader } from './format.js';
import type { Output } from './files.js';
import type { Line } from './line-reader.js';
import { PRINTED_PAGE_ITEMS, scanPages } from './scanner.js';
import type { Item } from './typed-json.js';

export interface ExportResult {
  items: number;
  /** Bytes of the item lines and header before compression. */
  bytes: number;
}

/** Writes the header and every item of `table` to `output`, page by page. */
export async function exportTable(
  client: DynamoDBClient,
  table: string,
  output: Output,
  options: { segments?: number; onItems?: (count: number) => void; description?: Awaited<ReturnType<typeof describeForExport>> } = {},
): Promise<ExportResult> {
  const description = options.description ?? (await describeForExport(client, table));
  const header = headerLine(description);
  await output.write(header);
  let bytes = Buffer.byteLength(header);
  let items = 0;
  for await (const page of scanPages(client, table, { segments: options.segments, pageSize: PRINTED_PAGE_ITEMS })) {
    let text = '';
    for (const item of page) text += itemLine(item);
    await output.write(text);
    bytes += Buffer.byteLength(text);
    items += page.length;
    options.onItems?.(page.length);
  }
  return { items, bytes };
}

export async function describeForExport(client: DynamoDBClient, table: string) {
  const { Table } = await client.send(new DescribeTableCommand({ TableName: table }));
  if (!Table) throw new CliError('table.not_found', `Table "${table}" not found`);
  return Table;
}

/** The header and items of an export file, read line by line. A bad line ends the items and is kept in `error`. */
export interface ExportReader {
  header: ExportHeader;
  items: AsyncGenerator<Item>;
  /** The line of the item handed out last (for naming it when DynamoDB refuses it). */
  line: number;
  /** Set when a line could not be read; the items before it were all handed out. */
  error: CliError | undefined;
}

/** `lines` skips blank lines and numbers the others (src/transfer/line-reader.ts). */
export async function readExport(lines: AsyncGenerator<Line>, name: string): Promise<ExportReader> {
  const bad = (error: unknown, line: number) => {
    if (error instanceof LineError) return new CliError('import.malformed', `${name}:${line}: ${error.message}`);
    throw error;
  };
  const first = await lines.next();
  if (first.done) throw new CliError('import.empty', `${name} is empty`, { hint: 'Give a file made by `npx cruddur-ddb export`' });
  let header: ExportHeader;
  try {
    header = parseHeader(first.value.text);
  } catch (error) {
    throw bad(error, first.value.number);
  }
  const reader = { header, line: first.value.number, error: undefined } as ExportReader;
  reader.items = (async function* () {
    for await (const line of lines) {
      let item: Item;
      try {
        item = parseItemLine(line.text);
      } catch (error) {
        reader.error = bad(error, line.number);
        return;
      }
      reader.line = line.number;
      yield item;
    }
  })();
  return reader;
}

export async function* putRequests(items: AsyncIterable<Item>, change?: (item: Item) => Item) {
  for await (const item of items) yield { PutRequest: { Item: change ? change(item) : item } };
}

export interface WriteResult {
  written: number;
  notWritten: number;
}

/** Streams items into `table` through the shared writer, and names what did not land. */
export async function writeItems(
  client: DynamoDBClient,
  table: string,
  items: AsyncIterable<Item>,
  options: BatchWriteOptions & { change?: (item: Item) => Item },
) {
  return batchWriteStream(client, table, putRequests(items, options.change), options);
}

/** The CreateTable input of a live table, for copy (what export's header holds). */
export async function shapeOf(client: DynamoDBClient, table: string): Promise<CreateTableCommandInput> {
  return createInputFrom(await describeForExport(client, table));
}

/** Only the items this filter expression keeps (`ttl sweep`: the expired ones); its names must not be #k0, #k1. */
export interface ItemFilter {
  expression: string;
  names: Record<string, string>;
  values: Record<string, AttributeValue>;
}

/** Deletes every item of `table` (or only those `where` keeps), keeping the table, its indexes and its stream. */
export async function deleteAllItems(
  client: DynamoDBClient,
  table: string,
  options: BatchWriteOptions & { segments?: number; where?: ItemFilter },
): Promise<WriteResult & { found: number }> {
  const { KeySchema = [] } = await describeForExport(client, table);
  const names = KeySchema.map((key) => key.AttributeName!);
  let found = 0;
  // Only the key attributes are read: a delete needs nothing else, and pages hold more keys.
  const keys = async function* () {
    for await (const page of scanPages(client, table, {
      segments: options.segments,
      input: {
        ProjectionExpression: names.map((_, i) => `#k${i}`).join(', '),
        ExpressionAttributeNames: { ...Object.fromEntries(names.map((name, i) => [`#k${i}`, name])), ...options.where?.names },
        ...(options.where ? { FilterExpression: options.where.expression, ExpressionAttributeValues: options.where.values } : {}),
      },
    })) {
      for (const Key of page) {
        found++;
        yield { DeleteRequest: { Key } };
      }
    }
  };
  const result = await batchWriteStream(client, table, keys(), options);
  return { ...result, found };
}
