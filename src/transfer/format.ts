/**
 * The export file (docs/export-format.md): newline-delimited JSON, UTF-8.
 *
 *   line 1   {"format":"cruddur-ddb-export","version":1,"table":{...a CreateTable input...}}
 *   line 2+  {"Item":{"pk":{"S":"..."},...}}   one item per line, DynamoDB's typed JSON
 *
 * The header's `table` is exactly what CreateTable takes (keys, attribute definitions, GSIs and LSIs
 * with their projections, stream, billing), so `import` or any other tool can re-create the table from
 * it; item lines use the same `{"Item": ...}` wrapping as DynamoDB's own export to S3.
 */
import type {
  CreateTableCommandInput,
  GlobalSecondaryIndex,
  KeySchemaElement,
  LocalSecondaryIndex,
  Projection,
  TableDescription,
} from '@aws-sdk/client-dynamodb';
import { decodeItem, typedItemJson, TypedJsonError, type Item } from './typed-json.js';

export const FORMAT = 'cruddur-ddb-export';
export const VERSION = 1;

export interface ExportHeader {
  format: typeof FORMAT;
  version: number;
  table: CreateTableCommandInput;
}

type Throughput = { ReadCapacityUnits?: number; WriteCapacityUnits?: number } | undefined;

/** Only the two numbers CreateTable takes (a description adds dates and counters). */
function throughput(value: Throughput) {
  return { ReadCapacityUnits: value?.ReadCapacityUnits ?? 1, WriteCapacityUnits: value?.WriteCapacityUnits ?? 1 };
}

/** On-demand tables describe themselves with a billing summary, or (DynamoDB Local) with 0/0 capacity. */
export function isOnDemand(table: TableDescription): boolean {
  const mode = table.BillingModeSummary?.BillingMode;
  if (mode) return mode === 'PAY_PER_REQUEST';
  return !table.ProvisionedThroughput?.ReadCapacityUnits;
}

const keySchema = (schema: KeySchemaElement[] | undefined) => (schema ?? []).map(({ AttributeName, KeyType }) => ({ AttributeName, KeyType }));
const projection = (value: Projection | undefined): Projection | undefined =>
  value && { ProjectionType: value.ProjectionType, ...(value.NonKeyAttributes ? { NonKeyAttributes: [...value.NonKeyAttributes] } : {}) };

/**
 * The CreateTable input that makes a table shaped like `table` (a DescribeTable answer, or the table
 * of an export header), through an allow-list, field by field and level by level: keys, attribute
 * definitions, GSIs and LSIs with their projections, the stream, billing and throughput. Anything
 * else a file or a description carries (a resource policy, a KMS key, tags, a table class, deletion
 * protection, warm or on-demand throughput) never reaches CreateTable.
 */
export function createInputFrom(table: TableDescription): CreateTableCommandInput {
  const onDemand = isOnDemand(table);
  const gsis: GlobalSecondaryIndex[] = (table.GlobalSecondaryIndexes ?? []).map((index) => ({
    IndexName: index.IndexName,
    KeySchema: keySchema(index.KeySchema),
    Projection: projection(index.Projection),
    ...(onDemand ? {} : { ProvisionedThroughput: throughput(index.ProvisionedThroughput) }),
  }));
  const lsis: LocalSecondaryIndex[] = (table.LocalSecondaryIndexes ?? []).map((index) => ({
    IndexName: index.IndexName,
    KeySchema: keySchema(index.KeySchema),
    Projection: projection(index.Projection),
  }));
  const stream = table.StreamSpecification;
  return {
    TableName: table.TableName,
    KeySchema: keySchema(table.KeySchema),
    AttributeDefinitions: (table.AttributeDefinitions ?? []).map(({ AttributeName, AttributeType }) => ({ AttributeName, AttributeType })),
    ...(gsis.length ? { GlobalSecondaryIndexes: gsis } : {}),
    ...(lsis.length ? { LocalSecondaryIndexes: lsis } : {}),
    ...(stream?.StreamEnabled ? { StreamSpecification: { StreamEnabled: true, StreamViewType: stream.StreamViewType } } : {}),
    ...(onDemand ? { BillingMode: 'PAY_PER_REQUEST' } : { BillingMode: 'PROVISIONED', ProvisionedThroughput: throughput(table.ProvisionedThroughput) }),
  };
}

/** What a header's table holds at its top level, per index, that createInputFrom uses; the rest is named as left out. */
const TABLE_FIELDS = new Set([
  'TableName',
  'KeySchema',
  'AttributeDefinitions',
  'GlobalSecondaryIndexes',
  'LocalSecondaryIndexes',
  'StreamSpecification',
  'BillingMode',
  'ProvisionedThroughput',
]);
const INDEX_FIELDS = new Set(['IndexName', 'KeySchema', 'Projection', 'ProvisionedThroughput']);

/**
 * The CreateTable input for an export header's table, through the same allow-list as copy, and the
 * names of what was left out (`Tags`, `GlobalSecondaryIndexes[].OnDemandThroughput`), for the user.
 */
export function createInputFromHeader(table: CreateTableCommandInput): { input: CreateTableCommandInput; leftOut: string[] } {
  const leftOut = new Set(Object.keys(table).filter((field) => !TABLE_FIELDS.has(field)));
  for (const list of ['GlobalSecondaryIndexes', 'LocalSecondaryIndexes'] as const)
    for (const index of table[list] ?? []) for (const field of Object.keys(index)) if (!INDEX_FIELDS.has(field)) leftOut.add(`${list}[].${field}`);
  const description: TableDescription = {
    ...(table as TableDescription),
    BillingModeSummary: { BillingMode: table.BillingMode ?? (table.ProvisionedThroughput ? 'PROVISIONED' : 'PAY_PER_REQUEST') },
  };
  return { input: createInputFrom(description), leftOut: [...leftOut] };
}

export function headerLine(table: TableDescription): string {
  const header: ExportHeader = { format: FORMAT, version: VERSION, table: createInputFrom(table) };
  return JSON.stringify(header) + '\n';
}

export function itemLine(item: Item): string {
  return `{"Item":${typedItemJson(item)}}\n`;
}

/** What is wrong with one line of a file; the reader adds the file name and line number. */
export class LineError extends Error {}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch (error) {
    throw new LineError(`not JSON (${(error as Error).message})`);
  }
}

export function parseHeader(text: string): ExportHeader {
  const json = parseJson(text) as Partial<ExportHeader> | null;
  if (typeof json !== 'object' || json === null || json.format !== FORMAT) {
    throw new LineError(`the first line is not a ${FORMAT} header (is this a file made by \`npx cruddur-ddb export\`?)`);
  }
  if (json.version !== VERSION) throw new LineError(`format version ${String(json.version)} is not one this tool reads (it reads ${VERSION})`);
  const table = json.table;
  if (typeof table !== 'object' || !table || !Array.isArray(table.KeySchema) || !Array.isArray(table.AttributeDefinitions)) {
    throw new LineError('the header has no table with KeySchema and AttributeDefinitions');
  }
  return json as ExportHeader;
}

export function parseItemLine(text: string): Item {
  const json = parseJson(text) as { Item?: unknown } | null;
  if (typeof json !== 'object' || json === null || Array.isArray(json) || typeof json.Item !== 'object' || json.Item === null || Array.isArray(json.Item)) {
    throw new LineError('expected {"Item": {...}}');
  }
  try {
    return decodeItem(json.Item as Record<string, unknown>);
  } catch (error) {
    if (error instanceof TypedJsonError) throw new LineError(error.message);
    throw error;
  }
}
