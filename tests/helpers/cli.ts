/** Runs the built binary (dist/bin/cruddur-ddb.js) the way a user does, against the test run's DynamoDB Local. */
import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { fileURLToPath } from 'node:url';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';

/** CRUDDUR_TEST_CLI runs the tests against another build (e.g. an older one, to see a test fail there). */
export const CLI = process.env.CRUDDUR_TEST_CLI ?? fileURLToPath(new URL('../../dist/bin/cruddur-ddb.js', import.meta.url));

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
  /** Kill it after this long (code null): a case that hangs fails on its own instead of the whole test. */
  timeoutMs?: number;
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

export function run(args: string[], options: RunOptions = {}): Promise<RunResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [CLI, ...args], { env: cleanEnv(options.env ?? {}, options.local ?? true) });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    const timer = options.timeoutMs ? setTimeout(() => child.kill('SIGKILL'), options.timeoutMs) : undefined;
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
