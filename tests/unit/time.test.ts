/** The time rule (src/patterns/time.ts): parsing in a named zone, instants, the write forms, the settings. No real part needed. */
import { describe, expect, it } from 'vitest';
import { resolveEnv } from '../../src/core/environment.js';
import { CliError } from '../../src/core/errors.js';
import { compareTimes, formatInstant, instantOf, isTimeZone, nextMicrosecondLike, sortByInstant, toRuleTime } from '../../src/patterns/time.js';

const us = (iso: string) => BigInt(Date.parse(iso)) * 1000n;

describe('instantOf', () => {
  it('reads a time without an offset in the named zone, and one with an offset exactly', () => {
    // create_message in New York (no offset) and create_message_group (local offset): two seconds apart.
    expect(instantOf('2026-11-25T16:31:01.123456', 'America/New_York')).toBe(us('2026-11-25T21:31:01.123Z') + 456n);
    expect(instantOf('2026-11-25T16:30:59.123456-05:00', 'Asia/Tokyo')).toBe(us('2026-11-25T21:30:59.123Z') + 456n);
    expect(instantOf('2026-11-25T16:31:01', 'Asia/Tokyo')).toBe(us('2026-11-25T07:31:01Z'));
    expect(instantOf('2026-11-25T16:31:01.5Z')).toBe(us('2026-11-25T16:31:01.500Z'));
    expect(instantOf('2026-07-01T12:00:00', 'Europe/Berlin')).toBe(us('2026-07-01T10:00:00Z')); // summer time
    expect(instantOf('2026-01-01T12:00:00', 'Europe/Berlin')).toBe(us('2026-01-01T11:00:00Z'));
    expect(() => instantOf('yesterday')).toThrow(RangeError);
    expect(() => instantOf('2026-02-30T00:00:00')).toThrow(RangeError);
  });

  it('orders by instant, not by string', () => {
    expect(compareTimes('2026-11-25T16:31:01.123456', '2026-11-25T16:30:59.123456-05:00', 'America/New_York')).toBe(1);
    expect(compareTimes('2026-11-25T16:31:01.123456', '2026-11-25T16:30:59.123456-05:00', 'UTC')).toBe(-1);
    expect(sortByInstant(['2026-01-01T10:00:00+09:00', '2026-01-01T00:30:00Z', '2026-01-01T09:45:00'], (x) => x, 'Asia/Tokyo')).toEqual([
      '2026-01-01T00:30:00Z', // 09:30 in Tokyo
      '2026-01-01T09:45:00',
      '2026-01-01T10:00:00+09:00',
    ]);
  });
});

describe('the write forms', () => {
  const instant = us('2026-11-25T21:30:59.123Z') + 456n;
  it('writes fixed-width UTC by default, or the backend form in the zone with or without its offset', () => {
    expect(formatInstant(instant)).toBe('2026-11-25T21:30:59.123456+00:00');
    expect(formatInstant(instant, { zone: 'America/New_York', form: 'zone-offset' })).toBe('2026-11-25T16:30:59.123456-05:00');
    expect(formatInstant(instant, { zone: 'America/New_York', form: 'zone-naive' })).toBe('2026-11-25T16:30:59.123456');
    expect(formatInstant(instant, { zone: 'Asia/Kolkata', form: 'zone-offset' })).toBe('2026-11-26T03:00:59.123456+05:30');
    expect(toRuleTime('2026-11-25T16:31:01', { zone: 'America/New_York', form: 'utc' })).toBe('2026-11-25T21:31:01.000000+00:00');
  });

  it('takes the next microsecond in the same form', () => {
    expect(nextMicrosecondLike('2026-11-25T16:31:01')).toBe('2026-11-25T16:31:01.000001');
    expect(nextMicrosecondLike('2026-12-31T23:59:59.999999-05:00')).toBe('2027-01-01T00:00:00.000000-05:00');
    expect(nextMicrosecondLike('2026-12-01T12:00:00.123000+00:00')).toBe('2026-12-01T12:00:00.123001+00:00');
  });
});

describe('the settings', () => {
  it('--time-zone beats CRUDDUR_TIME_ZONE beats UTC; --time-form likewise', () => {
    expect(resolveEnv({}, {}).timeZone).toEqual({ value: 'UTC', source: 'default' });
    expect(resolveEnv({}, { CRUDDUR_TIME_ZONE: 'Asia/Tokyo' }).timeZone).toEqual({ value: 'Asia/Tokyo', source: 'CRUDDUR_TIME_ZONE' });
    expect(resolveEnv({ timeZone: 'America/New_York' }, { CRUDDUR_TIME_ZONE: 'Asia/Tokyo' }).timeZone.source).toBe('--time-zone');
    expect(resolveEnv({}, {}).timeForm).toEqual({ value: 'utc', source: 'default' });
    expect(resolveEnv({}, { CRUDDUR_TIME_FORM: 'zone-naive' }).timeForm.value).toBe('zone-naive');
    expect(() => resolveEnv({}, { CRUDDUR_TIME_ZONE: 'Mars/Olympus' })).toThrow(CliError);
    expect(() => resolveEnv({}, { CRUDDUR_TIME_FORM: 'local' })).toThrow(CliError);
    expect(isTimeZone('Europe/Berlin')).toBe(true);
  });
});
