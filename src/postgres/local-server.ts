/**
 * A real PostgreSQL server started from the system's binaries (initdb, postgres), used by
 * `cruddur-ddb local --postgres` and by the test setup. PostgreSQL refuses to run as root, so as root
 * it runs as the `postgres` user (through runuser). TCP only, on 127.0.0.1, trust authentication:
 * a developer's machine, never a server.
 */
import { spawnSync } from 'node:child_process';
import { chmodSync, existsSync, mkdtempSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { createHash } from 'node:crypto';
import { join, resolve } from 'node:path';
import pg from 'pg';
import { CliError } from '../core/errors.js';
import { createSampleUsers, type UserRow } from './users.js';
import { launch } from '../local/launcher.js';
import { requireFreePort } from '../local/ports.js';
import type { ProcessIdentity } from '../local/processes.js';
import type { Watchdog } from '../local/watchdog.js';

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
  /** The temporary folder of a cluster started without a data dir (removed at stop). */
  temporary: string | undefined;
  identity: ProcessIdentity;
  exited: Promise<number | null>;
  lastLines(): string[];
  stop(): Promise<number | null>;
}

export interface PostgresOptions {
  port: number;
  /** Where the cluster lives (kept between runs); undefined: a temporary folder removed at stop. */
  dataDir?: string;
  /** See LaunchSpec: a detached server's log file, the watchdog, Ctrl-C during start-up. */
  logFile?: string;
  watchdog?: Watchdog;
  signal?: AbortSignal;
}

/** initdb when the folder holds no cluster yet, then the server; resolves once it takes connections. */
export async function startPostgres(options: PostgresOptions): Promise<LocalPostgres> {
  await requireFreePort(options.port, 'PostgreSQL', '--postgres-port');
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
  // As root the server runs as postgres through setpriv, which execs it: the PID we hold is the
  // postmaster's own, so a stop signal (or the watchdog's) reaches it directly.
  const serverArgs = [
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
  ];
  const [command, args] = asRoot()
    ? ['setpriv', ['--reuid=postgres', '--regid=postgres', '--init-groups', '--', join(bin, 'postgres'), ...serverArgs]]
    : [join(bin, 'postgres'), serverArgs];
  const url = `postgresql://postgres@127.0.0.1:${options.port}/postgres`;
  const server = await launch({
    name: 'PostgreSQL',
    command,
    args,
    ready: async () => {
      const client = new pg.Client({ connectionString: url });
      try {
        await client.connect();
        return true;
      } finally {
        await client.end().catch(() => undefined);
      }
    },
    deadlineMs: 30_000,
    failureCode: 'local.postgres_failed',
    stopSignal: 'SIGINT', // fast shutdown: clients are disconnected, nothing is waited for
    logFile: options.logFile,
    watchdog: options.watchdog,
    signal: options.signal,
    temporary,
  });
  return {
    url,
    port: options.port,
    dataDir: data,
    temporary,
    identity: server.identity,
    exited: server.exited,
    lastLines: server.lastLines,
    stop: server.stop,
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
