import { readFileSync } from 'node:fs';
import { defineConfig } from 'vitest/config';
import { measureTimeScale } from './tests/time-scale.js';

const { version } = JSON.parse(readFileSync('package.json', 'utf8')) as { version: string };
// Time limits come from what is measured, not from a fixed number: the base limits times how much slower than
// its CPU time this machine runs right now (1 on a quiet machine; see tests/time-scale.ts).
const scale = Number(process.env.CRUDDUR_TEST_TIME_SCALE) || measureTimeScale();

export default defineConfig({
  // What build.mjs sets in the binary; tests run src/ in-process.
  define: { CRUDDUR_VERSION: JSON.stringify(version) },
  test: {
    // The test process's own SDK clients need not warn about Node 20 (the CLI silences it itself;
    // tests/helpers/cli.ts strips AWS_* variables so that is what the tests see).
    env: { AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true', CRUDDUR_TEST_TIME_SCALE: String(scale) },
    // Two tiers; `npm test` runs both, `npx vitest run --project unit` the first alone (seconds).
    projects: [
      {
        extends: true,
        test: {
          // Pure modules (keys, time, output fitting, argv, input builders, the import rules): no real
          // part to start, so no global setup.
          name: 'unit',
          include: ['tests/unit/**/*.test.ts'],
          // First, on its own: a broken pure module fails in seconds, before any real part starts.
          sequence: { groupOrder: 0 },
        },
      },
      {
        extends: true,
        test: {
          name: 'integration',
          sequence: { groupOrder: 1 },
          include: ['tests/**/*.test.ts'],
          exclude: ['tests/unit/**'],
          // Each file starts what it needs from these: the real DynamoDB Local (and, for the tests that
          // use them, PostgreSQL and cognito-local), once per run, on free ports.
          globalSetup: ['tests/setup/dynamodb.ts', 'tests/setup/postgres.ts', 'tests/setup/cognito.ts'],
          testTimeout: Math.round(60_000 * scale),
          hookTimeout: Math.round(120_000 * scale),
          // Two cores, and DynamoDB Local's JVM needs one of them; but most tests now run commands in-process
          // and spend their time waiting on DynamoDB Local, PostgreSQL, backoff sleeps or a JVM starting, so
          // a third worker overlaps that waiting (measured: 137 s -> 100 s wall on this busy machine).
          maxWorkers: 3,
        },
      },
    ],
  },
});
