/**
 * The time rule (docs/time.md). The real backend writes three forms into `sk`:
 *   - `create_message`: `datetime.now().isoformat()`: LOCAL wall-clock time with NO offset
 *     (`2026-11-25T16:31:01.123456`, or `2026-11-25T16:31:01` when the microseconds are 0);
 *   - `create_message_group`: `datetime.now(timezone.utc).astimezone().isoformat()`: local time WITH the
 *     local offset (`2026-11-25T16:30:59.123456-05:00`);
 *   - this tool (default): fixed-width UTC (`2026-11-25T21:30:59.123456+00:00`).
 * A time without an offset is read in ONE named IANA zone (default UTC, the backend container's zone), and
 * times are compared as instants (whole microseconds since the epoch), never as strings.
 *
 * Because DynamoDB itself orders keys as strings (all the backend's own queries see), the tool can also WRITE
 * in the backend's form (`zone-offset` or `zone-naive`), so mixed writers keep write order on both sides.
 */

/** How this tool writes times: fixed-width UTC (default), or in the zone with or without its offset. */
export type TimeForm = 'utc' | 'zone-offset' | 'zone-naive';
export const TIME_FORMS: readonly TimeForm[] = ['utc', 'zone-offset', 'zone-naive'];

export interface TimeRule {
  /** IANA zone of times written without an offset, e.g. America/New_York. */
  zone: string;
  /** The form of times this tool writes. */
  form: TimeForm;
}

export const DEFAULT_TIME_RULE: TimeRule = { zone: 'UTC', form: 'utc' };

const formatters = new Map<string, Intl.DateTimeFormat>();

/** Intl's formatter for a zone; throws RangeError for a name Intl does not know. */
function formatter(zone: string): Intl.DateTimeFormat {
  let found = formatters.get(zone);
  if (!found) {
    found = new Intl.DateTimeFormat('en-US', {
      timeZone: zone,
      hourCycle: 'h23',
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
      hour: '2-digit',
      minute: '2-digit',
      second: '2-digit',
    });
    formatters.set(zone, found);
  }
  return found;
}

/** Whether Intl (and so this tool) knows an IANA zone name. */
export function isTimeZone(zone: string): boolean {
  // Every Intl knows UTC (ECMA-402), and building a zone's formatter loads ICU's zone data: ~40 ms of a
  // command's start-up for the default zone, which needs none of it.
  if (zone === 'UTC') return true;
  try {
    formatter(zone);
    return true;
  } catch {
    return false;
  }
}

/** The zone's offset from UTC, in minutes, at a UTC instant (ms). */
export function zoneOffsetMinutes(zone: string, utcMs: number): number {
  if (zone === 'UTC') return 0;
  const parts = Object.fromEntries(
    formatter(zone)
      .formatToParts(new Date(utcMs))
      .map((p) => [p.type, p.value]),
  );
  const wall = Date.UTC(Number(parts.year), Number(parts.month) - 1, Number(parts.day), Number(parts.hour), Number(parts.minute), Number(parts.second));
  return Math.round((wall - Math.floor(utcMs / 1000) * 1000) / 60_000);
}

const TIME = /^(\d{4})-(\d{2})-(\d{2})[T ](\d{2}):(\d{2})(?::(\d{2})(?:[.,](\d{1,9}))?)?(Z|[+-]\d{2}(?::?\d{2})?)?$/;

interface Parts {
  /** Wall clock as if UTC, in whole milliseconds (seconds precision + ms). */
  wallMs: number;
  /** 0-999999 */
  micros: number;
  /** The offset text as written ('' when none). */
  suffix: string;
  /** Offset in minutes, or undefined when none was written. */
  offset: number | undefined;
}

function parts(value: string): Parts {
  const m = TIME.exec(value.trim());
  if (!m) throw new RangeError(`Not an ISO-8601 time: "${value}"`);
  const [, y, mo, d, h, mi, s, frac, suffix] = m;
  // Date.UTC reads years 0-99 as 1900-1999: set the year on its own.
  const check = new Date(Date.UTC(2000, Number(mo) - 1, Number(d), Number(h), Number(mi), Number(s ?? 0)));
  check.setUTCFullYear(Number(y));
  const wallSeconds = check.getTime();
  if (Number.isNaN(wallSeconds) || check.getUTCMonth() !== Number(mo) - 1 || check.getUTCDate() !== Number(d) || check.getUTCHours() !== Number(h))
    throw new RangeError(`Not a real time: "${value}"`);
  const micros = Number((frac ?? '').padEnd(6, '0').slice(0, 6));
  let offset: number | undefined;
  if (suffix === 'Z') offset = 0;
  else if (suffix) {
    const digits = suffix.replace(':', '');
    offset = (suffix.startsWith('-') ? -1 : 1) * (Number(digits.slice(1, 3)) * 60 + Number(digits.slice(3, 5) || 0));
  }
  return { wallMs: wallSeconds, micros, suffix: suffix ?? '', offset };
}

/**
 * The instant of a time, in microseconds since the epoch. A time with an offset (or Z) is exact; one
 * without is wall-clock time in `zone` (a wall time a DST change skips or repeats takes the earlier offset).
 */
