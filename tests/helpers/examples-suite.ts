/**
 * Every documented example runs (README.md, docs/*.md, every command's --help; see
 * tests/helpers/examples.ts), in two halves (tests/examples.test.ts and tests/examples-2.test.ts), each a
 * file of its own with a stack of its own, so the two run side by side: one file was the suite's longest by far. Each runs through a real shell (sh, or the shell a completion example is
 * for), as written, with `cruddur-ddb` and
 * `npx cruddur-ddb` both meaning the built binary, in a folder of its own, against:
 *   - a DynamoDB Local of this file's own, holding the seeded `cruddur-messages` table (restored after
 *     an example drops or resets it), as `npm start` leaves it;
 *   - the test PostgreSQL (a `cruddur` database with the sample users, as `local --postgres` makes it)
 *     and the test cognito-local (a pool with the sample users, as `local --cognito` makes it), set in
 *     the environment as `source .cruddur/env` would.
 * Examples that select prod run against a recorder: AWS endpoints and the local PostgreSQL URL point at
 * servers that count connections, and there are no AWS credentials or region. Such an example must parse
 * (exit code not 2), show that it chose prod (its words say prod), and refuse before any connection; one
 * that refuses for want of a terminal is run again on one (util-linux `script`) and must ask.
 * Commands that run until Ctrl-C (`local`, `ui`, `stream` without --once) must get ready, then stop cleanly on SIGINT.
 */
import { spawn, spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { chmodSync, cpSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer as createHttpServer, type Server } from 'node:http';
import { createServer as createTcpServer, type Server as TcpServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DynamoDBClient, QueryCommand } from '@aws-sdk/client-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freePort, startDynamoDbLocal, type LocalDynamo } from '../../src/aws/local-dynamodb.js';
import { prepareCruddurPool } from '../../src/cognito/local-server.js';
import { prepareCruddurDatabase } from '../../src/postgres/local-server.js';
import { readSeedDir } from '../../src/seed/files.js';
import { CLI, cleanEnv } from './cli.js';
import { cognitoUrl } from './cognito.js';
import { collectExamples, type Example } from './examples.js';
import { postgresUrl } from './postgres.js';
import { startS3, type TestS3 } from './s3rver.js';
import { scaled } from './time-scale.js';

const ROOT = new URL('../..', import.meta.url).pathname;
/** @andrewbrown and @bayko in seed/ (the group uuid is derived from the file name). */
const SAMPLE_CONVERSATION = '6fd7060e-c610-5e79-b5f3-167bc0fa37bb';

/**
 * Examples that cannot run here, each with its reason. Keep this short: an example that does not run
 * is one a user cannot trust. Keys are the example as written.
 */
const CANNOT_RUN: Record<string, string> = {};

/** Load-test sizes cut down so the suite stays quick on a cold DynamoDB Local; the same code path runs. */
const SCALE_DOWN: Array<[RegExp, string]> = [[/--synthetic \d{4,}/g, '--synthetic 300']];

interface Stack {
  dynamo: LocalDynamo;
  /** A second DynamoDB Local, for examples that name two (`--from http://localhost:8000 --to http://localhost:8001`). */
  other: LocalDynamo;
  databaseUrl: string;
  poolId: string;
  work: string;
  shims: string;
  recorder: { http: Server; tcp: TcpServer; url: string; tcpPort: number; hits: string[] };
  /** The bucket the s3:// examples name (cruddur-exports). */
  s3: TestS3;
}

let stack: Stack;
const allExamples = collectExamples();
const ran: string[] = [];

async function startRecorder(): Promise<Stack['recorder']> {
  const hits: string[] = [];
  const http = createHttpServer((request, response) => {
    hits.push(`${request.method} ${request.headers['x-amz-target'] ?? request.url}`);
    response.writeHead(403, { 'content-type': 'application/x-amz-json-1.0' });
    response.end(JSON.stringify({ __type: 'AccessDeniedException', message: 'recorder: no prod here' }));
  });
  const tcp = createTcpServer((socket) => {
    hits.push('postgres connection');
    socket.destroy();
  });
  const port = await freePort();
  const tcpPort = await freePort();
  await new Promise<void>((resolve) => http.listen(port, '127.0.0.1', resolve));
  await new Promise<void>((resolve) => tcp.listen(tcpPort, '127.0.0.1', resolve));
  return { http, tcp, url: `http://127.0.0.1:${port}`, tcpPort, hits };
}

/** `cruddur-ddb` and `npx cruddur-ddb` on PATH both run the built binary, as in a clone (npx) or after npm link. */
function writeShims(dir: string): void {
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, 'cruddur-ddb'), `#!/bin/sh\nexec "${process.execPath}" "${CLI}" "$@"\n`, { mode: 0o755 });
  writeFileSync(
    join(dir, 'npx'),
    `#!/bin/sh\nif [ "$1" = cruddur-ddb ]; then shift; exec "${process.execPath}" "${CLI}" "$@"; fi\necho "examples test: npx runs only cruddur-ddb here" >&2\nexit 127\n`,
    { mode: 0o755 },
  );
}

