/**
 * The CI step (issue 18): `local --detach --in-memory --schema-load --seed`, from nothing running to a
 * seeded table ready for tests, against its floor measured in the same run:
 *   - the bare DynamoDB Local JVM (the same java command line, no tool around it, and without the tool's
 *     preloading thread) from spawn to its first HTTP answer (probed every 5 ms), plus
 *   - the bare `schema-load` and `seed` (each a fresh process, as a CI step runs them) against an
 *     already-warm instance.
 * Goal: cold step / floor <= 1.3.
 *
 * And `wait`: how soon after the endpoint starts answering it returns. `wait` starts first, against a port
 * where nothing listens yet; at a known instant a proxy to a warm DynamoDB Local (the table already there)
 * opens on that port; the time from then to the process's exit is the delay. Goal: median of 10 <= 250 ms.
 *
 * CI_BENCH_RUNS (default 5) sets the cold runs, CI_BENCH_WAIT_RUNS (default 10) the wait runs; CI_BENCH_SMOKE=1
 * runs each once and prints without appending to RESULTS.md (to prove the bench works, not to measure).
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { connect, createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { performance } from 'node:perf_hooks';
import { join } from 'node:path';
import { CLI, fmt, localEnv, measure, report, startDynamo, verdict } from './lib.mjs';

process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';

const SMOKE = process.env.CI_BENCH_SMOKE === '1';
const RUNS = SMOKE ? 1 : Number(process.env.CI_BENCH_RUNS ?? 5);
const WAIT_RUNS = SMOKE ? 1 : Number(process.env.CI_BENCH_WAIT_RUNS ?? 10);
const mid = (values) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];
const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

const ports = () => import('../dist/local/ports.js');
const freePort = async () => (await ports()).freePort();

/** Spawn of the bare JVM to its first HTTP answer, in ms; the JVM is killed after. */
async function bareJvm() {
  const { findDynamoDbLocal, javaArgs } = await import('../dist/aws/local-dynamodb.js');
  const { jar, libDir } = findDynamoDbLocal();
  const port = await freePort();
  // The tool's own java command line (JVM flags included): the floor is the JVM the tool starts, bare;
  // without the tool's class preloading (java/LoopbackLauncher), which is the tool's work, not the JVM's.
  const args = javaArgs({ jar, libDir, host: '127.0.0.1', port }).filter((arg) => !arg.startsWith('-Dcruddur.preload='));
  const started = performance.now();
  const child = spawn('java', args, { stdio: 'ignore' });
  const exited = new Promise((resolve) => child.once('exit', resolve));
  try {
    for (;;) {
      // A TCP connection first (a refused one costs nothing), then the HTTP answer: a fetch every 5 ms
      // would take CPU from the JVM it times, and make the floor slower than the JVM is.
      const up =
        (await (await ports()).acceptsConnections('127.0.0.1', port)) &&
        (await fetch(`http://127.0.0.1:${port}`, { signal: AbortSignal.timeout(1000) }).then(
          () => true,
          () => false,
        ));
      if (up) return performance.now() - started;
      if (child.exitCode !== null) throw new Error('the bare JVM exited');
      await sleep(5);
    }
  } finally {
    child.kill('SIGTERM');
    await exited;
  }
}

/** schema-load then seed, each a fresh process, on a table of their own in a warm instance. */
async function bareLoadAndSeed(url, n) {
  const env = localEnv(url);
  const table = `ci-bench-${n}-${process.pid}`;
  const schema = await measure(process.execPath, [CLI, 'schema-load', table], { env });
  const seed = await measure(process.execPath, [CLI, 'seed', '--table', table], { env });
  return schema.ms + seed.ms;
}

