/** A table's keys and indexes as DescribeTable tells them: what a key query or one-item command needs to know. */
import { DescribeTableCommand, type DynamoDBClient, type TableDescription } from '@aws-sdk/client-dynamodb';
import { UsageError } from '../core/errors.js';

export type KeyType = 'S' | 'N' | 'B';

export interface KeySchema {
  /** The table, or the index's name. */
  name: string;
  kind: 'table' | 'gsi' | 'lsi';
  hash: { name: string; type: KeyType };
  range?: { name: string; type: KeyType };
}

export interface TableShape {
  table: string;
  primary: KeySchema;
  indexes: KeySchema[];
}

export async function describeTable(client: DynamoDBClient, table: string): Promise<TableDescription> {
  const output = await client.send(new DescribeTableCommand({ TableName: table }));
  return output.Table!;
}

export function shapeOf(description: TableDescription): TableShape {
  const types = new Map((description.AttributeDefinitions ?? []).map((d) => [d.AttributeName!, d.AttributeType as KeyType]));
  const schema = (name: string, kind: KeySchema['kind'], keys: { AttributeName?: string; KeyType?: string }[] = []): KeySchema => {
    const hash = keys.find((k) => k.KeyType === 'HASH')!.AttributeName!;
    const range = keys.find((k) => k.KeyType === 'RANGE')?.AttributeName;
    return {
      name,
      kind,
      hash: { name: hash, type: types.get(hash) ?? 'S' },
      ...(range ? { range: { name: range, type: types.get(range) ?? 'S' } } : {}),
    };
  };
  return {
    table: description.TableName!,
    primary: schema(description.TableName!, 'table', description.KeySchema),
    indexes: [
      ...(description.GlobalSecondaryIndexes ?? []).map((i) => schema(i.IndexName!, 'gsi', i.KeySchema)),
      ...(description.LocalSecondaryIndexes ?? []).map((i) => schema(i.IndexName!, 'lsi', i.KeySchema)),
    ],
  };
}

/** The table's keys, or an index's; an unknown index names the ones that exist. */
export function keysFor(shape: TableShape, index: string | undefined): KeySchema {
  if (index === undefined) return shape.primary;
  const found = shape.indexes.find((i) => i.name === index);
  if (found) return found;
  const known = shape.indexes.map((i) => `${i.name} (${i.kind})`).join(', ');
  throw new UsageError('index.not_found', `Table ${shape.table} has no index "${index}"`, known ? `Its indexes: ${known}` : 'It has no indexes');
}

export async function loadShape(client: DynamoDBClient, table: string): Promise<TableShape> {
  return shapeOf(await describeTable(client, table));
}
