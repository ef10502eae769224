/**
 * How much slower than its own CPU time this machine runs a fixed piece of work right now: the measure every
 * time limit of the test run is scaled by, so that no test's outcome depends on the machine's load (a quiet
 * laptop gets the base limits; a 2-core machine at load 20 gets them several times over). Measured once, when
 * vitest loads its config, and handed to the workers as CRUDDUR_TEST_TIME_SCALE (tests/helpers/time-scale.ts).
 */
import { createHash } from 'node:crypto';
import { availableParallelism, loadavg } from 'node:os';

/** Wall time over CPU time of a fixed hashing job (1 when this process has a core to itself), and the load per core. */
export function measureTimeScale(): number {
  const block = Buffer.alloc(1 << 20, 7);
  let wall = 0;
  let cpu = 0;
  for (let round = 0; round < 5; round++) {
    const startCpu = process.cpuUsage();
    const start = process.hrtime.bigint();
    for (let i = 0; i < 8; i++) createHash('sha256').update(block).digest();
    wall += Number(process.hrtime.bigint() - start) / 1e6;
    const used = process.cpuUsage(startCpu);
    cpu += (used.user + used.system) / 1e3;
  }
  const contention = wall / Math.max(cpu, 0.001);
  const perCore = loadavg()[0]! / availableParallelism();
  // Never below 1 (the base limits), never past 20 (a hang must still end the run).
  return Math.min(20, Math.max(1, contention, perCore));
}
