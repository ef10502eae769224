/** Plain JSON for DynamoDB values: sets become arrays, binary becomes base64, big numbers stay exact. */
import type { AttributeValue } from '@aws-sdk/client-dynamodb';
import { unmarshall } from '@aws-sdk/util-dynamodb';

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

/**
 * The item's attributes in a fixed order: the keys first (`pk`, `sk`), then the rest sorted. DynamoDB
 * returns them in no particular order (`pk` lands mid-object), so two dumps of the same data would
 * not diff cleanly without this.
 */
export function keysFirst<T>(item: Record<string, T>): Record<string, T> {
  const names = Object.keys(item).sort((a, b) => keyRank(a) - keyRank(b) || (a < b ? -1 : a > b ? 1 : 0));
  const ordered: Record<string, T> = {};
  for (const name of names) ordered[name] = item[name]!;
  return ordered;
}

function keyRank(name: string): number {
  return name === 'pk' ? 0 : name === 'sk' ? 1 : 2;
}

/** A DynamoDB item as the plain JSON text a person or a script expects (scan's output). */
export function plainItemJson(item: Record<string, AttributeValue>): string {
  return JSON.stringify(keysFirst(unmarshall(item, { wrapNumbers: toNumber })), replacer);
}

/** The item in DynamoDB's typed JSON (`{"S": ...}`), keys first like plainItemJson. */
export function rawItemJson(item: Record<string, AttributeValue>): string {
  return JSON.stringify(keysFirst(item), replacer);
}
