/** Times for people: any ISO-8601 time (as stored in sk) shown in the local time zone, to the minute. */
import { isoTimeFlag } from './checks.js';
import { instantOf, toSkTime } from '../patterns/time.js';

const pad = (n: number) => String(n).padStart(2, '0');

/**
 * `2026-11-25 14:07` in the machine's (or TZ's) zone; text that is not a time is shown as it is. A stored
 * time without an offset is read in `zone` (the time rule, docs/time.md).
 */
export function localDateTime(value: string, zone = 'UTC'): string {
  try {
    const date = new Date(Number(instantOf(value, zone) / 1000n));
    return `${date.getFullYear()}-${pad(date.getMonth() + 1)}-${pad(date.getDate())} ${pad(date.getHours())}:${pad(date.getMinutes())}`;
  } catch {
    return value;
  }
}

/**
 * A `--since`/`--until` value as a key time. A bare date (`2026-01-01`) means the start of that UTC
 * day for --since and its last microsecond for --until, so `--since D --until D` is the whole day.
 */
export function flagTime(value: string, flag: string, end: 'start' | 'end'): string {
  // Strict first: no 30 February, no five-digit years, no bare numbers (src/core/checks.ts).
  const checked = isoTimeFlag(value, flag, 'flag.bad_date');
  if (checked.dateOnly) return toSkTime(`${checked.text}T${end === 'start' ? '00:00:00' : '23:59:59.999999'}Z`);
  return toSkTime(checked.text);
}
