import { DeleteTableCommand, waitUntilTableNotExists } from '@aws-sdk/client-dynamodb';
import { translateAwsError } from '../aws.js';
import { confirmDestructive, type Context } from '../context.js';
import { checkTableName } from '../env.js';

export interface DropOptions {
  table: string;
}

export async function drop(options: DropOptions, context: Context): Promise<{ table: string; dropped: true }> {
  const table = checkTableName(options.table);
  // The guard runs before any call: with no terminal and no --yes, prod is never touched.
  await confirmDestructive(context, `delete the table ${table}`, table, { table });
  const client = await context.dynamo();
  try {
    await client.send(new DeleteTableCommand({ TableName: table }));
    await waitUntilTableNotExists({ client, maxWaitTime: 300, minDelay: 1, maxDelay: 5 }, { TableName: table });
  } catch (error) {
    throw translateAwsError(error, context.env, table);
  }
  context.say(`Dropped table ${table} in ${context.env.name}.`);
  return { table, dropped: true };
}
