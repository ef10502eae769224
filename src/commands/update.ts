/** `cruddur-ddb update`: --set, --add, --remove on one item. */
import type { Context } from '../kit/context.js';
import { confirmDestructive } from '../kit/prod-prompt.js';
import { checkTableName } from '../core/environment.js';
import { plainItemJson } from '../aws/plain-json.js';
import { typedItemJson } from '../transfer/typed-json.js';
import type { Output } from '../kit/output.js';
import { changeOutput } from '../kit/item-columns.js';
import { checkModel, checkSize, getItem, keyFromFlags, planUpdate, updateItem } from '../adhoc/item.js';
import { loadShape } from '../adhoc/shape.js';

export interface UpdateOptions {
  table: string | undefined;
  pk: string | undefined;
  sk: string | undefined;
  set: string[];
  add: string[];
  remove: string[];
  condition: string | undefined;
  values: string | undefined;
  force: boolean;
  raw: boolean;
}

export async function update(options: UpdateOptions, context: Context): Promise<Output> {
  const table = checkTableName(options.table ?? context.env.table.value);
  // Reading the key's shape and the item are calls: in prod the guard goes first.
  await confirmDestructive(context, 'update an item', table, { table });
  const client = await context.dynamo();
  const key = keyFromFlags(await loadShape(client, table), options.pk, options.sk);
  const plan = planUpdate(options, key);
  // The item as it is, to check what the update would leave (and to show it before).
  const before = await getItem(client, table, key);
  const predicted = plan.predict(before, key);
  checkSize(predicted);
  checkModel(predicted, context.env.timeZone.value, options.force, context.say);
  const after = await updateItem(client, table, key, plan, options);
  if (!before) context.say(`No item had that key: update made a new one in ${table}.`);
  return changeOutput({ before, after }, context.format, options.raw, options.raw ? typedItemJson : plainItemJson);
}
