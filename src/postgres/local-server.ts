/**
 * A real PostgreSQL server started from the system's binaries (initdb, postgres), used by
 * `cruddur-ddb local --postgres` and by the test setup. PostgreSQL refuses to run as root, so as root
 * it runs as the `postgres` user (through runuser). TCP only, on 127.0.0.1, trust authentication:
 * a developer's machine, never a server.
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { chmodSync, existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { createHash } from 'node:crypto';
import { join, resolve } from 'node:path';
import pg from 'pg';
import { CliError } from '../core/errors.js';
import { createSampleUsers, type UserRow } from './users.js';

export type { UserRow };

/** The folder of initdb and postgres: on PATH, else Debian's /usr/lib/postgresql/<newest>/bin. */
export function postgresBinDir(): string {
  const onPath = spawnSync('sh', ['-c', 'command -v initdb'], { encoding: 'utf8' }).stdout.trim();
  if (onPath) return join(onPath, '..');
  const root = '/usr/lib/postgresql';
  const versions = existsSync(root) ? readdirSync(root).sort((a, b) => Number(b) - Number(a)) : [];
  if (versions[0] && existsSync(join(root, versions[0], 'bin', 'initdb'))) return join(root, versions[0], 'bin');
  throw new CliError('local.no_postgres', 'PostgreSQL server binaries (initdb, postgres) were not found', {
    hint: 'Install the server, e.g. `apt-get install postgresql`, or leave out --postgres',
  });
}

const asRoot = () => process.getuid?.() === 0;

/** argv for running a PostgreSQL binary: through runuser as `postgres` when we are root. */
function asPostgres(binary: string, args: string[]): [string, string[]] {
  return asRoot() ? ['runuser', ['-u', 'postgres', '--', binary, ...args]] : [binary, args];
}

/** Whether the postgres user can enter `dir` (root only: everyone else runs it as themselves). */
function postgresUserReaches(dir: string): boolean {
  return spawnSync('runuser', ['-u', 'postgres', '--', 'sh', '-c', 'test -x "$1"', 'sh', dir]).status === 0;
}

export interface LocalPostgres {
  /** The superuser's URL to the `postgres` database. */
  url: string;
  /** Where the cluster is. */
  dataDir: string;
  port: number;
  exited: Promise<number | null>;
  stop(): Promise<number | null>;
}

export interface PostgresOptions {
  port: number;
  /** Where the cluster lives (kept between runs); undefined: a temporary folder removed at stop. */
  dataDir?: string;
}

/** initdb when the folder holds no cluster yet, then the server; resolves once it takes connections. */
export async function startPostgres(options: PostgresOptions): Promise<LocalPostgres> {
  const bin = postgresBinDir();
  let temporary: string | undefined;
  let data: string;
  if (options.dataDir) data = options.dataDir;
  else {
    temporary = mkdtempSync(join(tmpdir(), 'cruddur-pg-'));
    chmodSync(temporary, 0o777); // the postgres user writes its cluster here
    data = join(temporary, 'data');
  }
  if (asRoot() && options.dataDir && !postgresUserReaches(join(data, '..'))) {
    // As root in a folder the postgres user cannot enter (a home directory, a private temp folder):
    // keep this project's cluster where it can, under the system's temp folder, one per project folder.
    data = join(tmpdir(), `cruddur-pg-${createHash('sha256').update(resolve(data)).digest('hex').slice(0, 12)}`);
  }
  if (!existsSync(join(data, 'PG_VERSION'))) {
    if (asRoot() && options.dataDir) {
      // The postgres user must own the cluster's folder and reach it.
      spawnSync('mkdir', ['-p', data]);
      spawnSync('chown', ['postgres', data]);
      spawnSync('chmod', ['700', data]);
    }
    const [initdb, args] = asPostgres(join(bin, 'initdb'), ['-D', data, '-U', 'postgres', '--auth=trust', '--no-sync', '-E', 'UTF8', '--locale=C']);
    const init = spawnSync(initdb, args, { encoding: 'utf8' });
    if (init.status !== 0) {
      const reason = (init.stderr || init.stdout || String(init.error ?? '')).trim().split('\n').pop();
      throw new CliError('local.postgres_failed', `initdb failed in ${data}: ${reason}`, {
        hint: asRoot() ? 'As root, PostgreSQL runs as the postgres user: it must be able to reach that folder (or use --in-memory)' : undefined,
      });
    }
  }
  const [postgres, args] = asPostgres(join(bin, 'postgres'), [
    '-D',
    data,
    '-p',
    String(options.port),
    '-c',
    'listen_addresses=127.0.0.1',
    // TCP only: no socket file to place where the postgres user may not write.
    '-c',
    'unix_socket_directories=',
    '-c',
    'fsync=off',
    '-c',
    'full_page_writes=off',
  ]);
  const server: ChildProcess = spawn(postgres, args, { stdio: ['ignore', 'ignore', 'pipe'] });
  let log = '';
  server.stderr?.on('data', (chunk: Buffer) => (log += chunk.toString()));
  const exited = new Promise<number | null>((resolve) => server.once('exit', (code) => resolve(code)));
  const url = `postgresql://postgres@127.0.0.1:${options.port}/postgres`;
  const deadline = Date.now() + 30_000;
  for (;;) {
    const client = new pg.Client({ connectionString: url });
    try {
      await client.connect();
      await client.end();
      break;
    } catch {
      if (Date.now() > deadline || server.exitCode !== null) {
        const reason = log.trim().split('\n').filter(Boolean).pop() ?? `exit code ${server.exitCode}`;
        if (server.exitCode === null) server.kill('SIGKILL');
        throw new CliError('local.postgres_failed', `PostgreSQL did not start on port ${options.port}: ${reason}`);
      }
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  }
  return {
    url,
    port: options.port,
    dataDir: data,
    exited,
    stop: async () => {
      if (server.exitCode === null && server.signalCode === null) {
        // runuser does not pass signals on: signal the postmaster itself (first line of postmaster.pid).
        try {
          const pid = Number(readFileSync(join(data, 'postmaster.pid'), 'utf8').split('\n')[0]);
          process.kill(pid, 'SIGINT'); // fast shutdown
        } catch {
          server.kill('SIGTERM');
        }
      }
      const code = await exited;
      if (temporary) rmSync(temporary, { recursive: true, force: true });
      return code;
    },
  };
}

/**
 * Makes database `name` (if missing) with the users table and these users (inserted once, matched by
 * handle; cognito_user_id 'MOCK' as the backend's seed.sql has it until update-cognito-user-ids runs).
 * Returns the database's URL.
 */
export async function prepareCruddurDatabase(superuserUrl: string, name: string, users: UserRow[]): Promise<string> {
  const admin = new pg.Client({ connectionString: superuserUrl });
  await admin.connect();
  try {
    const { rowCount } = await admin.query('SELECT 1 FROM pg_database WHERE datname = $1', [name]);
    if (!rowCount) await admin.query(`CREATE DATABASE ${pg.escapeIdentifier(name)}`);
  } finally {
    await admin.end();
  }
  const url = superuserUrl.replace(/\/[^/]*$/, `/${encodeURIComponent(name)}`);
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    await createSampleUsers(client, users);
  } finally {
    await client.end();
  }
  return url;
}