export function instantOf(value: string, zone = 'UTC'): bigint {
  const p = parts(value);
  let offset = p.offset;
  if (offset === undefined) {
    // Two passes: the offset at the wall time read as UTC, then at the instant that gives.
    const first = zoneOffsetMinutes(zone, p.wallMs);
    offset = zoneOffsetMinutes(zone, p.wallMs - first * 60_000);
  }
  return BigInt(p.wallMs - offset * 60_000) * 1000n + BigInt(p.micros);
}

/** Orders two times by instant under the zone rule; a time that does not parse sorts as a plain string after every real one. */
/** Whether `value` reads as a time under the rule's zone (see instantOf). */
export function isTime(value: string, zone = 'UTC'): boolean {
  try {
    instantOf(value, zone);
    return true;
  } catch {
    return false;
  }
}

export function compareTimes(a: string, b: string, zone = 'UTC'): number {
  let x: bigint | undefined;
  let y: bigint | undefined;
  try {
    x = instantOf(a, zone);
  } catch {
    /* not a time */
  }
  try {
    y = instantOf(b, zone);
  } catch {
    /* not a time */
  }
  if (x !== undefined && y !== undefined) return x < y ? -1 : x > y ? 1 : 0;
  if (x !== undefined) return -1;
  if (y !== undefined) return 1;
  return a < b ? -1 : a > b ? 1 : 0;
}

const pad = (n: number, width = 2) => String(n).padStart(width, '0');

function wallText(wallMs: number, micros: number): string {
  const d = new Date(wallMs);
  return `${pad(d.getUTCFullYear(), 4)}-${pad(d.getUTCMonth() + 1)}-${pad(d.getUTCDate())}T${pad(d.getUTCHours())}:${pad(d.getUTCMinutes())}:${pad(d.getUTCSeconds())}.${pad(micros, 6)}`;
}

function offsetText(minutes: number): string {
  const sign = minutes < 0 ? '-' : '+';
  const abs = Math.abs(minutes);
  return `${sign}${pad(Math.floor(abs / 60))}:${pad(abs % 60)}`;
}

/** An instant (µs since the epoch) written in the rule's form, always with six fractional digits. */
export function formatInstant(instant: bigint, rule: TimeRule = DEFAULT_TIME_RULE): string {
  const micros = Number(((instant % 1_000_000n) + 1_000_000n) % 1_000_000n);
  const utcMs = Number((instant - BigInt(micros)) / 1000n);
  if (rule.form === 'utc') return `${wallText(utcMs, micros)}+00:00`;
  const offset = zoneOffsetMinutes(rule.zone, utcMs);
  const wall = wallText(utcMs + offset * 60_000, micros);
  return rule.form === 'zone-offset' ? `${wall}${offsetText(offset)}` : wall;
}

/** Any time re-written in the rule's form (the instant is kept). */
export function toRuleTime(value: string, rule: TimeRule = DEFAULT_TIME_RULE): string {
  return formatInstant(instantOf(value, rule.zone), rule);
}

/** Now, in the rule's form. */
export function nowInRule(rule: TimeRule = DEFAULT_TIME_RULE, now = Date.now()): string {
  return formatInstant(BigInt(now) * 1000n, rule);
}

/**
 * One microsecond later, in the SAME form as `value` (same offset text, or none): what a key that is
 * taken moves to. Wall-clock arithmetic: the suffix is kept, so the result sorts right after `value`.
 */
export function nextMicrosecondLike(value: string): string {
  const p = parts(value);
  const micros = p.micros + 1;
  const wall = wallText(p.wallMs + Math.floor(micros / 1_000_000) * 1000, micros % 1_000_000);
  return `${wall}${p.suffix}`;
}

// ---- the fixed-width UTC form (this tool's default, and what sorts as a key) ----

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
  return formatInstant(BigInt(date.getTime()) * 1000n + BigInt(micros));
}

const SK_TIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{6}\+00:00$/;

/** Whether a string is in the fixed-width form (what sorts correctly as a key). */
export function isSkTime(value: string): boolean {
  return SK_TIME.test(value);
}

/** Whether a key time is in this tool's canonical fixed-width UTC form (the library's older name for isSkTime). */
export const isCanonicalTime = isSkTime;

/**
 * Parses an ISO-8601 time (the fixed form, `Z`, other offsets, 0-9 fractional digits; no offset reads
 * as UTC) for display. Returns the Date and the microseconds past its millisecond. Strict: text that
 * is not such a time is a RangeError, never a guess.
 */
export function parseTime(value: string): { date: Date; micros: number } {
  const instant = instantOf(value);
  const micros = Number(((instant % 1000n) + 1000n) % 1000n);
  return { date: new Date(Number((instant - BigInt(micros)) / 1000n)), micros };
}

/** Any ISO-8601 time rewritten in the fixed-width key form. */
export function toSkTime(value: string): string {
  return formatInstant(instantOf(value));
}

/**
 * Items in instant order (stable: equal instants keep DynamoDB's order). DynamoDB orders keys as strings,
 * which mixed forms (no offset, a local offset, UTC) break; readers put them back in time order.
 */
export function sortByInstant<T>(items: readonly T[], timeOf: (item: T) => string, zone = 'UTC', order: 'oldest-first' | 'newest-first' = 'oldest-first'): T[] {
  const sign = order === 'oldest-first' ? 1 : -1;
  return items
    .map((item, index) => ({ item, index }))
    .sort((a, b) => sign * compareTimes(timeOf(a.item), timeOf(b.item), zone) || a.index - b.index)
    .map(({ item }) => item);
}
