/**
 * Issue 22 (reliability round 3), item 13: lax parsing. A padded number, a flag given twice with two
 * values (`--env prod --env local` ran local) and an empty CRUDDUR_TIME_ZONE (taken as unset) are
 * each refused in one line, exit 2. Each case failed before the fix.
 */
import { describe, expect, it } from 'vitest';
import { parseCommandLine } from '../src/entry/run.js';
import { oneLineError, run } from './helpers/cli.js';

describe('lax parsing, refused', () => {
  it.each([[' 4'], ['4 '], ['\t4']])('--segments %j is not a whole number', async (value) => {
    const result = await run(['scan', 'some-table', '--segments', value]);
    expect(result.code).toBe(2);
    expect(oneLineError(result)).toMatch(/^error\[flag\.bad_number\]: --segments must be a whole number/);
  });

  it.each([
    [['list-tables', '--env', 'prod', '--env', 'local'], /--env was given twice \(prod, then local\)/],
    [['--env', 'local', 'list-tables', '--env', 'prod'], /--env was given twice \(local, then prod\)/],
    [['scan', 't-able', '--segments', '2', '--segments', '3'], /--segments was given twice \(2, then 3\)/],
    [['list-tables', '--endpoint-url', 'http://localhost:8001', '--endpoint-url', 'http://localhost:8002'], /--endpoint-url was given twice/],
    [['copy', '--from', 'local', '--to', 'prod', '--to', 'local'], /--to was given twice \(prod, then local\)/],
  ])('%j: contradictory repeats are refused', async (argv, words) => {
    const result = await run(argv as string[]);
    expect(result.code).toBe(2);
    expect(oneLineError(result)).toMatch(/^error\[flag\.repeated\]: /);
    expect(oneLineError(result)).toMatch(words);
  });

  it('the same value twice is harmless', async () => {
    const parsed = await parseCommandLine(['list-tables', '--env', 'local', '--env', 'local']);
    expect(parsed.flags.env).toBe('local');
  });

  it.each([['CRUDDUR_TIME_ZONE'], ['CRUDDUR_TIME_FORM']])('%s set but empty is named, not taken as unset', async (name) => {
    const result = await run(['env'], { env: { [name]: '' } });
    expect(result.code).toBe(2);
    expect(oneLineError(result)).toMatch(new RegExp(`^error\\[env\\.bad_time_(zone|form)\\]: ${name} is set but empty`));
  });
});
