/**
 * The key-condition form of `query`: a partition value and at most one sort-key condition, on the table,
 * a GSI or an LSI (https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/Query.KeyConditionExpressions.html).
 *
 * `--sk`, `--sk-begins` and `--sk-between` are DynamoDB's own string (or number) comparisons. `--sk-before`
 * and `--sk-after` take a time and compare instants, as the data model says (DESIGN.md): the backend
 * writes naive local times and times with other offsets into `sk`, so a string comparison would put them
 * hours off. DynamoDB can only compare strings, so the key condition asks for a range widened by the
 * largest offset (14 h) and the exact instant test is made here on each item; items whose sort key is
 * not a time are left out. Naive times are read in the time zone setting (`--time-zone`).
 */
import { QueryCommand, type AttributeValue, type DynamoDBClient, type QueryCommandInput } from '@aws-sdk/client-dynamodb';
import { UsageError } from '../core/errors.js';
import { decodeItem, encodeItem, type Item } from '../transfer/typed-json.js';
import { instantOf, isTime } from '../patterns/time.js';
import type { KeySchema, TableShape } from './shape.js';
import { FIRST_PAGE, nextPageLimit } from './page-size.js';
import { itemFromJson, keyValue, parseJson } from './values.js';

export interface KeyCondition {
  pk: string;
  sk?: string;
  skBegins?: string;
  skBetween?: [string, string];
  skBefore?: string;
  skAfter?: string;
  index?: string;
  filter?: string;
  /** JSON text: `{":v": "x"}` (plain) or `{":v": {"S": "x"}}` (typed). */
  values?: string;
  desc: boolean;
  /** The zone of naive times (--sk-before/--sk-after). */
  zone: string;
}

export interface KeyQuery {
  input: QueryCommandInput;
  /** The instant test made here (--sk-before/--sk-after), on the sort key attribute. */
  keep?: (item: Item) => boolean;
  keys: KeySchema;
}

/** 14 hours and a second: the widest UTC offset (+14:00), and the seconds the bound is cut to. */
const SLACK_MS = 14 * 3600_000 + 1000;

/** `2026-11-25T03:07:49`: a bound compared as a string, seconds only (a longer key with the same prefix sorts after it). */
function wallBound(instantMicros: bigint, shiftMs: number): string {
  return new Date(Number(instantMicros / 1000n) + shiftMs).toISOString().slice(0, 19);
}

function timeFlag(value: string, flag: string, zone: string): bigint {
  if (!isTime(value, zone))
    throw new UsageError(
      'flag.bad_time',
      `${flag} must be an ISO time like 2026-11-25T03:07:49+00:00, got "${value}"`,
      'A time without an offset is read in --time-zone (default UTC)',
    );
  return instantOf(value, zone);
}

