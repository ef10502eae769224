import { DeleteTableCommand, waitUntilTableNotExists } from '@aws-sdk/client-dynamodb';
import type { Context } from '../kit/context.js';
import { confirmDestructive } from '../kit/prod-prompt.js';
import { checkTableName } from '../core/environment.js';
import type { Output } from '../kit/output.js';
import type { DropInput } from './drop.def.js';
import { seconds } from '../transfer/summary.js';
import { summaryOutput } from '../kit/summary.js';

/** The definition's arguments and options, typed there (defaults and choices live there, once). */
export type DropOptions = DropInput;

export async function drop(options: DropOptions, context: Context): Promise<Output> {
  const table = checkTableName(options.table);
  // The guard runs before any call: with no terminal and no --yes, prod is never touched.
  await confirmDestructive(context, `delete the table ${table}`, table, { table });
  const client = await context.dynamo();
  const started = context.clock();
  await client.send(new DeleteTableCommand({ TableName: table }));
  await waitUntilTableNotExists({ client, maxWaitTime: 300, minDelay: 1, maxDelay: 5 }, { TableName: table });
  return summaryOutput(context, `Dropped table ${table} in ${context.env.name}.`, {
    table,
    dropped: true,
    seconds: Number(seconds(started, context.clock()).toFixed(3)),
  });
}
