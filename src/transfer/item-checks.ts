/**
 * What DynamoDB would refuse in an item, found before it is sent, so `import` can name the line:
 * BatchWriteItem refuses a whole batch of 25 with one ValidationException that names no item.
 * The rules (https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/ServiceQuotas.html,
 * .../HowItWorks.NamingRulesDataTypes.html): every key attribute present with its declared type and
 * not empty; an index key attribute, when present, of its declared type and not empty; at most 400 KB
 * an item; numbers of at most 38 significant digits between 1E-130 and 9.99…E+125; no set member
 * twice. Whatever this misses, DynamoDB still refuses, and import then finds the item by itself.
 */
import type { AttributeValue, CreateTableCommandInput } from '@aws-sdk/client-dynamodb';
import type { Item } from './typed-json.js';

export const MAX_ITEM_BYTES = 400 * 1024;

export interface KeyRules {
  /** The table's key attributes: required. */
  key: string[];
  /** Every key attribute of the table and its indexes, with its declared type (S, N or B). */
  types: Record<string, string>;
}

export function keyRulesOf(table: CreateTableCommandInput): KeyRules {
  const types: Record<string, string> = {};
  for (const definition of table.AttributeDefinitions ?? [])
    if (definition.AttributeName && definition.AttributeType) types[definition.AttributeName] = definition.AttributeType;
  return { key: (table.KeySchema ?? []).map((element) => element.AttributeName ?? ''), types };
}

const typeOf = (value: AttributeValue) => Object.keys(value).find((type) => (value as unknown as Record<string, unknown>)[type] !== undefined) ?? '?';

/** What is wrong with a DynamoDB number, or undefined. */
export function numberProblem(text: string): string | undefined {
  const match = /^-?(\d*)(?:\.(\d*))?(?:[eE]([-+]?\d+))?$/.exec(text);
  if (!match) return `"${text}" is not a number`;
  const whole = (match[1] ?? '').replace(/^0+/, '');
  const fraction = match[2] ?? '';
  const exponent = Number(match[3] ?? '0');
  const digits = (whole + fraction).replace(/^0+/, '');
  if (digits === '') return undefined; // zero
  if (digits.replace(/0+$/, '').length > 38) return `${text} has more than 38 significant digits`;
  // The number is 0.d1d2… × 10^magnitude.
  const magnitude = whole !== '' ? whole.length + exponent : exponent - (fraction.length - fraction.replace(/^0+/, '').length);
  if (magnitude > 126) return `${text} is larger than DynamoDB's 9.99…E+125`;
  if (magnitude < -129) return `${text} is closer to zero than DynamoDB's 1E-130`;
  return undefined;
}

function utf8(text: string): number {
  return Buffer.byteLength(text, 'utf8');
}

/** DynamoDB's size of a value (the item size rules; a number counts about one byte per two digits). */
function sizeOf(value: AttributeValue): number {
  if (value.S !== undefined) return utf8(value.S);
  if (value.N !== undefined) return Math.ceil(value.N.replace(/[^0-9]/g, '').length / 2) + 1;
  if (value.B !== undefined) return value.B.byteLength;
  if (value.BOOL !== undefined || value.NULL !== undefined) return 1;
  if (value.SS !== undefined) return value.SS.reduce((sum, member) => sum + utf8(member), 0);
  if (value.NS !== undefined) return value.NS.reduce((sum, member) => sum + sizeOf({ N: member }), 0);
  if (value.BS !== undefined) return value.BS.reduce((sum, member) => sum + member.byteLength, 0);
  if (value.L !== undefined) return 3 + value.L.reduce((sum, inner) => sum + 1 + sizeOf(inner), 0);
  if (value.M !== undefined) return 3 + Object.entries(value.M).reduce((sum, [name, inner]) => sum + 1 + utf8(name) + sizeOf(inner), 0);
  return 0;
}

export function itemSize(item: Item): number {
  return Object.entries(item).reduce((sum, [name, value]) => sum + utf8(name) + sizeOf(value), 0);
}

function valueProblem(value: AttributeValue, path: string): string | undefined {
  if (value.N !== undefined) return numberProblem(value.N);
  if (value.NS !== undefined) {
    for (const member of value.NS) {
      const problem = numberProblem(member);
      if (problem) return `${path}: ${problem}`;
    }
  }
  for (const set of [value.SS, value.NS, value.BS?.map((bytes) => Buffer.from(bytes).toString('base64'))]) {
    if (set && new Set(set).size !== set.length) return `${path} is a set with a member twice`;
  }
  if (value.L)
    for (const [i, inner] of value.L.entries()) {
      const problem = valueProblem(inner, `${path}[${i}]`);
      if (problem) return problem;
    }
  if (value.M)
    for (const [name, inner] of Object.entries(value.M)) {
      const problem = valueProblem(inner, `${path}.${name}`);
      if (problem) return problem;
    }
  return undefined;
}

/** The first thing DynamoDB would refuse in `item`, in words, or undefined. */
export function itemProblem(item: Item, rules: KeyRules): string | undefined {
  for (const name of rules.key) if (!item[name]) return `the key attribute ${name} is missing`;
  for (const [name, type] of Object.entries(rules.types)) {
    const value = item[name];
    if (!value) continue;
    const has = typeOf(value);
    if (has !== type) return `the key attribute ${name} is of type ${has}, but the table declares ${type}`;
    if ((value.S ?? '') === '' && type === 'S') return `the key attribute ${name} is an empty string`;
    if (type === 'B' && value.B?.byteLength === 0) return `the key attribute ${name} is empty`;
  }
  for (const [name, value] of Object.entries(item)) {
    const problem = valueProblem(value, name);
    if (problem) return problem.startsWith(name) ? problem : `${name}: ${problem}`;
  }
  const size = itemSize(item);
  if (size > MAX_ITEM_BYTES) return `the item is ${(size / 1024).toFixed(1)} KB; DynamoDB takes at most 400 KB an item`;
  return undefined;
}
