/** Checks for numeric flags, so every command words a bad number the same way (exit 2). */
import { UsageError } from './errors.js';

/**
 * A flag's value as a whole number within [min, max]; undefined when the flag was not given.
 * The message names the flag and the range: "--limit must be a whole number from 1 to 10, got "x"".
 */
export function wholeNumberFlag(value: string | number | undefined, flag: string, range: { min?: number; max?: number } = {}): number | undefined {
  if (value === undefined) return undefined;
  const { min = 1, max } = range;
  const n = Number(value);
  if (!Number.isInteger(n) || n < min || (max !== undefined && n > max)) {
    const bounds = max === undefined ? `of at least ${min}` : `from ${min} to ${max}`;
    throw new UsageError('flag.bad_number', `${flag} must be a whole number ${bounds}, got "${value}"`);
  }
  return n;
}
