/**
 * The target table of an import or copy: used as it is when it exists (if its key matches the file's),
 * else created from the export header's CreateTable input and waited for until ACTIVE.
 */
import {
  CreateTableCommand,
  DescribeTableCommand,
  waitUntilTableExists,
  type CreateTableCommandInput,
  type DynamoDBClient,
  type KeySchemaElement,
  type TableDescription,
} from '@aws-sdk/client-dynamodb';
import { CliError } from '../core/errors.js';

export async function describeTable(client: DynamoDBClient, table: string): Promise<TableDescription | undefined> {
  try {
    return (await client.send(new DescribeTableCommand({ TableName: table }))).Table;
  } catch (error) {
    if ((error as Error).name === 'ResourceNotFoundException') return undefined;
    throw error;
  }
}

const keyText = (schema: KeySchemaElement[] | undefined) => (schema ?? []).map((k) => `${k.AttributeName} (${k.KeyType})`).join(', ');

/** Creates `table` shaped as `shape` unless it exists; returns whether it was created. */
export async function ensureTable(client: DynamoDBClient, table: string, shape: CreateTableCommandInput): Promise<boolean> {
  const existing = await describeTable(client, table);
  if (existing) {
    const want = keyText(shape.KeySchema);
    const have = keyText(existing.KeySchema);
    if (want !== have) {
      throw new CliError('import.key_mismatch', `Table ${table} exists with key ${have}, but the items have key ${want}`, {
        hint: 'Import into another table (--table NAME; it is created from the file), or drop this one first',
      });
    }
    if (existing.TableStatus === 'ACTIVE') return false;
  } else {
    try {
      await client.send(new CreateTableCommand({ ...shape, TableName: table }));
    } catch (error) {
      // Someone else created it in between: fine, wait for it like ours.
      if ((error as Error).name !== 'ResourceInUseException') throw error;
    }
  }
  await waitUntilTableExists({ client, maxWaitTime: 600, minDelay: 1, maxDelay: 5 }, { TableName: table });
  return !existing;
}