function dynamoClient(): DynamoDBClient {
  return new DynamoDBClient({ endpoint: stack.dynamo.url, region: 'us-east-1', credentials: { accessKeyId: 'cruddurlocal', secretAccessKey: 'cruddurlocal' } });
}

/** The sample conversations are in `cruddur-messages` (an example may have dropped or reset it). */
async function sampleDataThere(): Promise<boolean> {
  const client = dynamoClient();
  try {
    const { Count } = await client.send(
      new QueryCommand({
        TableName: 'cruddur-messages',
        KeyConditionExpression: 'pk = :pk',
        ExpressionAttributeValues: { ':pk': { S: `MSG#${SAMPLE_CONVERSATION}` } },
        Limit: 1,
      }),
    );
    return (Count ?? 0) > 0;
  } catch {
    return false;
  } finally {
    client.destroy();
  }
}

function localEnv(): NodeJS.ProcessEnv {
  return cleanEnv(
    {
      PATH: `${stack.shims}:${process.env.PATH}`,
      AWS_ENDPOINT_URL_DYNAMODB: stack.dynamo.url,
      CONNECTION_URL: stack.databaseUrl,
      AWS_COGNITO_USER_POOL_ID: stack.poolId,
      AWS_ENDPOINT_URL_COGNITO_IDENTITY_PROVIDER: cognitoUrl(),
      // S3 (s3rver) for the s3:// examples; its keys, which DynamoDB Local and cognito-local take too.
      ...stack.s3.env,
    },
    false,
  );
}

function prodEnv(): NodeJS.ProcessEnv {
  const { url, tcpPort } = stack.recorder;
  return cleanEnv(
    {
      PATH: `${stack.shims}:${process.env.PATH}`,
      AWS_ENDPOINT_URL: url,
      AWS_ENDPOINT_URL_DYNAMODB: url,
      AWS_ENDPOINT_URL_COGNITO_IDENTITY_PROVIDER: url,
      AWS_EC2_METADATA_DISABLED: 'true',
      // A command that wrongly took the local database would connect here and be counted.
      CONNECTION_URL: `postgresql://recorder@127.0.0.1:${tcpPort}/cruddur`,
    },
    false,
  );
}

