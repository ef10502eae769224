/**
 * Strict checks for argument and flag values beyond numbers (those are `wholeNumber` in define.ts), so
 * nothing JavaScript's lenient parsers accept slips through: `new Date("2026-02-30")` is 2 March,
 * `new Date("99999")` is a year-99999 date, any text is a "uuid" until DynamoDB finds nothing.
 */
import { UsageError } from './errors.js';

export const UUID_PATTERN = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** A uuid argument or flag, lower-cased; anything else is a usage error naming `what`. */
export function uuidArg(value: string | undefined, what: string): string {
  const text = (value ?? '').trim();
  if (!UUID_PATTERN.test(text)) {
    throw new UsageError('arg.bad_uuid', `${what} must be a uuid like 5ae290ed-55d1-47a0-bc6d-fe2bc2700399, got "${value ?? ''}"`);
  }
  return text.toLowerCase();
}

/**
 * ISO-8601 as people type it: a date (`2026-01-31`), or a date and time with optional seconds,
 * fraction (up to 9 digits) and offset (`Z`, `+05:30`, `-0500`). Four-digit years only, so a key
 * never gets a `+099999-…` year that sorts before every real one.
 */
const ISO_TIME = /^(\d{4})-(\d{2})-(\d{2})(?:[T ](\d{2}):(\d{2})(?::(\d{2})(?:\.(\d{1,9}))?)?(Z|[+-](\d{2}):?(\d{2}))?)?$/i;

export interface CheckedTime {
  /** Only a date was given. */
  dateOnly: boolean;
  /** The text, normalised to `YYYY-MM-DDTHH:MM:SS[.f][offset]` (a bare date stays a bare date). */
  text: string;
}

/**
 * Checks a time flag strictly: a real calendar date (no 30 February), year 0001-9999, hours 0-23,
 * minutes and seconds 0-59, an offset of at most ±14:00. Throws a usage error naming the flag.
 */
export function isoTimeFlag(value: string, flag: string, code: 'flag.bad_time' | 'flag.bad_date' = 'flag.bad_time'): CheckedTime {
  const bad = (why: string) =>
    new UsageError(code, `${flag} must be an ISO-8601 date or time${why}, got "${value}"`, 'Use e.g. 2026-01-31 or 2026-01-31T18:00:00Z');
  const match = ISO_TIME.exec(value.trim());
  if (!match) throw bad('');
  const [, y, mo, d, h, mi, s, fraction, offset, oh, om] = match;
  const year = Number(y);
  const month = Number(mo);
  const day = Number(d);
  if (year < 1) throw bad(' (years 0001 to 9999)');
  // Date.UTC maps years 0-99 to 1900-1999, so set the full year explicitly.
  const probe = new Date(Date.UTC(2000, month - 1, day));
  probe.setUTCFullYear(year);
  if (month < 1 || month > 12 || probe.getUTCMonth() !== month - 1 || probe.getUTCDate() !== day) throw bad(' (not a real date)');
  if (h === undefined) return { dateOnly: true, text: `${y}-${mo}-${d}` };
  if (Number(h) > 23 || Number(mi) > 59 || Number(s ?? 0) > 59) throw bad(' (not a real time of day)');
  if (oh !== undefined && (Number(oh) > 14 || Number(om) > 59 || (Number(oh) === 14 && Number(om) > 0))) throw bad(' (offsets go up to ±14:00)');
  const zone = offset === undefined ? '' : offset.toUpperCase() === 'Z' ? 'Z' : `${offset[0]}${oh}:${om}`;
  return { dateOnly: false, text: `${y}-${mo}-${d}T${h}:${mi}:${s ?? '00'}${fraction ? `.${fraction}` : ''}${zone}` };
}

/** AWS region names: lower-case letters, digits and dashes (us-east-1, eu-central-2, local). */
const REGION = /^[a-z0-9]+(-[a-z0-9]+)*$/;

/** A region from a flag or the environment; a usage error naming where it came from otherwise. */
export function checkRegion(value: string, source: string): string {
  if (REGION.test(value) && value.length <= 64) return value;
  throw new UsageError('env.bad_region', `"${value}" (from ${source}) is not an AWS region name`, 'Use one like us-east-1');
}