export function buildKeyQuery(shape: TableShape, keys: KeySchema, condition: KeyCondition): KeyQuery {
  const names: Record<string, string> = { '#k0': keys.hash.name };
  const values: Record<string, AttributeValue> = { ':k0': keyValue(condition.pk, '--pk', keys.hash.type) };
  let expression = '#k0 = :k0';
  let keep: KeyQuery['keep'];
  const given = [condition.sk, condition.skBegins, condition.skBetween, condition.skBefore, condition.skAfter].filter((v) => v !== undefined);
  if (given.length > 1)
    throw new UsageError(
      'flag.conflict',
      'Give at most one of --sk, --sk-begins, --sk-between, --sk-before, --sk-after',
      'DynamoDB takes one condition on the sort key',
    );
  if (given.length === 1) {
    const range = keys.range;
    if (!range) throw new UsageError('flag.conflict', `${keys.kind === 'table' ? 'Table' : 'Index'} ${keys.name} has no sort key`, 'Leave out the --sk flags');
    names['#k1'] = range.name;
    const value = (text: string, flag: string) => keyValue(text, flag, range.type);
    if (condition.sk !== undefined) {
      values[':k1'] = value(condition.sk, '--sk');
      expression += ' AND #k1 = :k1';
    } else if (condition.skBegins !== undefined) {
      values[':k1'] = value(condition.skBegins, '--sk-begins');
      expression += ' AND begins_with(#k1, :k1)';
    } else if (condition.skBetween !== undefined) {
      const [a, b] = condition.skBetween;
      const low = value(a, '--sk-between');
      const high = value(b, '--sk-between');
      const after = low.N !== undefined && high.N !== undefined ? Number(low.N) > Number(high.N) : (low.S ?? '') > (high.S ?? '');
      if (after) throw new UsageError('flag.bad_range', `--sk-between ${a} ${b}: the first value sorts after the second`, 'Give the lower bound first');
      values[':k1'] = low;
      values[':k2'] = high;
      expression += ' AND #k1 BETWEEN :k1 AND :k2';
    } else {
      if (range.type !== 'S') throw new UsageError('key.bad_type', `--sk-before/--sk-after compare times; the sort key ${range.name} is not a string`);
      const before = condition.skBefore !== undefined;
      const flag = before ? '--sk-before' : '--sk-after';
      const bound = timeFlag((before ? condition.skBefore : condition.skAfter)!, flag, condition.zone);
      values[':k1'] = { S: wallBound(bound, before ? SLACK_MS : -SLACK_MS) };
      expression += before ? ' AND #k1 < :k1' : ' AND #k1 > :k1';
      const zone = condition.zone;
      keep = (item) => {
        const text = item[range.name]?.S;
        if (text === undefined || !isTime(text, zone)) return false;
        const instant = instantOf(text, zone);
        return before ? instant < bound : instant > bound;
      };
    }
  }
  if (condition.values !== undefined && condition.filter === undefined)
    throw new UsageError('flag.conflict', '--values goes with --filter', 'Give the filter expression that uses them');
  if (condition.filter !== undefined && condition.values !== undefined) {
    const extra = itemFromJson(parseJson(condition.values, '--values'), '--values');
    for (const name of Object.keys(extra)) {
      if (!name.startsWith(':')) throw new UsageError('value.bad_json', `--values keys are placeholders like ":v", got "${name}"`);
      if (name in values) throw new UsageError('flag.conflict', `--values may not use ${name}`, ":k0, :k1 and :k2 are the key condition's");
    }
    Object.assign(values, extra);
  }
  return {
    keys,
    keep,
    input: {
      TableName: shape.table,
      ...(keys.kind === 'table' ? {} : { IndexName: keys.name }),
      KeyConditionExpression: expression,
      ...(condition.filter !== undefined ? { FilterExpression: condition.filter } : {}),
      ExpressionAttributeNames: names,
      ExpressionAttributeValues: values,
      ScanIndexForward: !condition.desc,
    },
  };
}

/** The key attributes a LastEvaluatedKey holds for these keys: the index's and the table's. */
function keyOf(item: Item, shape: TableShape, keys: KeySchema): Item {
  const key: Item = {};
  for (const schema of [shape.primary, keys]) for (const part of [schema.hash, schema.range]) if (part && item[part.name]) key[part.name] = item[part.name]!;
  return key;
}

/** `--next` tokens: the typed LastEvaluatedKey, as base64url JSON. */
export function encodeToken(key: Item): string {
  return Buffer.from(JSON.stringify(encodeItem(key))).toString('base64url');
}

export function decodeToken(token: string): Item {
  try {
    const json = JSON.parse(Buffer.from(token, 'base64url').toString('utf8')) as Record<string, unknown>;
    return decodeItem(json);
  } catch {
    throw new UsageError('query.bad_next', 'The --next token does not read as one this tool printed', 'Copy it whole from the previous run\'s "more:" line');
  }
}

export interface QueryPages {
  limit?: number;
  next?: string;
  onNext?(token: string | undefined): void | Promise<void>;
}

export async function* keyQueryItems(client: DynamoDBClient, shape: TableShape, query: KeyQuery, options: QueryPages = {}): AsyncGenerator<Item> {
  let start = options.next === undefined ? undefined : decodeToken(options.next);
  let left = options.limit ?? Infinity;
  let token: string | undefined;
  let pageLimit = FIRST_PAGE;
  for (;;) {
    // Without an instant test here, asking for no more than is left keeps the token exact.
    const limit = query.keep === undefined ? Math.min(left, pageLimit) : pageLimit;
    const page = await client.send(new QueryCommand({ ...query.input, ExclusiveStartKey: start, Limit: limit }));
    const items = page.Items ?? [];
    pageLimit = nextPageLimit(items, pageLimit);
    for (let i = 0; i < items.length; i++) {
      const item = items[i]!;
      if (query.keep && !query.keep(item)) continue;
      left--;
      yield item;
      if (left <= 0) {
        // Stopped inside the page: resume after this item, unless it was the page's last and nothing follows.
        const last = i === items.length - 1;
        token = last && !page.LastEvaluatedKey ? undefined : encodeToken(keyOf(item, shape, query.keys));
        await options.onNext?.(token);
        return;
      }
    }
    start = page.LastEvaluatedKey;
    if (!start) break;
  }
  await options.onNext?.(undefined);
}
