/** `cruddur-ddb put`: one whole item, from --item, --file or stdin. */
import { readFile } from 'node:fs/promises';
import type { Context } from '../kit/context.js';
import { confirmDestructive } from '../kit/prod-prompt.js';
import { checkTableName } from '../core/environment.js';
import { UsageError } from '../core/errors.js';
import { plainItemJson } from '../aws/plain-json.js';
import { typedItemJson } from '../transfer/typed-json.js';
import type { Output } from '../kit/output.js';
import { changeOutput } from '../kit/item-columns.js';
import { checkItemKeys, checkModel, checkSize, putItem } from '../adhoc/item.js';
import { loadShape } from '../adhoc/shape.js';
import { itemFromJson, parseJson } from '../adhoc/values.js';

export interface PutOptions {
  table: string | undefined;
  item: string | undefined;
  file: string | undefined;
  condition: string | undefined;
  values: string | undefined;
  force: boolean;
  raw: boolean;
}

async function readStream(stream: NodeJS.ReadableStream): Promise<string> {
  let text = '';
  for await (const chunk of stream) text += String(chunk);
  return text;
}

async function itemText(options: PutOptions, context: Context): Promise<{ text: string; what: string }> {
  if (options.item !== undefined && options.file !== undefined)
    throw new UsageError('flag.conflict', '--item and --file do not go together', 'Give one of them');
  if (options.item !== undefined) return { text: options.item, what: '--item' };
  if (options.file === undefined && context.stdin.isTTY) throw new UsageError('arg.missing', 'Give the item with --item, --file, or on stdin');
  if (options.file === undefined || options.file === '-') return { text: await readStream(context.stdin), what: 'the item on stdin' };
  try {
    return { text: await readFile(options.file, 'utf8'), what: options.file };
  } catch (error) {
    throw new UsageError('value.bad_json', `Cannot read ${options.file} (${(error as NodeJS.ErrnoException).code ?? (error as Error).message})`);
  }
}

export async function put(options: PutOptions, context: Context): Promise<Output> {
  const table = checkTableName(options.table ?? context.env.table.value);
  const { text, what } = await itemText(options, context);
  const item = itemFromJson(parseJson(text, what), what);
  checkSize(item);
  checkModel(item, context.env.timeZone.value, options.force, context.say);
  await confirmDestructive(context, 'put an item', table, { table });
  const client = await context.dynamo();
  checkItemKeys(await loadShape(client, table), item);
  const change = await putItem(client, table, item, options);
  if (!change.before) context.say(`Put a new item in ${table}.`);
  else context.say(`Replaced an item in ${table}.`);
  return changeOutput(change, context.format, options.raw, options.raw ? typedItemJson : plainItemJson);
}
