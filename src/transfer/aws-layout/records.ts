/**
 * One line of a data file of AWS's export, as the docs write them:
 *   full export         {"Item":{...typed JSON...}}
 *   incremental export  {"Metadata":{"WriteTimestampMicros":{"N":"1680109764000000"}},"Keys":{...},
 *                        "NewImage":{...},"OldImage":{...}}   (no NewImage: the item was deleted)
 */
import { LineError } from '../format.js';
import { decodeItem, TypedJsonError, type Item } from '../typed-json.js';

export type ExportRecord = { kind: 'put'; item: Item } | { kind: 'change'; keys: Item; newImage: Item | undefined; micros: bigint };

const isObject = (value: unknown): value is Record<string, unknown> => typeof value === 'object' && value !== null && !Array.isArray(value);

function decoded(json: unknown, what: string): Item {
  if (!isObject(json)) throw new LineError(`${what} is not an object of typed attributes`);
  try {
    return decodeItem(json);
  } catch (error) {
    if (error instanceof TypedJsonError) throw new LineError(`${what}: ${error.message}`);
    throw error;
  }
}

/** WriteTimestampMicros: typed ({"N":"..."}) as the docs show it, or a bare number or numeric string. */
function micros(value: unknown): bigint {
  const text = isObject(value) ? value.N : value;
  if ((typeof text === 'string' && /^\d{1,20}$/.test(text)) || (typeof text === 'number' && Number.isSafeInteger(text) && text >= 0)) return BigInt(text);
  throw new LineError('Metadata.WriteTimestampMicros is not a whole number of microseconds');
}

export function parseRecord(text: string, incremental: boolean): ExportRecord {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (error) {
    throw new LineError(`not JSON (${(error as Error).message})`);
  }
  if (!isObject(json)) throw new LineError('not a JSON object');
  if (!incremental) {
    if (!('Item' in json)) throw new LineError('expected {"Item": {...}} (a full export)');
    return { kind: 'put', item: decoded(json.Item, 'Item') };
  }
  if (!isObject(json.Metadata) || !('Keys' in json))
    throw new LineError('expected {"Metadata":{"WriteTimestampMicros":...},"Keys":{...},"NewImage":{...}} (an incremental export)');
  const keys = decoded(json.Keys, 'Keys');
  const newImage = json.NewImage === undefined || json.NewImage === null ? undefined : decoded(json.NewImage, 'NewImage');
  return { kind: 'change', keys, newImage, micros: micros(json.Metadata.WriteTimestampMicros) };
}