/** The example with the reader's own ids and addresses replaced by the test's (each rule says why). */
function adapt(text: string, ports: { dynamo: number; postgres: number; cognito: number }): string {
  let command = text
    // A PostgreSQL URL in an example names the reader's database: use the test one.
    .replace(/postgresql:\/\/\S+/g, stack.databaseUrl)
    // Pool ids in examples name the reader's pool: use the test pool (with the sample users).
    .replace(/\b(?:us-east-1_AbCdEf123|local_1F3C6C33)\b/g, stack.poolId)
    // cognito-local's default address: use the test one.
    .replace(/http:\/\/localhost:9229\b/g, cognitoUrl())
    // DynamoDB Local's default address and the usual second one (8000 and 8001 belong to others here).
    .replace(/http:\/\/localhost:8000\b/g, stack.dynamo.url)
    .replace(/http:\/\/localhost:8001\b/g, stack.other.url);
  for (const [pattern, replacement] of SCALE_DOWN) command = command.replace(pattern, replacement);
  if (/cruddur-ddb\s+ui\b/.test(command)) {
    // `ui` listens on 8060 by default: a free port instead (another session may hold it).
    command = /--port \d+/.test(command) ? command.replace(/--port \d+/, `--port ${ports.dynamo}`) : `${command} --port ${ports.dynamo}`;
  }
  if (/cruddur-ddb\s+local\b/.test(command)) {
    // `local` listens on 8000 by default, which other sessions on this machine use: a free port instead.
    command = /--port \d+/.test(command) ? command.replace(/--port \d+/, `--port ${ports.dynamo}`) : `${command} --port ${ports.dynamo}`;
    if (/--postgres\b/.test(command)) command += ` --postgres-port ${ports.postgres}`;
    if (/--cognito\b/.test(command)) command += ` --cognito-port ${ports.cognito}`;
  }
  return command;
}

const selectsProd = (text: string) => /(?:^|\s)prod(?:\s|$)|--env[ =]prod|CRUDDUR_ENV=prod/.test(text);
/** `local --detach`, `local status`, `local stop`: they return, and leave (or need) a stack in their folder. */
const detached = (text: string) => /cruddur-ddb\s+local\b.*--detach|cruddur-ddb\s+local\s+(?:status|stop)\b/.test(text);
const runsUntilCtrlC = (text: string) =>
  (/cruddur-ddb\s+(?:local|ui)\b/.test(text) && !detached(text)) || (/cruddur-ddb\s+stream\b/.test(text) && !/--once/.test(text));

/** The shell an example is written for: `completion zsh` examples are zsh (`source <(...)`), and so on; else sh. */
function interpreter(command: string): [string, string[]] {
  const shell = /completion\s+(bash|zsh|fish)\b/.exec(command)?.[1];
  if (shell === 'zsh') return ['zsh', ['-f', '-c']];
  if (shell === 'fish') return ['fish', ['--no-config', '-c']];
  if (shell === 'bash') return ['bash', ['--norc', '-c']];
  return ['sh', ['-c']];
}

function shell(command: string, env: NodeJS.ProcessEnv, cwd: string) {
  const [program, flags] = interpreter(command);
  const result = spawnSync(program, [...flags, command], { cwd, env, encoding: 'utf8', timeout: scaled(90_000) });
  return { code: result.status, stdout: result.stdout ?? '', stderr: result.stderr ?? '' };
}

/** Starts a long-running example, waits until it says it is ready, stops it with Ctrl-C; its exit code. */
async function runUntilReady(command: string, env: NodeJS.ProcessEnv, cwd: string): Promise<{ code: number | null; output: string }> {
  // `exec`: the tool itself, not the shell, must be the process that gets Ctrl-C (as in a terminal).
  const child = spawn('sh', ['-c', command.replace(/^((?:[A-Z_][A-Z0-9_]*=\S*\s+)*)/, '$1exec ')], { cwd, env, stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  // local: "Ctrl-C stops it."; ui: "Ctrl-C stops."; stream: "... until Ctrl-C".
  const ready = /Ctrl-C stops|until Ctrl-C/;
  const exited = new Promise<number | null>((resolve) =>
    child.once('exit', (code, signal) => {
      if (signal) output += `\n[ended by ${signal}, not by its own exit]`;
      resolve(code);
    }),
  );
  await new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => {
      child.kill('SIGINT'); // never leave it (or the servers it started) running behind a failed test
      reject(new Error(`not ready after ${scaled(90_000) / 1000} s: ${output}`));
    }, scaled(90_000));
    const onData = (chunk: Buffer) => {
      output += chunk.toString();
      if (ready.test(output)) {
        clearTimeout(timer);
        resolve();
      }
    };
    child.stdout.on('data', onData);
    child.stderr.on('data', onData);
    void exited.then(() => {
      clearTimeout(timer);
      if (!ready.test(output)) reject(new Error(`exited before it was ready: ${output}`));
    });
  });
  // A person reads the ready line before pressing Ctrl-C; a signal in the same millisecond can beat a
  // handler installed just after the line is printed (ui does that: its Ctrl-C is lost as a kill).
  await new Promise((resolve) => setTimeout(resolve, 300));
  child.kill('SIGINT');
  return { code: await exited, output };
}

