/**
 * The page's query box and item view, through the same services as `query`, `put` and `delete`
 * (src/adhoc): a PartiQL statement or a key condition, one page at a time; one item put back as edited,
 * or deleted. The box only reads (a PartiQL write is refused: writes go through the item view, which the
 * server offers only locally).
 */
import type { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { UsageError } from '../core/errors.js';
import { plainItemJson } from '../aws/plain-json.js';
import type { Item } from '../transfer/typed-json.js';
import { checkParameters, isWriteStatement, statementItems } from '../adhoc/partiql.js';
import { buildKeyQuery, keyQueryItems } from '../adhoc/key-query.js';
import { keysFor, loadShape } from '../adhoc/shape.js';
import { itemFromJson, valueFromFlag } from '../adhoc/values.js';
import { checkItemKeys, checkModel, checkSize, deleteItem, keyFromFlags, putItem } from '../adhoc/item.js';

/** Items a query page shows: a screenful, and the next page is a click away. */
export const QUERY_PAGE = 50;

export interface QueryRequest {
  /** A PartiQL statement (a SELECT); else the key condition below. */
  statement?: string;
  params?: string[];
  pk?: string;
  skBegins?: string;
  index?: string;
  desc?: boolean;
  cursor?: string;
}

export interface ItemsPage {
  /** Plain JSON values, as `query -o json` prints them. */
  items: unknown[];
  /** DynamoDB's typed JSON, for the items panel. */
  raw: Item[];
  cursor: string | null;
  query: unknown;
}

const plain = (item: Item | undefined): unknown => (item ? JSON.parse(plainItemJson(item)) : null);

const text = (value: unknown, what: string): string | undefined => {
  if (value === undefined || value === null || value === '') return undefined;
  if (typeof value !== 'string') throw new UsageError('value.bad_json', `${what} must be text`);
  return value;
};

/** One page of a statement or a key condition on `table`. */
export async function queryFromPage(client: DynamoDBClient, table: string, body: Record<string, unknown>, zone: string): Promise<ItemsPage> {
  const request: QueryRequest = {
    statement: text(body.statement, 'statement'),
    params: Array.isArray(body.params) ? body.params.map((p, i) => String(text(p, `parameter ${i + 1}`) ?? '')) : [],
    pk: text(body.pk, 'the partition key'),
    skBegins: text(body.skBegins, 'the sort key prefix'),
    index: text(body.index, 'the index'),
    desc: body.desc === true,
    cursor: text(body.cursor, 'the cursor'),
  };
  let token: string | undefined;
  const onNext = (next: string | undefined) => {
    token = next;
  };
  let items: AsyncGenerator<Item>;
  let query: unknown;
  if (request.statement !== undefined) {
    if (isWriteStatement(request.statement))
      throw new UsageError('query.read_only', 'The query box only reads: INSERT, UPDATE and DELETE are not run here', 'Open an item to change it');
    const parameters = (request.params ?? []).map((value, i) => valueFromFlag(value, `parameter ${i + 1}`));
    checkParameters(request.statement, parameters);
    query = { Statement: request.statement, Parameters: parameters };
    items = statementItems(client, request.statement, parameters, { limit: QUERY_PAGE, next: request.cursor, onNext });
  } else {
    if (request.pk === undefined) throw new UsageError('key.missing', 'Give a PartiQL statement or a partition key');
    const shape = await loadShape(client, table);
    const built = buildKeyQuery(shape, keysFor(shape, request.index), { pk: request.pk, skBegins: request.skBegins, desc: request.desc === true, zone });
    query = built.input;
    items = keyQueryItems(client, shape, built, { limit: QUERY_PAGE, next: request.cursor, onNext });
  }
  const raw: Item[] = [];
  for await (const item of items) raw.push(item);
  return { items: raw.map(plain), raw, cursor: token ?? null, query };
}

export interface PageChange {
  before: unknown;
  after: unknown;
  warnings: string[];
}

/** Puts the item as edited on the page (plain or typed JSON), with the checks `put` makes; `force` as `put --force`. */
export async function putFromPage(client: DynamoDBClient, table: string, json: unknown, zone: string, force: boolean): Promise<PageChange> {
  const item = itemFromJson(json, 'The item');
  checkSize(item);
  const warnings: string[] = [];
  checkModel(item, zone, force, (line) => warnings.push(line));
  checkItemKeys(await loadShape(client, table), item);
  const change = await putItem(client, table, item, {});
  return { before: plain(change.before), after: plain(change.after), warnings };
}

/** Deletes the item of this key (its partition and sort key values), as `delete --pk --sk` does. */
export async function deleteFromPage(client: DynamoDBClient, table: string, pk: unknown, sk: unknown): Promise<PageChange> {
  const key = keyFromFlags(await loadShape(client, table), text(pk, 'pk'), text(sk, 'sk'));
  const change = await deleteItem(client, table, key, {});
  return { before: plain(change.before), after: null, warnings: [] };
}
