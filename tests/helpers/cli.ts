/**
 * Runs the tool against the test run's DynamoDB Local: `run` in this process (src/entry/run.ts, with its
 * own streams and environment: fast, and what most tests use), `spawnCli` as a user does, through the
 * built binary (dist/bin/cruddur-ddb.cjs), for the binary's own contract (tests/binary.test.ts).
 */
import { spawn } from 'node:child_process';
import { Readable, Writable } from 'node:stream';
import { randomBytes } from 'node:crypto';
import { fileURLToPath } from 'node:url';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { scaled } from './time-scale.js';

/** CRUDDUR_TEST_CLI runs the tests against another build (e.g. an older one, to see a test fail there). */
export const CLI = process.env.CRUDDUR_TEST_CLI ?? fileURLToPath(new URL('../../dist/bin/cruddur-ddb.cjs', import.meta.url));

export function dynamoUrl(): string {
  const url = process.env.DYNAMODB_URL;
  if (!url) throw new Error('DYNAMODB_URL is not set: run the tests through vitest (tests/setup/dynamodb.ts)');
  return url;
}

/** A table name no other test uses. */
export function tableName(prefix = 'test'): string {
  return `${prefix}-${randomBytes(5).toString('hex')}`;
}

export function testClient(): DynamoDBClient {
  return new DynamoDBClient({
    endpoint: dynamoUrl(),
    region: 'us-east-1',
    credentials: { accessKeyId: 'cruddurlocal', secretAccessKey: 'cruddurlocal' },
  });
}

export interface RunResult {
  code: number | null;
  stdout: string;
  stderr: string;
}

export interface RunOptions {
  env?: Record<string, string | undefined>;
  input?: string;
  /** Point at the test DynamoDB (default true). */
  local?: boolean;
  /** Kill it after this long, scaled by the machine's measured load (code null): a case that hangs fails on its own. */
  timeoutMs?: number;
  /** In-process only: stdout is a terminal this many columns wide (tables are fitted to it). */
  terminalWidth?: number;
}

/** An environment free of the developer's own AWS and Cruddur settings. */
export function cleanEnv(extra: Record<string, string | undefined>, local: boolean): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {};
  for (const [key, value] of Object.entries(process.env)) {
    if (/^(AWS_|CRUDDUR_|DDB_|CONNECTION_URL|PROD_CONNECTION_URL|NO_COLOR|FORCE_COLOR)/.test(key)) continue;
    env[key] = value;
  }
  // No shared config or credential files from the machine running the tests.
  env.AWS_CONFIG_FILE = '/nonexistent/config';
  env.AWS_SHARED_CREDENTIALS_FILE = '/nonexistent/credentials';
  if (local) env.AWS_ENDPOINT_URL_DYNAMODB = dynamoUrl();
  for (const [key, value] of Object.entries(extra)) {
    if (value === undefined) delete env[key];
    else env[key] = value;
  }
  return env;
}

/** A stream that keeps what is written to it. */
function collector(): Writable & { text: string } {
  const sink = new Writable({
    write(chunk: Buffer | string, _encoding, callback) {
      sink.text += chunk.toString();
      callback();
    },
  }) as Writable & { text: string };
  sink.text = '';
  return sink;
}

/**
 * One command line, in this process. process.env is swapped for the same clean environment a spawned
 * binary would get (the AWS SDK's credential chain reads it), and put back afterwards; tests in a file
 * run one at a time, so nothing else sees the swap.
 */
export async function run(args: string[], options: RunOptions = {}): Promise<RunResult> {
  const { runCli } = await import('../../src/entry/run.js');
  const env = cleanEnv({ AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true', ...options.env }, options.local ?? true);
  const stdout = collector();
  const stderr = collector();
  if (options.terminalWidth) Object.assign(stdout, { isTTY: true, columns: options.terminalWidth });
  const saved = { ...process.env };
  replaceEnv(env);
  try {
    const code = await runCli(args, { stdout, stderr, stdin: Readable.from([options.input ?? '']), env });
    return { code, stdout: stdout.text, stderr: stderr.text };
  } finally {
    replaceEnv(saved);
  }
}

/** Changes process.env in place (not a new object: Node applies TZ only through the real one). */
function replaceEnv(next: NodeJS.ProcessEnv): void {
  for (const key of Object.keys(process.env)) if (!(key in next)) delete process.env[key];
  Object.assign(process.env, next);
}

/** One command line through the built binary, in a child process (needs `npm run build`). */
export function spawnCli(args: string[], options: RunOptions = {}): Promise<RunResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [CLI, ...args], { env: cleanEnv(options.env ?? {}, options.local ?? true) });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    const timer = options.timeoutMs ? setTimeout(() => child.kill('SIGKILL'), scaled(options.timeoutMs)) : undefined;
    child.on('error', reject);
    child.on('close', (code) => {
      clearTimeout(timer);
      resolve({ code, stdout, stderr });
    });
    child.stdin.end(options.input ?? '');
  });
}

/** The one-line-error contract: non-zero exit, one line on stderr, no stack trace. */
export function oneLineError(result: RunResult): string {
  const lines = result.stderr.trim().split('\n');
  if (lines.length !== 1 || /\n\s+at /.test(result.stderr)) throw new Error(`expected one line on stderr, got:\n${result.stderr}`);
  return lines[0]!;
}

/** A new messages table (the real schema) for one test, created straight through the SDK. */
export async function createMessagesTable(prefix = 'test'): Promise<string> {
  const { CreateTableCommand } = await import('@aws-sdk/client-dynamodb');
  const { messagesTableInput } = await import('../../src/patterns/table.js');
  const table = tableName(prefix);
  const client = testClient();
  try {
    await client.send(new CreateTableCommand(messagesTableInput(table)));
  } finally {
    client.destroy();
  }
  return table;
}