/**
 * The examples of one half, with the stack they run against: those that each run in a folder of their own
 * (until Ctrl-C, or `--detach` and stopped), or the others, which run one after another in one folder and
 * may need what an earlier one wrote (an export before the import of its file).
 */
export function examplesSuite(half: 'own-folders' | 'one-folder'): void {
  const ownFolder = (example: Example) => (runsUntilCtrlC(example.text) || detached(example.text)) && !selectsProd(example.text);
  const examples = allExamples.filter((example) => ownFolder(example) === (half === 'own-folders'));
  beforeAll(async () => {
    const work = mkdtempSync(join(tmpdir(), 'cruddur-examples-'));
    chmodSync(work, 0o755); // `local --postgres` as root: the postgres user must reach .cruddur/ here
    const dynamo = await startDynamoDbLocal({ port: await freePort() });
    const other = await startDynamoDbLocal({ port: await freePort() });
    const { users } = await readSeedDir(join(ROOT, 'seed'));
    const suffix = randomBytes(4).toString('hex');
    const sample = users.map((user) => ({ ...user, email: `${user.handle}@example.com` }));
    const databaseUrl = await prepareCruddurDatabase(postgresUrl(), `examples_${suffix}`, sample);
    const poolId = await prepareCruddurPool(cognitoUrl(), `examples-${suffix}`, sample);
    const s3 = await startS3(['cruddur-exports']);
    stack = { dynamo, other, databaseUrl, poolId, work, shims: join(work, '.bin'), recorder: await startRecorder(), s3 };
    writeShims(stack.shims);
    // A reader's own seed folder, for `seed --dir ./my-seed`.
    cpSync(join(ROOT, 'seed'), join(work, 'my-seed'), { recursive: true });
    const setup = (args: string) => expect(shell(`cruddur-ddb ${args}`, localEnv(), work).code).toBe(0);
    setup('schema-load');
    setup('seed');
    // The other table examples name.
    setup('schema-load my-messages --billing provisioned');
  }, 180_000);

  afterAll(async () => {
    await stack?.dynamo.stop();
    await stack?.other.stop();
    await stack?.s3.stop();
    stack?.recorder.http.close();
    stack?.recorder.tcp.close();
    if (stack?.work) rmSync(stack.work, { recursive: true, force: true });
    // The count the closing note reports.
    console.log(
      `examples (${half}): ${allExamples.length} collected, ${examples.length} in this half, ${ran.length} run, ${Object.keys(CANNOT_RUN).length} marked as unable to run here`,
    );
  });

  describe('documented examples', () => {
    // In one half only: the collection is the same for both.
    if (half === 'one-folder')
      it('are found in the README, the docs and every --help', () => {
        expect(allExamples.length).toBeGreaterThan(40);
        expect(allExamples.some((example) => example.sources.some((source) => source.startsWith('docs/')))).toBe(true);
        expect(allExamples.some((example) => example.sources.some((source) => source.startsWith('--help of ')))).toBe(true);
        for (const text of Object.keys(CANNOT_RUN))
          expect(
            allExamples.map((example) => example.text),
            `CANNOT_RUN lists an example nobody writes: ${text}`,
          ).toContain(text);
      });

    const name = (example: Example): [string, Example] => [`${example.text}  (${example.sources.join(', ')})`, example];

    // Each in a folder of its own (its own .cruddur/) and on its own ports, like a new user's project.
    it.each(examples.filter((example) => runsUntilCtrlC(example.text) && !selectsProd(example.text)).map(name))(
      '%s',
      async (_name, example) => {
        if (CANNOT_RUN[example.text]) return;
        ran.push(example.text);
        const cwd = mkdtempSync(join(tmpdir(), 'cruddur-example-'));
        chmodSync(cwd, 0o755); // `local --postgres` as root: the postgres user must reach .cruddur/ here
        try {
          const command = adapt(example.text, { dynamo: await freePort(), postgres: await freePort(), cognito: await freePort() });
          const { code, output } = await runUntilReady(command, localEnv(), cwd);
          expect(code, output).toBe(0);
        } finally {
          rmSync(cwd, { recursive: true, force: true });
        }
      },
      180_000,
    );

    // Each in a folder of its own: `status` and `stop` find a `--detach` stack started there first; every one is stopped after.
    it.each(examples.filter((example) => detached(example.text) && !selectsProd(example.text)).map(name))(
      '%s',
      async (_name, example) => {
        ran.push(example.text);
        const cwd = mkdtempSync(join(tmpdir(), 'cruddur-example-'));
        const port = await freePort();
        // The port goes right after `local` (the example may go on into a pipe).
        const command = example.text.replace(/cruddur-ddb\s+local\b/, `$& --port ${port}`);
        try {
          if (!/--detach/.test(command)) expect(shell(`cruddur-ddb local --detach --in-memory --port ${port}`, localEnv(), cwd).code).toBe(0);
          const result = shell(command, localEnv(), cwd);
          expect(result.code, `${command}\n${result.stderr}`).toBe(0);
        } finally {
          expect(shell('cruddur-ddb local stop', localEnv(), cwd).code).toBe(0);
          rmSync(cwd, { recursive: true, force: true });
        }
      },
      180_000,
    );

    it.each(examples.filter((example) => (!runsUntilCtrlC(example.text) && !detached(example.text)) || selectsProd(example.text)).map(name))(
      '%s',
      async (_name, example) => {
        if (CANNOT_RUN[example.text]) return;
        const command = adapt(example.text, { dynamo: 0, postgres: 0, cognito: 0 });
        ran.push(example.text);
        if (selectsProd(example.text)) {
          stack.recorder.hits.length = 0;
          const result = shell(command, prodEnv(), stack.work);
          const said = `${result.stdout}\n${result.stderr}`;
          expect(result.code, `parses: ${said}`).not.toBe(2);
          expect(said, 'says it chose prod').toMatch(/prod|PROD_/i);
          expect(stack.recorder.hits, 'no connection before refusing').toEqual([]);
          if (result.code === 0) expect(result.stdout, 'only a report may succeed without a connection').toMatch(/"environment"|environment/);
          if (/Refusing to .* in prod without confirmation/.test(result.stderr)) {
            // On a terminal it asks instead; the wrong answer changes nothing and connects nowhere.
            const onTerminal = spawnSync('script', ['-qec', command, '/dev/null'], { cwd: stack.work, env: prodEnv(), input: 'no\n', encoding: 'utf8' });
            expect(onTerminal.stdout).toMatch(/in PROD\. Type ".+" to go on/);
            expect(onTerminal.stdout).toMatch(/Not confirmed; nothing was changed/);
            expect(stack.recorder.hits).toEqual([]);
          }
          return;
        }
        const result = shell(command, localEnv(), stack.work);
        expect(result.code, `${command}\n${result.stderr}`).toBe(0);
        // An example that dropped or reset the messages table leaves it for the next one as npm start would.
        if (!(await sampleDataThere())) {
          expect(shell('cruddur-ddb schema-load && cruddur-ddb seed', localEnv(), stack.work).code).toBe(0);
        }
      },
    );
  });
}
