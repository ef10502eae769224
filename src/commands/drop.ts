import { DeleteTableCommand, waitUntilTableNotExists } from '@aws-sdk/client-dynamodb';
import { confirmDestructive, type Context } from '../kit/context.js';
import { checkTableName } from '../core/environment.js';
import type { Output } from '../kit/output.js';
import { seconds, summarize } from '../data/summary.js';

export interface DropOptions {
  table: string;
}

export async function drop(options: DropOptions, context: Context): Promise<Output> {
  const table = checkTableName(options.table);
  // The guard runs before any call: with no terminal and no --yes, prod is never touched.
  await confirmDestructive(context, `delete the table ${table}`, table, { table });
  const client = await context.dynamo();
  const started = process.hrtime.bigint();
  await client.send(new DeleteTableCommand({ TableName: table }));
  await waitUntilTableNotExists({ client, maxWaitTime: 300, minDelay: 1, maxDelay: 5 }, { TableName: table });
  return summarize(context, `Dropped table ${table} in ${context.env.name}.`, { table, dropped: true, seconds: Number(seconds(started).toFixed(3)) });
}
