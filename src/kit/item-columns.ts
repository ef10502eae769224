/** Table columns for DynamoDB items (scan, query) and for an item's change (put, update, delete). */
import type { AttributeValue } from '@aws-sdk/client-dynamodb';
import { attributeOrder, encodeValue } from '../transfer/typed-json.js';
import { record, rows, type Column, type Output, type OutputFormat } from './output.js';

type Item = Record<string, AttributeValue>;

/** One attribute as a cell: the text of a string or number, else its JSON (typed JSON with raw). */
export function cellText(attribute: AttributeValue | undefined, raw = false): string {
  if (attribute === undefined) return '';
  if (raw) return JSON.stringify(encodeValue(attribute));
  return attribute.S ?? attribute.N ?? (attribute.BOOL !== undefined ? String(attribute.BOOL) : JSON.stringify(attribute));
}

/**
 * Key attributes first, then every other attribute seen. The renderer fits them to the terminal
 * (`message`, when there is one, takes what is left); `--wide` shows every cell whole.
 */
export function itemColumns(items: Item[], raw: boolean): Column<Item>[] {
  const names = new Set<string>();
  for (const item of items) for (const name of Object.keys(item)) names.add(name);
  return attributeOrder([...names]).map((name) => ({
    header: name,
    flex: name === 'message',
    value: (item: Item) => cellText(item[name], raw),
  }));
}

export interface AttributeChange {
  /** `~` changed, `+` added, `-` removed, blank unchanged. */
  mark: string;
  attribute: string;
  before: string;
  after: string;
}

/** Every attribute of either side, with what happened to it: the diff a person reads. */
export function changeRows(before: Item | undefined, after: Item | undefined, raw = false): AttributeChange[] {
  const names = attributeOrder([...new Set([...Object.keys(before ?? {}), ...Object.keys(after ?? {})])]);
  return names.map((name) => {
    const old = before?.[name];
    const now = after?.[name];
    const mark = old === undefined ? '+' : now === undefined ? '-' : JSON.stringify(old) === JSON.stringify(now) ? ' ' : '~';
    return { mark, attribute: name, before: cellText(old, raw), after: cellText(now, raw) };
  });
}

export const CHANGE_COLUMNS: Column<AttributeChange>[] = [
  { header: ' ', value: (row) => row.mark, keep: true },
  { header: 'attribute', value: (row) => row.attribute, keep: true },
  { header: 'before', value: (row) => row.before, flex: true },
  { header: 'after', value: (row) => row.after, flex: true },
];

/**
 * What put, update and delete print: for people, the item's attributes before and after as a diff
 * table; for scripts, one `{before, after}` object (plain JSON, or typed with raw; null for a side
 * with no item).
 */
export function changeOutput(
  change: { before: Item | undefined; after: Item | undefined },
  format: OutputFormat,
  raw: boolean,
  itemJson: (item: Item) => string,
): Output {
  if (format === 'table') return rows({ rows: changeRows(change.before, change.after, raw), columns: CHANGE_COLUMNS, empty: 'No item before or after.' });
  const side = (item: Item | undefined) => (item === undefined ? null : (JSON.parse(itemJson(item)) as unknown));
  return record({ before: side(change.before), after: side(change.after) });
}
