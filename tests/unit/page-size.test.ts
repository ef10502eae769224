import { describe, expect, it } from 'vitest';
import { FIRST_PAGE, nextPageLimit, PAGE_BYTES } from '../../src/adhoc/page-size.js';

const items = (count: number, bytes: number) => Array.from({ length: count }, (_, i) => ({ pk: { S: `MSG#${i}` }, message: { S: 'x'.repeat(bytes) } }));

describe('nextPageLimit', () => {
  it('asks for about PAGE_BYTES of items like the ones just read', () => {
    const limit = nextPageLimit(items(500, 2_000), FIRST_PAGE);
    expect(limit * 2_000).toBeLessThanOrEqual(PAGE_BYTES);
    expect(limit * 2_100).toBeGreaterThan(PAGE_BYTES * 0.9);
  });
  it('keeps the previous limit after an empty page, and stays between 1 and 5,000', () => {
    expect(nextPageLimit([], 321)).toBe(321);
    expect(nextPageLimit(items(10, 390_000), FIRST_PAGE)).toBe(1);
    expect(nextPageLimit([{ k: { N: '1' } }], FIRST_PAGE)).toBe(5_000);
  });
});
