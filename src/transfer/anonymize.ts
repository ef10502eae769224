/**
 * `copy --anonymize`: replaces who said what with deterministic pseudonyms, so a slice of prod can be
 * debugged at home without carrying people's handles, names or words.
 *
 * Each pseudonym is a keyed hash (HMAC-SHA256 with the salt) of the original value, so the same
 * input always gives the same output: a handle stays one person across all of their items, and a
 * group item's `message` (the conversation's last text) still equals that message's own pseudonym,
 * so conversations stay conversations. Keys, uuids and times are kept as they are: they are the
 * structure, not the content. With the default salt a guessed handle can be checked against its
 * pseudonym; pass a secret `--salt` when that matters.
 */
import { createHmac } from 'node:crypto';
import type { AttributeValue } from '@aws-sdk/client-dynamodb';
import type { Item } from './typed-json.js';

export const DEFAULT_SALT = 'cruddur-anonymize';

/** The attributes that hold people's content: the table's (README.md, "The data model") and the backend's JSON names. */
export const HANDLE_ATTRIBUTES = ['user_handle', 'handle'];
export const NAME_ATTRIBUTES = ['user_display_name', 'display_name'];
export const TEXT_ATTRIBUTES = ['message'];

// Words chosen to be nobody's name or handle.
const COLOURS = ['amber', 'azure', 'coral', 'cyan', 'ember', 'fern', 'flint', 'frost', 'gold', 'indigo', 'ivory', 'jade', 'khaki', 'lilac', 'lime', 'maple'];
const ANIMALS = [
  'otter',
  'heron',
  'lynx',
  'marten',
  'puffin',
  'badger',
  'ibis',
  'gecko',
  'koala',
  'lemur',
  'newt',
  'okapi',
  'quokka',
  'tapir',
  'vole',
  'wombat',
];
const WORDS = (
  'lorem ipsum dolor sit amet consectetur adipiscing elit sed do eiusmod tempor incididunt ut labore et dolore magna aliqua enim ad minim ' +
  'veniam quis nostrud exercitation ullamco laboris nisi aliquip ex ea commodo consequat duis aute irure in reprehenderit voluptate velit esse'
).split(' ');

const capital = (word: string) => word[0]!.toUpperCase() + word.slice(1);

export interface Anonymizer {
  handle(value: string): string;
  name(value: string): string;
  text(value: string): string;
  item(item: Item): Item;
}

export function createAnonymizer(salt: string = DEFAULT_SALT): Anonymizer {
  const digest = (kind: string, value: string) => createHmac('sha256', salt).update(`${kind}\0${value}`).digest();

  const handle = (value: string) => {
    const hash = digest('handle', value);
    // 40 bits of the hash: two different handles sharing a pseudonym is a one-in-a-trillion event.
    return `${ANIMALS[hash[0]! % ANIMALS.length]}${hash.subarray(1, 6).toString('hex')}`;
  };
  const name = (value: string) => {
    const hash = digest('name', value);
    return `${capital(COLOURS[hash[0]! % COLOURS.length]!)} ${capital(ANIMALS[hash[1]! % ANIMALS.length]!)} ${hash.readUInt16BE(2) % 1000}`;
  };
  /** As many words as the original (up to 200), so sizes and line lengths stay realistic. */
  const text = (value: string) => {
    if (value === '') return '';
    const count = Math.min(200, Math.max(1, value.trim().split(/\s+/).length));
    const words: string[] = [];
    let hash = digest('text', value);
    for (let i = 0; i < count; i++) {
      if (i > 0 && i % 32 === 0) hash = digest('text', `${value}\0${i}`);
      words.push(WORDS[hash[i % 32]! % WORDS.length]!);
    }
    return capital(words.join(' ')) + '.';
  };

  /**
   * Every string inside the value: a handle stored as a list, a set or a map is still a handle.
   * Numbers, binary and booleans carry no words and are kept. A string set stays a set: two members
   * that share a pseudonym become one (DynamoDB refuses a set with a member twice).
   */
  const replace = (value: AttributeValue, change: (text: string) => string): AttributeValue => {
    if (value.S !== undefined) return { S: change(value.S) };
    if (value.SS !== undefined) return { SS: [...new Set(value.SS.map(change))] };
    if (value.L !== undefined) return { L: value.L.map((inner) => replace(inner, change)) };
    if (value.M !== undefined) return { M: Object.fromEntries(Object.entries(value.M).map(([key, inner]) => [key, replace(inner, change)])) };
    return value;
  };
  const rules: Array<[string[], (text: string) => string]> = [
    [HANDLE_ATTRIBUTES, handle],
    [NAME_ATTRIBUTES, name],
    [TEXT_ATTRIBUTES, text],
  ];
  const item = (original: Item): Item => {
    const copy: Item = { ...original };
    for (const [names, change] of rules) for (const attribute of names) if (copy[attribute]) copy[attribute] = replace(copy[attribute], change);
    return copy;
  };
  return { handle, name, text, item };
}
