/** Plain JSON for DynamoDB values: sets become arrays, binary becomes base64, big numbers stay exact. */
import type { AttributeValue } from '@aws-sdk/client-dynamodb';
import { unmarshall } from '@aws-sdk/util-dynamodb';
import { attributeOrder } from '../transfer/typed-json.js';

/** Numbers that a JavaScript number holds exactly become numbers; others stay strings, unrounded. */
function toNumber(text: string): number | string {
  const value = Number(text);
  return Number.isFinite(value) && String(value) === text.replace(/^(-?)0+(?=\d)/, '$1') ? value : text;
}

function replacer(_key: string, value: unknown): unknown {
  if (value instanceof Set) return [...value];
  if (value instanceof Uint8Array) return Buffer.from(value).toString('base64');
  return value;
}

/** The item's attributes in the order every item is printed (attributeOrder: `pk`, `sk`, then the rest sorted). */
export function keysFirst<T>(item: Record<string, T>): Record<string, T> {
  const ordered: Record<string, T> = {};
  for (const name of attributeOrder(Object.keys(item))) ordered[name] = item[name]!;
  return ordered;
}

/** A DynamoDB item as the plain JSON text a person or a script expects (scan's output; `--raw` prints typedItemJson). */
export function plainItemJson(item: Record<string, AttributeValue>): string {
  return JSON.stringify(keysFirst(unmarshall(item, { wrapNumbers: toNumber })), replacer);
}
