/**
 * The opaque paging cursor: DynamoDB's LastEvaluatedKey, as base64url JSON. Callers pass it back
 * unchanged; it is tied to the partition it came from, so a cursor of another list is refused rather
 * than silently reading the wrong conversation.
 */
/** A cursor that is not one this library produced for the same list. */
export class InvalidCursorError extends Error {
  constructor(reason: string) {
    super(`Invalid cursor: ${reason}`);
    this.name = 'InvalidCursorError';
  }
}

/** The document client's LastEvaluatedKey (plain values) as a cursor. */
export function encodeCursor(lastEvaluatedKey: Record<string, unknown> | undefined): string | undefined {
  if (!lastEvaluatedKey) return undefined;
  for (const [name, value] of Object.entries(lastEvaluatedKey)) {
    if (typeof value !== 'string') throw new InvalidCursorError(`key attribute ${name} is not a string`);
  }
  return Buffer.from(JSON.stringify(lastEvaluatedKey), 'utf8').toString('base64url');
}

/** The ExclusiveStartKey (plain, for the document client) a cursor stands for; `pk` is the partition the caller is listing. */
export function decodeCursor(cursor: string | undefined, pk: string): Record<string, string> | undefined {
  if (cursor === undefined || cursor === '') return undefined;
  let plain: unknown;
  try {
    plain = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
  } catch {
    throw new InvalidCursorError('not a cursor from this list');
  }
  if (!plain || typeof plain !== 'object' || Array.isArray(plain)) throw new InvalidCursorError('not a cursor from this list');
  const entries = Object.entries(plain as Record<string, unknown>);
  if (!entries.every(([, value]) => typeof value === 'string')) throw new InvalidCursorError('not a cursor from this list');
  const key = Object.fromEntries(entries as [string, string][]);
  if (key.pk !== pk || typeof key.sk !== 'string') throw new InvalidCursorError('it belongs to another list');
  return key;
}
