/** `cruddur-ddb get`: one item by its key. */
import type { Context } from '../kit/context.js';
import { checkTableName } from '../core/environment.js';
import { CliError } from '../core/errors.js';
import { plainItemJson } from '../aws/plain-json.js';
import { typedItemJson } from '../transfer/typed-json.js';
import { record, type Output } from '../kit/output.js';
import { cellText } from '../kit/item-columns.js';
import { attributeOrder } from '../transfer/typed-json.js';
import { getItem, keyFromFlags } from '../adhoc/item.js';
import { loadShape } from '../adhoc/shape.js';

export interface GetOptions {
  table: string | undefined;
  pk: string | undefined;
  sk: string | undefined;
  raw: boolean;
}

export async function get(options: GetOptions, context: Context): Promise<Output> {
  const table = checkTableName(options.table ?? context.env.table.value);
  const client = await context.dynamo();
  const key = keyFromFlags(await loadShape(client, table), options.pk, options.sk);
  const item = await getItem(client, table, key);
  if (!item)
    throw new CliError('item.not_found', `No item with that key in ${table} (${context.env.name})`, {
      hint: 'query --pk <value> lists the sort keys of a partition',
    });
  const json = JSON.parse((options.raw ? typedItemJson : plainItemJson)(item)) as Record<string, unknown>;
  const cells = Object.fromEntries(attributeOrder(Object.keys(item)).map((name) => [name, cellText(item[name], options.raw)]));
  return record(json, cells);
}
