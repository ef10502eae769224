/** `cruddur-ddb delete`: one item by its key. */
import type { Context } from '../kit/context.js';
import { confirmDestructive } from '../kit/prod-prompt.js';
import { checkTableName } from '../core/environment.js';
import { plainItemJson } from '../aws/plain-json.js';
import { typedItemJson } from '../transfer/typed-json.js';
import type { Output } from '../kit/output.js';
import { changeOutput } from '../kit/item-columns.js';
import { deleteItem, keyFromFlags } from '../adhoc/item.js';
import { loadShape } from '../adhoc/shape.js';

export interface DeleteOptions {
  table: string | undefined;
  pk: string | undefined;
  sk: string | undefined;
  condition: string | undefined;
  values: string | undefined;
  raw: boolean;
}

export async function deleteCommand(options: DeleteOptions, context: Context): Promise<Output> {
  const table = checkTableName(options.table ?? context.env.table.value);
  // The key's shape needs DescribeTable, a call: in prod the guard goes first.
  await confirmDestructive(context, 'delete an item', table, { table });
  const client = await context.dynamo();
  const key = keyFromFlags(await loadShape(client, table), options.pk, options.sk);
  const change = await deleteItem(client, table, key, options);
  if (!change.before) context.say(`No item had that key in ${table}; nothing was deleted.`);
  return changeOutput(change, context.format, options.raw, options.raw ? typedItemJson : plainItemJson);
}
