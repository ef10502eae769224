/**
 * A time limit for a test's own waits, scaled by how loaded the machine was measured to be when the run
 * started (tests/time-scale.ts, via CRUDDUR_TEST_TIME_SCALE): limits guard against hangs, never against slowness.
 */
export const TIME_SCALE = Math.max(1, Number(process.env.CRUDDUR_TEST_TIME_SCALE) || 1);

export function scaled(ms: number): number {
  return Math.round(ms * TIME_SCALE);
}
