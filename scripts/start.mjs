/**
 * `npm start`: builds only when something the build reads is newer than what it wrote (a restart with nothing
 * changed skips the ~30-60 s of tsc and esbuild), then runs `local --schema-load --seed` in the foreground,
 * passing on what follows `npm start --` (e.g. `--postgres --cognito`). Ctrl-C reaches `local`, which stops
 * its servers; this script then exits with its code.
 */
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';

const OUTPUTS = ['dist/bin/cruddur-ddb.cjs', 'dist/patterns/entry.js'];
const INPUTS = ['src', 'build.mjs', 'scripts', 'package.json', 'package-lock.json', 'tsconfig.json', 'tsconfig.build.json'];

function newest(path) {
  if (!existsSync(path)) return 0;
  const stat = statSync(path);
  if (!stat.isDirectory()) return stat.mtimeMs;
  return Math.max(stat.mtimeMs, ...readdirSync(path).map((name) => newest(join(path, name))));
}

const built = Math.min(...OUTPUTS.map((path) => (existsSync(path) ? statSync(path).mtimeMs : 0)));
if (built <= Math.max(...INPUTS.map(newest))) {
  const build = spawnSync('npm', ['run', 'build'], { stdio: 'inherit' });
  if (build.status !== 0) process.exit(build.status ?? 1);
} else console.error('dist is current: no build (npm run build forces one).');

// A signal for this script (Ctrl-C reaches `local` from the terminal as well; a `kill` of this pid does not)
// is passed on, and this script exits with `local`'s code once it has stopped its servers.
const local = spawn(process.execPath, ['dist/bin/cruddur-ddb.cjs', 'local', '--schema-load', '--seed', ...process.argv.slice(2)], { stdio: 'inherit' });
for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP']) process.on(signal, () => local.kill(signal));
local.on('exit', (code, signal) => process.exit(code ?? (signal ? 130 : 1)));
