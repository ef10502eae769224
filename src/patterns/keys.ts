/**
 * Keys and times of the messages table (DESIGN.md, "The data model"), shared by the access patterns,
 * the seed and the stream handler, so every writer produces the same strings as the Flask backend.
 */

export const GROUP_PREFIX = 'GRP#';
export const MESSAGE_PREFIX = 'MSG#';

/** pk of a user's message-group items: `GRP#<owner user_uuid>`. */
export const groupPk = (userUuid: string): string => `${GROUP_PREFIX}${userUuid}`;
/** pk of a conversation's messages: `MSG#<message_group_uuid>`. */
export const messagePk = (messageGroupUuid: string): string => `${MESSAGE_PREFIX}${messageGroupUuid}`;

/** The message group uuid of a `MSG#` pk, or undefined for any other pk. */
export function groupUuidOfMessagePk(pk: string): string | undefined {
  return pk.startsWith(MESSAGE_PREFIX) ? pk.slice(MESSAGE_PREFIX.length) : undefined;
}

/**
 * A time in the one fixed-width UTC form the backend writes (Python's
 * `datetime.now(timezone.utc).isoformat()`): `2026-11-25T03:07:49.788804+00:00`, six fractional digits.
 * Keys compare as strings, so one form everywhere keeps conversations in order.
 *
 * `micros` (0-999) adds the microseconds a JavaScript Date cannot hold.
 */
export function skTime(date: Date, micros = 0): string {
  if (Number.isNaN(date.getTime())) throw new RangeError('Invalid date');
  if (!Number.isInteger(micros) || micros < 0 || micros > 999) throw new RangeError(`micros must be 0-999, got ${micros}`);
  const iso = date.toISOString(); // 2026-11-25T03:07:49.788Z
  return `${iso.slice(0, 23)}${String(micros).padStart(3, '0')}+00:00`;
}

const SK_TIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{6}\+00:00$/;

/** Whether a string is in the fixed-width form (what sorts correctly as a key). */
export function isSkTime(value: string): boolean {
  return SK_TIME.test(value);
}

/**
 * Parses any ISO-8601 time (the fixed form, `Z`, other offsets, 0-9 fractional digits) for display.
 * Returns the Date and the microseconds past its millisecond.
 */
export function parseTime(value: string): { date: Date; micros: number } {
  const match = /^(.*T\d{2}:\d{2}:\d{2})(?:\.(\d+))?(Z|[+-]\d{2}:?\d{2})?$/.exec(value.trim());
  if (!match) {
    const date = new Date(value);
    if (Number.isNaN(date.getTime())) throw new RangeError(`Not an ISO-8601 time: "${value}"`);
    return { date, micros: 0 };
  }
  const fraction = (match[2] ?? '').padEnd(6, '0');
  const date = new Date(`${match[1]}.${fraction.slice(0, 3)}${match[3] ?? 'Z'}`);
  if (Number.isNaN(date.getTime())) throw new RangeError(`Not an ISO-8601 time: "${value}"`);
  return { date, micros: Number(fraction.slice(3, 6)) };
}

/** Any ISO-8601 time rewritten in the fixed-width key form. */
export function toSkTime(value: string): string {
  const { date, micros } = parseTime(value);
  return skTime(date, micros);
}

/** The next microsecond after a fixed-width time: used to retry a colliding message key. */
export function nextMicrosecond(value: string): string {
  const { date, micros } = parseTime(value);
  return micros < 999 ? skTime(date, micros + 1) : skTime(new Date(date.getTime() + 1), 0);
}
