/**
 * Issue 23's one-off goals: `npx --yes --package=file:<tarball> cruddur-ddb --version` from the packed
 * package, against the same for a trivial one-file package packed in the same run. Cold: an empty npm
 * cache (and home) per run, at most 2x the trivial package's time, and at most 8 MB left in the cache.
 * Warm: the cache the first run filled, at most 1.5x. Medians of BENCH_ONEOFF_RUNS (5) interleaved runs.
 * The registry is not asked for anything (the package has no dependencies); npx still checks it is
 * reachable on a cold cache, so the network is part of what is measured, for both alike.
 */
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fmt, interleaved, measure, report, ROOT, verdict } from './lib.mjs';

const RUNS = Number(process.env.BENCH_ONEOFF_RUNS ?? 5);

function pack(from, into) {
  const result = spawnSync('npm', ['pack', '--json', '--ignore-scripts', '--pack-destination', into], { cwd: from, encoding: 'utf8' });
  if (result.status !== 0) throw new Error(`npm pack in ${from} failed: ${result.stderr}`);
  return join(into, JSON.parse(result.stdout)[0].filename);
}

function bytesUnder(dir) {
  let total = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    total += entry.isDirectory() ? bytesUnder(path) : statSync(path).size;
  }
  return total;
}

export async function run() {
  const dir = mkdtempSync(join(tmpdir(), 'cruddur-oneoff-'));
  try {
    // `npm run bench` built dist/ first; the tarball is what `npm publish` would upload.
    const ours = pack(ROOT, dir);
    const trivialDir = join(dir, 'trivial');
    mkdirSync(trivialDir);
    writeFileSync(join(trivialDir, 'package.json'), JSON.stringify({ name: 'trivial-one-off', version: '1.0.0', bin: { 'trivial-one-off': 'index.js' } }));
    writeFileSync(join(trivialDir, 'index.js'), '#!/usr/bin/env node\nconsole.log("1.0.0");\n', { mode: 0o755 });
    const trivial = pack(trivialDir, dir);
    const work = join(dir, 'work');
    mkdirSync(work);

    let fresh = 0;
    const npx = (tarball, bin, cache) => {
      const env = { ...process.env, HOME: join(cache, 'home'), npm_config_cache: join(cache, 'npm'), npm_config_update_notifier: 'false' };
      mkdirSync(env.HOME, { recursive: true });
      return measure('npx', ['--yes', `--package=file:${tarball}`, bin, '--version'], { env, cwd: work });
    };
    const cold = (tarball, bin) => () => {
      const cache = join(dir, `cold-${fresh++}`);
      return npx(tarball, bin, cache).finally(() => rmSync(cache, { recursive: true, force: true }));
    };
    const coldRuns = await interleaved(RUNS, { ours: cold(ours, 'cruddur-ddb'), trivial: cold(trivial, 'trivial-one-off') });

    const oursCache = join(dir, 'warm-ours');
    const trivialCache = join(dir, 'warm-trivial');
    // interleaved() runs each once first: that run fills the cache the others find warm.
    const warmRuns = await interleaved(RUNS, { ours: () => npx(ours, 'cruddur-ddb', oursCache), trivial: () => npx(trivial, 'trivial-one-off', trivialCache) });
    const cacheMb = bytesUnder(join(oursCache, 'npm')) / 1e6;

    const coldRatio = coldRuns.ours.ms / coldRuns.trivial.ms;
    const warmRatio = warmRuns.ours.ms / warmRuns.trivial.ms;
    const row = (what, r, ratio, goal, ok) => ({ what, ms: fmt(r.ms, 0), ratio, goal, result: ok === undefined ? '' : verdict(ok) });
    report(
      'One-off: `npx --yes --package=file:<tarball> <bin> --version` (median wall time)',
      [
        row('trivial one-file package, cold cache', coldRuns.trivial, '1.00', ''),
        row('cruddur-ddb, cold cache', coldRuns.ours, fmt(coldRatio), '<= 2x trivial', coldRatio <= 2),
        row('trivial one-file package, warm cache', warmRuns.trivial, '1.00', ''),
        row('cruddur-ddb, warm cache', warmRuns.ours, fmt(warmRatio), '<= 1.5x trivial', warmRatio <= 1.5),
      ],
      [
        `npm cache after cruddur-ddb's one-off: ${fmt(cacheMb, 1)} MB (goal <= 8 MB: ${verdict(cacheMb <= 8)}); tarball ${fmt(statSync(ours).size / 1e3, 0)} KB.`,
        `Medians of ${RUNS} interleaved runs after one warm-up each; each cold run has an empty cache and home of its own.`,
      ],
    );
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
