/**
 * Starts one real PostgreSQL server for the test run: the system's PostgreSQL binaries, a data folder
 * in a temporary directory, a free port on 127.0.0.1, trust authentication. PostgreSQL refuses to run
 * as root, so as root it runs as the `postgres` user. Tests read the superuser URL from
 * POSTGRES_TEST_URL and make their own database with tests/helpers/postgres.ts.
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { chmodSync, existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { freePort } from '../../src/aws/local-dynamodb.js';

let server: ChildProcess | undefined;
let dir: string | undefined;
let data: string | undefined;

function binDir(): string {
  const onPath = spawnSync('sh', ['-c', 'command -v initdb'], { encoding: 'utf8' }).stdout.trim();
  if (onPath) return join(onPath, '..');
  const root = '/usr/lib/postgresql';
  const versions = existsSync(root) ? readdirSync(root).sort((a, b) => Number(b) - Number(a)) : [];
  if (versions[0]) return join(root, versions[0], 'bin');
  throw new Error('PostgreSQL server binaries (initdb, postgres) not found: install the postgresql package');
}

/** argv for running a PostgreSQL binary: through runuser as `postgres` when we are root. */
function asPostgres(binary: string, args: string[]): [string, string[]] {
  return process.getuid?.() === 0 ? ['runuser', ['-u', 'postgres', '--', binary, ...args]] : [binary, args];
}

export async function setup(): Promise<void> {
  const bin = binDir();
  dir = mkdtempSync(join(tmpdir(), 'cruddur-pg-'));
  chmodSync(dir, 0o777); // the postgres user writes its data folder and socket here
  data = join(dir, 'data');
  const [initdb, initArgs] = asPostgres(join(bin, 'initdb'), ['-D', data, '-U', 'postgres', '--auth=trust', '--no-sync', '-E', 'UTF8', '--locale=C']);
  const init = spawnSync(initdb, initArgs, { encoding: 'utf8' });
  if (init.status !== 0) throw new Error(`initdb failed: ${init.stderr || init.stdout}`);
  const port = await freePort();
  const [postgres, args] = asPostgres(join(bin, 'postgres'), [
    '-D',
    data,
    '-p',
    String(port),
    '-k',
    dir,
    '-c',
    'listen_addresses=127.0.0.1',
    '-c',
    'fsync=off',
    '-c',
    'full_page_writes=off',
  ]);
  server = spawn(postgres, args, { stdio: ['ignore', 'ignore', 'pipe'] });
  let log = '';
  server.stderr?.on('data', (chunk: Buffer) => (log += chunk.toString()));
  const url = `postgresql://postgres@127.0.0.1:${port}/postgres`;
  const deadline = Date.now() + 30_000;
  for (;;) {
    const client = new pg.Client({ connectionString: url });
    try {
      await client.connect();
      await client.end();
      break;
    } catch {
      if (Date.now() > deadline || server.exitCode !== null) throw new Error(`PostgreSQL did not start: ${log}`);
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  }
  process.env.POSTGRES_TEST_URL = url;
}

export async function teardown(): Promise<void> {
  if (server && server.exitCode === null) {
    const exited = new Promise((resolve) => server!.once('exit', resolve));
    // runuser does not pass signals on: signal the postmaster itself (first line of postmaster.pid).
    const pid = Number(readFileSync(join(data!, 'postmaster.pid'), 'utf8').split('\n')[0]);
    process.kill(pid, 'SIGINT'); // fast shutdown
    await exited;
  }
  if (dir) rmSync(dir, { recursive: true, force: true });
}
