/**
 * One item at a time: get, put, update, delete, each returning the item before and after. put and
 * delete take `before` from ReturnValues ALL_OLD (the same call as the write); update takes `after`
 * from ALL_NEW and `before` from a consistent read just ahead of it (it needs it anyway, to check the
 * model), so a write by someone else in between would show in neither.
 */
import { DeleteItemCommand, GetItemCommand, PutItemCommand, UpdateItemCommand, type AttributeValue, type DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { CliError, EXIT_CONDITION_FAILED, UsageError } from '../core/errors.js';
import type { Item } from '../transfer/typed-json.js';
import { modelProblems } from './model.js';
import type { TableShape } from './shape.js';
import { itemSize, MAX_ITEM_BYTES } from '../transfer/item-checks.js';
import { assignment, attributeValue, itemFromJson, keyValue, parseJson } from './values.js';

export interface Change {
  before: Item | undefined;
  after: Item | undefined;
}

/** The key from --pk/--sk, typed as the table's attribute definitions say. */
export function keyFromFlags(shape: TableShape, pk: string | undefined, sk: string | undefined): Item {
  const { hash, range } = shape.primary;
  if (pk === undefined) throw new UsageError('key.missing', `Give --pk, the value of ${hash.name}`);
  const key: Item = { [hash.name]: keyValue(pk, '--pk', hash.type) };
  if (range) {
    if (sk === undefined) throw new UsageError('key.missing', `Table ${shape.table} has a sort key: give --sk, the value of ${range.name}`);
    key[range.name] = keyValue(sk, '--sk', range.type);
  } else if (sk !== undefined) throw new UsageError('flag.conflict', `Table ${shape.table} has no sort key`, 'Leave out --sk');
  return key;
}

/** A whole item's keys must be there with their types (DynamoDB says only "One or more parameter values were invalid"). */
export function checkItemKeys(shape: TableShape, item: Item): void {
  for (const part of [shape.primary.hash, shape.primary.range]) {
    if (!part) continue;
    const value = item[part.name];
    if (value === undefined) throw new UsageError('key.missing', `The item has no ${part.name}, a key attribute of ${shape.table}`);
    if (value[part.type as keyof AttributeValue] === undefined) {
      throw new UsageError('key.bad_type', `The item's ${part.name} must be of type ${part.type}, got ${Object.keys(value)[0]}`);
    }
  }
}

export function checkSize(item: Item): void {
  const bytes = itemSize(item);
  if (bytes > MAX_ITEM_BYTES)
    throw new UsageError(
      'item.too_large',
      `The item is ${Math.ceil(bytes / 1024)} KB; DynamoDB takes at most 400 KB`,
      'Store the large part elsewhere (S3) and keep a reference',
    );
}

/** A change that breaks the model needs --force; with it, the problems are said and the write goes on. */
export function checkModel(item: Item, zone: string, force: boolean, warn: (line: string) => void): void {
  const problems = modelProblems(item, zone);
  if (problems.length === 0) return;
  if (!force) throw new UsageError('item.breaks_model', `This would break the data model: ${problems.join('; ')}`, 'Pass --force to write it anyway');
  for (const problem of problems) warn(`warning: ${problem} (written anyway: --force)`);
}

export interface Conditional {
  condition?: string;
  /** JSON text for the condition's :placeholders. */
  values?: string;
}

function conditionInput(conditional: Conditional, extra: Record<string, AttributeValue> = {}) {
  if (conditional.values !== undefined && conditional.condition === undefined) throw new UsageError('flag.conflict', '--values goes with --condition');
  const given = conditional.values === undefined ? {} : itemFromJson(parseJson(conditional.values, '--values'), '--values');
  for (const name of Object.keys(given))
    if (name in extra) throw new UsageError('flag.conflict', `--values may not use ${name}`, ":u0, :u1, ... are the update's own");
  const values = { ...extra, ...given };
  return {
    ...(conditional.condition !== undefined ? { ConditionExpression: conditional.condition } : {}),
    ...(Object.keys(values).length > 0 ? { ExpressionAttributeValues: values } : {}),
  };
}

/** A condition that does not hold is its own outcome: one line, exit 3, nothing changed. */
async function conditional<T>(write: () => Promise<T>): Promise<T> {
  try {
    return await write();
  } catch (error) {
    if ((error as { name?: string }).name === 'ConditionalCheckFailedException') {
      throw new CliError('item.condition_failed', 'The condition did not hold; nothing was changed', { exitCode: EXIT_CONDITION_FAILED });
    }
    throw error;
  }
}

export async function getItem(client: DynamoDBClient, table: string, key: Item, consistent = true): Promise<Item | undefined> {
  const output = await client.send(new GetItemCommand({ TableName: table, Key: key, ConsistentRead: consistent }));
  return output.Item;
}

export async function putItem(client: DynamoDBClient, table: string, item: Item, when: Conditional): Promise<Change> {
  const output = await conditional(() => client.send(new PutItemCommand({ TableName: table, Item: item, ReturnValues: 'ALL_OLD', ...conditionInput(when) })));
  return { before: output.Attributes, after: item };
}

export async function deleteItem(client: DynamoDBClient, table: string, key: Item, when: Conditional): Promise<Change> {
  const output = await conditional(() => client.send(new DeleteItemCommand({ TableName: table, Key: key, ReturnValues: 'ALL_OLD', ...conditionInput(when) })));
  return { before: output.Attributes, after: undefined };
}

export interface Updates {
  set: string[];
  remove: string[];
  add: string[];
}

export interface UpdatePlan {
  expression: string;
  names: Record<string, string>;
  values: Record<string, AttributeValue>;
  /** The item as it will be, from the item as it is (for the model check): top-level attributes only. */
  predict(before: Item | undefined, key: Item): Item;
}

/** `--set a=b --remove c --add n=1` as an UpdateExpression with placeholders for every name and value. */
export function planUpdate(updates: Updates, key: Item): UpdatePlan {
  const names: Record<string, string> = {};
  const values: Record<string, AttributeValue> = {};
  const sets: Array<[string, AttributeValue]> = [];
  const adds: Array<[string, AttributeValue]> = [];
  const name = (attribute: string) => {
    if (attribute in key)
      throw new UsageError(
        'flag.conflict',
        `${attribute} is a key attribute; DynamoDB cannot change it in place`,
        'put the item under the new key, then delete the old one',
      );
    const placeholder = `#u${Object.keys(names).length}`;
    names[placeholder] = attribute;
    return placeholder;
  };
  const parts: string[] = [];
  const setParts = updates.set.map((text) => {
    const { name: attribute, value } = assignment(text, '--set');
    const typed = attributeValue(value, `--set ${attribute}`);
    sets.push([attribute, typed]);
    const placeholder = `:u${Object.keys(values).length}`;
    values[placeholder] = typed;
    return `${name(attribute)} = ${placeholder}`;
  });
  const addParts = updates.add.map((text) => {
    const { name: attribute, value } = assignment(text, '--add');
    const typed = attributeValue(value, `--add ${attribute}`);
    if (typed.N === undefined && typed.SS === undefined && typed.NS === undefined)
      throw new UsageError('value.bad_assignment', `--add ${attribute} takes a number or a set, got ${JSON.stringify(value)}`);
    adds.push([attribute, typed]);
    const placeholder = `:u${Object.keys(values).length}`;
    values[placeholder] = typed;
    return `${name(attribute)} ${placeholder}`;
  });
  const removeParts = updates.remove.map((attribute) => name(attribute));
  if (setParts.length) parts.push(`SET ${setParts.join(', ')}`);
  if (addParts.length) parts.push(`ADD ${addParts.join(', ')}`);
  if (removeParts.length) parts.push(`REMOVE ${removeParts.join(', ')}`);
  if (parts.length === 0) throw new UsageError('arg.missing', 'Nothing to update', 'Give --set name=value, --add name=1 or --remove name');
  return {
    expression: parts.join(' '),
    names,
    values,
    predict: (before, itemKey) => {
      const item: Item = { ...(before ?? itemKey) };
      for (const [attribute, value] of sets) item[attribute] = value;
      for (const attribute of updates.remove) delete item[attribute];
      // ADD's result is not needed for the model check (it never touches pk, sk or message_group_uuid as text); keep the value's type.
      for (const [attribute, value] of adds) item[attribute] ??= value;
      return item;
    },
  };
}

export async function updateItem(client: DynamoDBClient, table: string, key: Item, plan: UpdatePlan, when: Conditional): Promise<Item | undefined> {
  const condition = conditionInput(when, plan.values);
  const output = await conditional(() =>
    client.send(
      new UpdateItemCommand({
        TableName: table,
        Key: key,
        UpdateExpression: plan.expression,
        ExpressionAttributeNames: plan.names,
        ReturnValues: 'ALL_NEW',
        ...condition,
      }),
    ),
  );
  return output.Attributes;
}
