/**
 * The opaque paging cursor: the one codec of the project (base64url JSON). The access patterns carry
 * DynamoDB's LastEvaluatedKey in it; callers pass it back unchanged; it is tied to the partition it
 * came from, so a cursor of another list is refused rather than silently reading the wrong
 * conversation. Other lists (the ui's users) put their own position in it through encodeToken.
 */

/** A cursor that is not one this library produced for the same list. */
export class InvalidCursorError extends Error {
  constructor(reason: string) {
    super(`Invalid cursor: ${reason}`);
    this.name = 'InvalidCursorError';
  }
}

/** Any JSON value as an opaque cursor. */
export function encodeToken(value: unknown): string {
  return Buffer.from(JSON.stringify(value), 'utf8').toString('base64url');
}

/** What encodeToken wrote; garbage is an InvalidCursorError. The caller checks the shape it expects. */
export function decodeToken(cursor: string): unknown {
  try {
    return JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
  } catch {
    throw new InvalidCursorError('not a cursor from this list');
  }
}

/** A key whose attributes are all strings (what a cursor of this table holds), or undefined. */
export function stringKey(value: unknown): Record<string, string> | undefined {
  if (!value || typeof value !== 'object' || Array.isArray(value)) return undefined;
  const entries = Object.entries(value as Record<string, unknown>);
  return entries.every(([, v]) => typeof v === 'string') ? Object.fromEntries(entries as [string, string][]) : undefined;
}

/** The document client's LastEvaluatedKey (plain values) as a cursor. */
export function encodeCursor(lastEvaluatedKey: Record<string, unknown> | undefined): string | undefined {
  if (!lastEvaluatedKey) return undefined;
  for (const [name, value] of Object.entries(lastEvaluatedKey)) {
    if (typeof value !== 'string') throw new InvalidCursorError(`key attribute ${name} is not a string`);
  }
  return encodeToken(lastEvaluatedKey);
}

/** The ExclusiveStartKey (plain, for the document client) a cursor stands for; `pk` is the partition the caller is listing. */
export function decodeCursor(cursor: string | undefined, pk: string): Record<string, string> | undefined {
  if (cursor === undefined || cursor === '') return undefined;
  const key = stringKey(decodeToken(cursor));
  if (!key) throw new InvalidCursorError('not a cursor from this list');
  if (key.pk !== pk || typeof key.sk !== 'string') throw new InvalidCursorError('it belongs to another list');
  return key;
}
