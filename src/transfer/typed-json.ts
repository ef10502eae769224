/**
 * DynamoDB's typed JSON ({"S": "text"}, {"N": "12.5"}, {"B": "<base64>"}, ...), the form the AWS CLI
 * prints and DynamoDB's own export to S3 writes, so an export file loses nothing: numbers stay the
 * exact decimal strings DynamoDB stores (up to 38 digits, beyond a double), binary is base64, sets stay
 * sets. (Data types: https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/HowItWorks.NamingRulesDataTypes.html)
 *
 * Encoding puts attribute names in one order (`pk` and `sk` first, then the rest sorted) and sorts set
 * members, so the same table always prints to the same text: two exports, or an export and a
 * `scan --raw`, can be compared with `diff` (sets have no order in DynamoDB, so nothing is lost by it).
 * typedItemJson is the one writer of an item in this form.
 */
import type { AttributeValue } from '@aws-sdk/client-dynamodb';

export type Item = Record<string, AttributeValue>;

const base64 = (bytes: Uint8Array) => Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('base64');
const sorted = (values: string[]) => [...values].sort();

/** One attribute value as a plain JSON-able object. */
export function encodeValue(value: AttributeValue): unknown {
  if (value.S !== undefined) return { S: value.S };
  if (value.N !== undefined) return { N: value.N };
  if (value.B !== undefined) return { B: base64(value.B) };
  if (value.BOOL !== undefined) return { BOOL: value.BOOL };
  if (value.NULL !== undefined) return { NULL: true };
  if (value.SS !== undefined) return { SS: sorted(value.SS) };
  if (value.NS !== undefined) return { NS: sorted(value.NS) };
  if (value.BS !== undefined) return { BS: sorted(value.BS.map(base64)) };
  if (value.M !== undefined) return { M: encodeItem(value.M) };
  if (value.L !== undefined) return { L: value.L.map(encodeValue) };
  throw new Error(`unknown attribute type ${Object.keys(value).join(',')}`);
}

/**
 * Attribute names in the order every item is printed: the keys `pk` and `sk` first, then the others
 * sorted. DynamoDB returns them in no particular order (`pk` lands mid-object), so two dumps of the
 * same data would not diff cleanly without this.
 */
export function attributeOrder(names: string[]): string[] {
  const sorted = names.sort();
  const sk = sorted.indexOf('sk');
  if (sk > 0) sorted.unshift(...sorted.splice(sk, 1));
  const pk = sorted.indexOf('pk');
  if (pk > 0) sorted.unshift(...sorted.splice(pk, 1));
  return sorted;
}

/** An item as a JSON-able object, keys in attributeOrder. */
export function encodeItem(item: Item): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const name of attributeOrder(Object.keys(item))) out[name] = encodeValue(item[name]!);
  return out;
}

/** The item as one line of DynamoDB's typed JSON: what `scan --raw` prints and an export line wraps. */
export function typedItemJson(item: Item): string {
  return JSON.stringify(encodeItem(item));
}

/** A value in typed JSON that is not one: the path says where ("message.M.text"). */
export class TypedJsonError extends Error {}

const isObject = (value: unknown): value is Record<string, unknown> => typeof value === 'object' && value !== null && !Array.isArray(value);

function strings(value: unknown, path: string): string[] {
  if (!Array.isArray(value) || value.length === 0 || !value.every((v) => typeof v === 'string'))
    throw new TypedJsonError(`${path} must be a non-empty list of strings`);
  return value as string[];
}

function bytes(text: unknown, path: string): Uint8Array {
  if (typeof text !== 'string' || !/^[A-Za-z0-9+/]*={0,2}$/.test(text)) throw new TypedJsonError(`${path} must be base64 text`);
  return new Uint8Array(Buffer.from(text, 'base64'));
}

function number(text: unknown, path: string): string {
  // DynamoDB's numbers: decimal text, an optional exponent; checked here so a typo stops at its line.
  if (typeof text !== 'string' || !/^-?(\d+\.?\d*|\.\d+)([eE][-+]?\d+)?$/.test(text)) throw new TypedJsonError(`${path} must be a number as text`);
  return text;
}

/** DynamoDB nests lists and maps at most 32 levels deep (https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/ServiceQuotas.html#limits-attributes). */
export const MAX_DEPTH = 32;

/** The reverse of encodeValue, checking the shape as it goes; `depth` counts the lists and maps around it. */
export function decodeValue(json: unknown, path: string, depth = 0): AttributeValue {
  // Checked before going deeper, so a line nested 20,000 levels is refused, not a stack overflow.
  if (depth > MAX_DEPTH) throw new TypedJsonError(`${path} is nested deeper than ${MAX_DEPTH} levels, DynamoDB's limit`);
  if (!isObject(json)) throw new TypedJsonError(`${path} must be an object like {"S": "text"}`);
  const types = Object.keys(json);
  if (types.length !== 1) throw new TypedJsonError(`${path} must have exactly one type key (S, N, B, BOOL, NULL, SS, NS, BS, M or L)`);
  const type = types[0]!;
  const inner = json[type];
  switch (type) {
    case 'S':
      if (typeof inner !== 'string') throw new TypedJsonError(`${path}.S must be a string`);
      return { S: inner };
    case 'N':
      return { N: number(inner, `${path}.N`) };
    case 'B':
      return { B: bytes(inner, `${path}.B`) };
    case 'BOOL':
      if (typeof inner !== 'boolean') throw new TypedJsonError(`${path}.BOOL must be true or false`);
      return { BOOL: inner };
    case 'NULL':
      if (inner !== true) throw new TypedJsonError(`${path}.NULL must be true`);
      return { NULL: true };
    case 'SS':
      return { SS: strings(inner, `${path}.SS`) };
    case 'NS':
      return { NS: strings(inner, `${path}.NS`).map((n, i) => number(n, `${path}.NS[${i}]`)) };
    case 'BS':
      return { BS: strings(inner, `${path}.BS`).map((b, i) => bytes(b, `${path}.BS[${i}]`)) };
    case 'M':
      if (!isObject(inner)) throw new TypedJsonError(`${path}.M must be an object`);
      return { M: decodeItem(inner, `${path}.M`, depth + 1) };
    case 'L':
      if (!Array.isArray(inner)) throw new TypedJsonError(`${path}.L must be a list`);
      return { L: inner.map((v, i) => decodeValue(v, `${path}.L[${i}]`, depth + 1)) };
    default:
      throw new TypedJsonError(`${path} has unknown type "${type}"`);
  }
}

export function decodeItem(json: Record<string, unknown>, path = '', depth = 0): Item {
  const item: Item = {};
  for (const [name, value] of Object.entries(json)) item[name] = decodeValue(value, path ? `${path}.${name}` : name, depth);
  return item;
}
