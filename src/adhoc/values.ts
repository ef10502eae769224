/**
 * Values given on the command line or in a file, as plain JSON (the document client's form) or as
 * DynamoDB's typed JSON (`{"S": "text"}`, the AWS CLI's form), turned into typed attribute values.
 * One rule everywhere: an object is typed JSON when every value in it is an object with exactly one
 * type key (S, N, B, BOOL, NULL, SS, NS, BS, M, L); anything else is plain and marshalled.
 */
import type { AttributeValue } from '@aws-sdk/client-dynamodb';
import { marshall } from '@aws-sdk/util-dynamodb';
import { UsageError } from '../core/errors.js';
import { decodeItem, decodeValue, TypedJsonError, type Item } from '../transfer/typed-json.js';

const TYPE_KEYS = new Set(['S', 'N', 'B', 'BOOL', 'NULL', 'SS', 'NS', 'BS', 'M', 'L']);

/** `{"S": ...}` and its kin: one key, a type name. */
export function looksTyped(value: unknown): boolean {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return false;
  const keys = Object.keys(value);
  return keys.length === 1 && TYPE_KEYS.has(keys[0]!);
}

const isObject = (value: unknown): value is Record<string, unknown> => typeof value === 'object' && value !== null && !Array.isArray(value);

/** JSON text, or a one-line usage error naming where it came from. */
export function parseJson(text: string, what: string): unknown {
  try {
    return JSON.parse(text);
  } catch (error) {
    throw new UsageError('value.bad_json', `${what} is not valid JSON (${(error as Error).message})`, 'Quote it for the shell: \'{"pk": "MSG#..."}\'');
  }
}

function typedError(error: unknown, what: string): never {
  if (error instanceof TypedJsonError)
    throw new UsageError('value.bad_typed_json', `${what}: ${error.message}`, 'Typed JSON looks like {"S": "text"} or {"N": "12"}');
  throw error;
}

/** A whole item (put) or a map of values (`--values`): typed when every value is typed, else plain. */
export function itemFromJson(json: unknown, what: string): Item {
  if (!isObject(json)) throw new UsageError('value.bad_json', `${what} must be a JSON object`);
  const values = Object.values(json);
  if (values.length > 0 && values.every(looksTyped)) {
    try {
      return decodeItem(json);
    } catch (error) {
      typedError(error, what);
    }
  }
  return marshall(json, { removeUndefinedValues: true, convertClassInstanceToMap: false });
}

/** One value from a flag (`--pk`, `--param`): typed JSON when it is `{"S": ...}`-shaped, else the text itself, as `type` says. */
export function valueFromFlag(text: string, what: string, type: 'S' | 'N' | 'B' = 'S'): AttributeValue {
  const trimmed = text.trim();
  if (trimmed.startsWith('{')) {
    let json: unknown;
    try {
      json = JSON.parse(trimmed);
    } catch {
      json = undefined;
    }
    if (looksTyped(json)) {
      try {
        return decodeValue(json, what);
      } catch (error) {
        typedError(error, what);
      }
    }
  }
  if (type === 'N') {
    if (!/^-?(\d+\.?\d*|\.\d+)([eE][-+]?\d+)?$/.test(trimmed)) throw new UsageError('key.bad_type', `${what} must be a number for this key, got "${text}"`);
    return { N: trimmed };
  }
  if (type === 'B') return decodeValue({ B: trimmed }, what);
  return { S: text };
}

/** `a=b` of `--set`/`--add`: the value is JSON when it parses as JSON (5, true, "5", [..], {..}), else the text. */
export function assignment(text: string, flag: string): { name: string; value: unknown } {
  const at = text.indexOf('=');
  if (at <= 0) throw new UsageError('value.bad_assignment', `${flag} takes name=value, got "${text}"`, `e.g. ${flag} message=hello`);
  const name = text.slice(0, at);
  const raw = text.slice(at + 1);
  let value: unknown = raw;
  try {
    value = JSON.parse(raw);
  } catch {
    // Not JSON: the text as it is (`--set message=hello`).
  }
  return { name, value };
}

/** A plain value (from `--set`) as a typed one; typed JSON stays as given. */
export function attributeValue(value: unknown, what: string): AttributeValue {
  if (looksTyped(value)) {
    try {
      return decodeValue(value, what);
    } catch (error) {
      typedError(error, what);
    }
  }
  return marshall({ v: value }, { removeUndefinedValues: true }).v!;
}

/** A key attribute's value from a flag: as valueFromFlag, and typed JSON of another type than the key's is refused here (DynamoDB says only "Condition parameter type does not match schema type"). */
export function keyValue(text: string, what: string, type: 'S' | 'N' | 'B'): AttributeValue {
  const value = valueFromFlag(text, what, type);
  const given = Object.keys(value)[0];
  if (given !== type)
    throw new UsageError(
      'key.bad_type',
      `${what} is of type ${given}, but this key attribute is of type ${type}`,
      type === 'S' ? 'Give it as plain text' : `Give it as typed JSON: '{"${type}": "..."}'`,
    );
  return value;
}
