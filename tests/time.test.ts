/** The time settings as the command line shows them (the pure time rule is in tests/unit/time.test.ts). */
import { describe, expect, it } from 'vitest';
import { oneLineError, run } from './helpers/cli.js';

describe('the settings', () => {
  it('env shows them, and a bad zone is one line with what to do', async () => {
    const shown = await run(['env', '-o', 'json', '--time-form', 'zone-offset'], { env: { CRUDDUR_TIME_ZONE: 'America/New_York' } });
    expect(JSON.parse(shown.stdout)).toMatchObject({
      timeZone: { value: 'America/New_York', source: 'CRUDDUR_TIME_ZONE' },
      timeForm: { value: 'zone-offset', source: '--time-form' },
    });
    const bad = await run(['list-tables', '--time-zone', 'EST5'], {});
    expect(bad.code).toBe(2);
    expect(oneLineError(bad)).toMatch(/"EST5" \(from --time-zone\) is not an IANA time zone\. Give one like UTC, America\/New_York/);
  });
});
