import { describe, expect, it } from 'vitest';
import { groupPk, groupUuidOfMessagePk, messagePk } from '../../src/patterns/keys.js';
import { isSkTime, nextMicrosecondLike, parseTime, skTime, toSkTime } from '../../src/patterns/time.js';

describe('keys', () => {
  it('builds GRP# and MSG# keys and reads the group back', () => {
    expect(groupPk('u-1')).toBe('GRP#u-1');
    expect(messagePk('g-1')).toBe('MSG#g-1');
    expect(groupUuidOfMessagePk('MSG#g-1')).toBe('g-1');
    expect(groupUuidOfMessagePk('GRP#u-1')).toBeUndefined();
  });

  it("writes the backend's fixed-width UTC form", () => {
    expect(skTime(new Date('2026-11-25T03:07:49.788Z'), 804)).toBe('2026-11-25T03:07:49.788804+00:00');
    expect(skTime(new Date('2026-01-01T00:00:00Z'))).toBe('2026-01-01T00:00:00.000000+00:00');
    expect(isSkTime('2026-11-25T03:07:49.788804+00:00')).toBe(true);
    expect(isSkTime('2026-11-25T03:07:49.788Z')).toBe(false);
  });

  it('reads any ISO-8601 time and normalises it', () => {
    expect(toSkTime('2026-11-25T03:07:49.788804+00:00')).toBe('2026-11-25T03:07:49.788804+00:00');
    expect(toSkTime('2026-11-25T03:07:49Z')).toBe('2026-11-25T03:07:49.000000+00:00');
    expect(toSkTime('2026-11-25T05:07:49.5+02:00')).toBe('2026-11-25T03:07:49.500000+00:00');
    expect(parseTime('2026-11-25T03:07:49.123456789Z').micros).toBe(456);
    expect(() => parseTime('yesterday')).toThrow(/ISO-8601/);
    // No lenient fallback: what JavaScript's Date would guess at is refused.
    expect(() => parseTime('Nov 25 2026')).toThrow(RangeError);
    expect(() => parseTime('2026-02-30T00:00:00Z')).toThrow(RangeError);
    expect(toSkTime('0001-01-01T00:00:00Z')).toBe('0001-01-01T00:00:00.000000+00:00');
  });

  it('steps one microsecond, across a millisecond and a year', () => {
    expect(nextMicrosecondLike('2026-11-25T03:07:49.788804+00:00')).toBe('2026-11-25T03:07:49.788805+00:00');
    expect(nextMicrosecondLike('2026-12-31T23:59:59.999999+00:00')).toBe('2027-01-01T00:00:00.000000+00:00');
  });
});