/** The whole CI step in an empty folder: spawn to exit of `local --detach ...`; stopped after (not timed). */
async function coldStep() {
  const cwd = mkdtempSync(join(tmpdir(), 'cruddur-ci-bench-'));
  const port = await freePort();
  const env = { ...process.env, AWS_ENDPOINT_URL_DYNAMODB: '', AWS_ENDPOINT_URL: '' };
  try {
    const started = performance.now();
    const code = await new Promise((resolve) => {
      const child = spawn(process.execPath, [CLI, 'local', '--detach', '--in-memory', '--port', String(port), '--schema-load', '--seed'], {
        cwd,
        env,
        stdio: 'ignore',
      });
      child.once('exit', resolve);
    });
    const ms = performance.now() - started;
    if (code !== 0) throw new Error(`local --detach exited ${code}`);
    return ms;
  } finally {
    await new Promise((resolve) => spawn(process.execPath, [CLI, 'local', 'stop'], { cwd, env, stdio: 'ignore' }).once('exit', resolve));
    rmSync(cwd, { recursive: true, force: true });
  }
}

/** ms from the endpoint opening to `wait`'s exit. */
async function waitDelay(dynamoUrl, table) {
  const port = await freePort();
  const target = new URL(dynamoUrl);
  const child = spawn(process.execPath, [CLI, 'wait', table, '--timeout', '60', '--endpoint-url', `http://127.0.0.1:${port}`], {
    env: localEnv(dynamoUrl),
    stdio: 'ignore',
  });
  const exited = new Promise((resolve) => child.once('exit', (code) => resolve({ code, at: performance.now() })));
  await sleep(3000); // it has started (node and the SDK loaded) and is looking at a closed port
  const proxy = createServer((socket) => {
    const upstream = connect(Number(target.port), target.hostname === 'localhost' ? '127.0.0.1' : target.hostname);
    socket.pipe(upstream).pipe(socket);
    socket.on('error', () => upstream.destroy());
    upstream.on('error', () => socket.destroy());
  });
  const opened = await new Promise((resolve) => proxy.listen(port, '127.0.0.1', () => resolve(performance.now())));
  const { code, at } = await exited;
  proxy.close();
  if (code !== 0) throw new Error(`wait exited ${code}`);
  return at - opened;
}

export async function run() {
  const dynamo = await startDynamo();
  try {
    // Warm the instance (and the disk cache of the tool) before anything is timed.
    await bareLoadAndSeed(dynamo.url, 'warmup');
    const floors = [];
    const colds = [];
    for (let n = 0; n < RUNS; n++) {
      const jvm = await bareJvm();
      const load = await bareLoadAndSeed(dynamo.url, n);
      floors.push({ jvm, load, total: jvm + load });
      colds.push(await coldStep());
    }
    const floor = mid(floors.map((f) => f.total));
    const cold = mid(colds);
    const table = `ci-bench-warmup-${process.pid}`;
    const delays = [];
    for (let n = 0; n < WAIT_RUNS; n++) delays.push(await waitDelay(dynamo.url, table));
    const delay = mid(delays);
    const rows = [
      {
        measure: 'cold CI step (local --detach --in-memory --schema-load --seed)',
        'median ms': fmt(cold, 0),
        baseline: `floor ${fmt(floor, 0)} ms (bare JVM to first answer ${fmt(mid(floors.map((f) => f.jvm)), 0)} + schema-load and seed on a warm instance ${fmt(mid(floors.map((f) => f.load)), 0)})`,
        ratio: fmt(cold / floor, 2),
        goal: '<= 1.3x',
        verdict: verdict(cold / floor <= 1.3),
      },
      {
        measure: 'wait: endpoint opens -> wait exits',
        'median ms': fmt(delay, 0),
        baseline: `${delays.length} runs`,
        ratio: '-',
        goal: '<= 250 ms',
        verdict: verdict(delay <= 250),
      },
    ];
    const notes = [`${RUNS} cold runs, ${WAIT_RUNS} wait runs; 2 cores shared with other sessions: times are noisy.`];
    if (SMOKE) console.log('smoke run (not measured, not recorded):', JSON.stringify({ rows, floors, colds, delays }, null, 2));
    else report('CI step: local --detach and wait', rows, notes);
  } finally {
    await dynamo.stop();
  }
}

if (import.meta.url === `file://${process.argv[1]}`) await run();
