/**
 * Issue 11, faults: killed servers, a restarted DynamoDB Local, a held row lock, an endpoint that is
 * not DynamoDB, a recorder proving no connection is made to the EC2 metadata address. Each case
 * failed before the fix (see the issue).
 */
import { CreateTableCommand, DynamoDBClient, ScanCommand } from '@aws-sdk/client-dynamodb';
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, writeFileSync, mkdirSync } from 'node:fs';
import { createServer as createHttpServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { afterAll, describe, expect, it } from 'vitest';
import { freePort, startDynamoDbLocal } from '../src/aws/local-dynamodb.js';
import { createMessage, createMessageGroup, listMessageGroups, messagesTableInput, type Participant } from '../src/patterns/index.js';
import { CLI, cleanEnv, dynamoUrl, oneLineError, run, spawnCli, tableName, testClient } from './helpers/cli.js';
import { freshDatabase, query } from './helpers/postgres.js';
import { startRecorder } from './helpers/recorder.js';

const andrew: Participant = { uuid: '4f1c2d3e-0000-4000-8000-0000000000a1', displayName: 'Andrew Brown', handle: 'andrewbrown' };
const bayko: Participant = { uuid: '4f1c2d3e-0000-4000-8000-0000000000a2', displayName: 'Andrew Bayko', handle: 'bayko' };
const at = (second: number) => `2026-11-25T05:00:${String(second).padStart(2, '0')}.000000+00:00`;

/** Spawns the binary and lets a test wait for text on its stderr. */
function startCli(args: string[], env: Record<string, string | undefined>) {
  const child = spawn(process.execPath, [CLI, ...args], { env: cleanEnv(env, false) });
  let stderr = '';
  let stdout = '';
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
  const exited = new Promise<number | null>((resolve) => child.on('close', resolve));
  const waitFor = async (pattern: RegExp, ms = 30_000) => {
    const deadline = Date.now() + ms;
    while (!pattern.test(stderr)) {
      if (Date.now() > deadline || child.exitCode !== null) throw new Error(`never saw ${pattern}; stderr:\n${stderr}`);
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
  };
  return { child, exited, waitFor, stderr: () => stderr, stdout: () => stdout };
}

const clientFor = (endpoint: string) =>
  new DynamoDBClient({ endpoint, region: 'us-east-1', credentials: { accessKeyId: 'cruddurlocal', secretAccessKey: 'cruddurlocal' } });

describe('no connection where none may be', () => {
  it('a local command with no region set never asks the EC2 metadata address (recorder)', async () => {
    const recorder = await startRecorder();
    try {
      // The binary in its own process: the SDK reads AWS_EC2_METADATA_SERVICE_ENDPOINT from the real environment.
      const result = await spawnCli(['list-tables', '-o', 'json'], {
        env: { AWS_EC2_METADATA_SERVICE_ENDPOINT: recorder.url, HOME: mkdtempSync(join(tmpdir(), 'home-')) },
      });
      expect(result.code).toBe(0);
      const env = await spawnCli(['env', '-o', 'json'], { env: { AWS_EC2_METADATA_SERVICE_ENDPOINT: recorder.url } });
      expect(JSON.parse(env.stdout).region).toEqual({ value: 'us-east-1', source: 'default (local)' });
      expect(recorder.connections).toBe(0);
    } finally {
      await recorder.close();
    }
  });

  it('takes a local region from the profile in the config file, still without IMDS', async () => {
    const recorder = await startRecorder();
    const dir = mkdtempSync(join(tmpdir(), 'awscfg-'));
    writeFileSync(join(dir, 'config'), '[default]\nregion = eu-west-1\n[profile dev]\nregion = ap-south-1\n');
    try {
      const env = { AWS_EC2_METADATA_SERVICE_ENDPOINT: recorder.url, AWS_CONFIG_FILE: join(dir, 'config') };
      expect(JSON.parse((await run(['env', '-o', 'json'], { env })).stdout).region.value).toBe('eu-west-1');
      expect(JSON.parse((await run(['env', '-o', 'json', '--profile', 'dev'], { env })).stdout).region.value).toBe('ap-south-1');
      expect(recorder.connections).toBe(0);
    } finally {
      await recorder.close();
    }
  });

  it("takes a local profile's static keys from the shared files (credentials file first), the environment's before them, and never a role or a login", async () => {
    const recorder = await startRecorder();
    const dir = mkdtempSync(join(tmpdir(), 'awscfg-'));
    writeFileSync(join(dir, 'credentials'), '[default]\naws_access_key_id = fromcredentials\naws_secret_access_key = s\n');
    writeFileSync(
      join(dir, 'config'),
      '[default]\naws_access_key_id = fromconfig\naws_secret_access_key = s\n[profile dev]\naws_access_key_id = devkey\naws_secret_access_key = s\n' +
        `[profile role]\nrole_arn = arn:aws:iam::123456789012:role/r\nsource_profile = dev\ncredential_process = sh -c 'touch ${join(dir, 'ran')}'\n`,
    );
    try {
      const env = {
        AWS_EC2_METADATA_SERVICE_ENDPOINT: recorder.url,
        AWS_CONFIG_FILE: join(dir, 'config'),
        AWS_SHARED_CREDENTIALS_FILE: join(dir, 'credentials'),
      };
      const credentials = async (args: string[], extra: Record<string, string> = {}) =>
        JSON.parse((await run(['env', '-o', 'json', ...args], { env: { ...env, ...extra } })).stdout).credentials;
      expect(await credentials([])).toEqual({ value: 'fromcredentials', source: 'AWS profile "default"' });
      expect(await credentials(['--profile', 'dev'])).toEqual({ value: 'devkey', source: 'AWS profile "dev"' });
      expect(await credentials(['--profile', 'dev'], { AWS_ACCESS_KEY_ID: 'envkey', AWS_SECRET_ACCESS_KEY: 's' })).toEqual({
        value: 'envkey',
        source: 'environment (AWS_ACCESS_KEY_ID)',
      });
      // A profile that needs STS or a process to get keys: locally that is not run; DynamoDB Local gets the dummies.
      expect(await credentials(['--profile', 'role'])).toEqual({ value: 'cruddurlocal', source: 'local dummies' });
      expect(existsSync(join(dir, 'ran'))).toBe(false);
      expect(recorder.connections).toBe(0);
    } finally {
      await recorder.close();
    }
  });

  it('local listens on the loopback only by default; --host widens it with a warning', async () => {
    const port = await freePort();
    const cli = startCli(['local', '--in-memory', '--port', String(port)], {});
    try {
      await cli.waitFor(/Ctrl-C stops it/);
      const { spawnSync } = await import('node:child_process');
      const listening = spawnSync('ss', ['-ltnH', `sport = :${port}`], { encoding: 'utf8' }).stdout;
      expect(listening).toMatch(/127\.0\.0\.1\]?:\d+/);
      expect(listening).not.toMatch(/(\*|0\.0\.0\.0|\[::\]):\d+/);
      expect(cli.stderr()).not.toMatch(/Warning/);
    } finally {
      cli.child.kill('SIGINT');
      expect(await cli.exited).toBe(0);
    }
    const wide = startCli(['local', '--in-memory', '--port', String(port), '--host', '0.0.0.0'], {});
    try {
      await wide.waitFor(/Ctrl-C stops it/);
      expect(wide.stderr()).toMatch(/Warning: listening on every network interface: DynamoDB Local accepts any credentials/);
    } finally {
      wide.child.kill('SIGINT');
      await wide.exited;
    }
  });
});

describe('no silent end, no silent hang', () => {
  it('local exits non-zero with the last lines of its log when DynamoDB Local dies under it', async () => {
    const port = await freePort();
    const cli = startCli(['local', '--in-memory', '--port', String(port)], {});
    await cli.waitFor(/Ctrl-C stops it/);
    const { spawnSync } = await import('node:child_process');
    const pid = /pid=(\d+)/.exec(spawnSync('ss', ['-ltnpH', `sport = :${port}`], { encoding: 'utf8' }).stdout)?.[1];
    expect(pid).toBeDefined();
    process.kill(Number(pid), 'SIGKILL');
    expect(await cli.exited).toBe(1);
    expect(cli.stderr()).toMatch(/DynamoDB Local's last lines:\n {2}Initializing DynamoDB Local/);
    expect(cli.stderr()).toMatch(/error\[local\.died\]: DynamoDB Local stopped by itself \(by signal SIGKILL\)/);
  });

  it('stream (following) survives a DynamoDB Local restart: says it went away, that it is back, and goes on', async () => {
    const port = await freePort();
    const dataDir = mkdtempSync(join(tmpdir(), 'cruddur-restart-'));
    let dynamo = await startDynamoDbLocal({ port, dataDir });
    const client = clientFor(dynamo.url);
    const table = tableName('restart');
    await client.send(new CreateTableCommand(messagesTableInput(table)));
    const group = (await createMessageGroup(client, table, { sender: andrew, recipient: bayko, message: 'hi', createdAt: at(0) })).message_group_uuid;
    const cli = startCli(['stream', '--table', table, '--checkpoint-dir', mkdtempSync(join(tmpdir(), 'ckpt-')), '-o', 'json'], {
      AWS_ENDPOINT_URL_DYNAMODB: dynamo.url,
    });
    try {
      await cli.waitFor(/Reading the stream/);
      await cli.waitFor(/records/);
      dynamo.child.kill('SIGKILL');
      await dynamo.exited;
      await cli.waitFor(/DynamoDB stopped answering at/);
      dynamo = await startDynamoDbLocal({ port, dataDir });
      await cli.waitFor(/DynamoDB answers again at/, 60_000);
      await createMessage(client, table, { messageGroupUuid: group, sender: bayko, message: 'after the restart', createdAt: at(30) });
      for (let i = 0; i < 200; i++) {
        const { items } = await listMessageGroups(client, table, andrew.uuid);
        if (items[0]?.message === 'after the restart') break;
        await new Promise((resolve) => setTimeout(resolve, 100));
      }
      expect((await listMessageGroups(client, table, andrew.uuid)).items[0]?.message).toBe('after the restart');
      cli.child.kill('SIGTERM');
      expect(await cli.exited).toBe(0);
    } finally {
      cli.child.kill('SIGKILL');
      client.destroy();
      await dynamo.stop();
    }
  }, 120_000);

  it('stream --once still fails fast when the endpoint is gone', async () => {
    const result = await run(['stream', '--once', '--endpoint-url', `http://127.0.0.1:${await freePort()}`]);
    expect(result.code).toBe(1);
    expect(oneLineError(result)).toMatch(/DynamoDB is not answering/);
  });

  it('update-cognito-user-ids gives up on a row lock held elsewhere, names the table, changes nothing', async () => {
    const url = await freshDatabase();
    await query(url, `INSERT INTO public.users (display_name, handle, email, cognito_user_id) VALUES ('Bob', 'bob', 'b@x', 'MOCK')`);
    const holder = new pg.Client({ connectionString: url });
    await holder.connect();
    try {
      // An "idle in transaction" session holding the row, as a cut connection leaves one.
      await holder.query('BEGIN');
      await holder.query(`SELECT * FROM public.users WHERE handle = 'bob' FOR UPDATE`);
      const { createPool, addUsers, cognitoUrl } = await import('./helpers/cognito.js');
      const pool = await createPool();
      await addUsers(pool, [{ email: 'bob@example.com', handle: 'bob' }]);
      const result = await run(['update-cognito-user-ids', '--user-pool-id', pool, '--cognito-endpoint-url', cognitoUrl(), '--lock-timeout', '1'], {
        env: { CONNECTION_URL: url },
      });
      expect(result.code).toBe(1);
      expect(oneLineError(result)).toMatch(/rows of public\.users are locked by another session.*pg_stat_activity.*nothing was changed/);
    } finally {
      await holder.query('ROLLBACK');
      await holder.end();
    }
    expect(await query(url, 'SELECT cognito_user_id FROM public.users')).toEqual([{ cognito_user_id: 'MOCK' }]);
  });
});

/** A DynamoDB stand-in that answers with an HTML page, as a wrong URL (a web server) would. */
async function htmlServer(status: number): Promise<{ url: string; close(): Promise<void> }> {
  const server = createHttpServer((_request, response) => {
    response.writeHead(status, { 'content-type': 'text/html' });
    response.end('<!doctype html><html><body>Welcome to nginx!</body></html>');
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, close: () => new Promise((resolve) => server.close(() => resolve())) };
}

describe('an endpoint that is not DynamoDB', () => {
  it.each([200, 404])('an HTML page (HTTP %i) is named as not answering like DynamoDB', async (status) => {
    const html = await htmlServer(status);
    try {
      for (const args of [['list-tables'], ['scan', 'cruddur-messages'], ['get-conversation', andrew.uuid]]) {
        const result = await run([...args, '--endpoint-url', html.url], { local: false });
        expect(result.code).toBe(1);
        expect(oneLineError(result)).toBe(
          `error[endpoint.not_dynamodb]: ${html.url} answers, but not like DynamoDB. Check --endpoint-url (or AWS_ENDPOINT_URL_DYNAMODB): it should be DynamoDB Local, e.g. http://localhost:8000`,
        );
      }
    } finally {
      await html.close();
    }
  });
});

/**
 * A fault proxy in front of the test DynamoDB Local: forwards everything, counts Scan requests in
 * flight, and after `killAfter` BatchWriteItem requests stops answering for good (closes every socket
 * and refuses new ones), as a killed DynamoDB Local does.
 */
async function faultProxy(options: { killAfter?: number } = {}) {
  const stats = { batches: 0, scansInFlight: 0, maxScansInFlight: 0, firstBatchAt: 0 };
  const sockets = new Set<import('node:net').Socket>();
  let dead = false;
  const server: Server = createHttpServer((request: IncomingMessage, response) => {
    void (async () => {
      const chunks: Buffer[] = [];
      for await (const chunk of request) chunks.push(chunk as Buffer);
      const target = String(request.headers['x-amz-target'] ?? '');
      if (target.endsWith('.BatchWriteItem')) {
        stats.batches++;
        stats.firstBatchAt ||= Date.now();
        if (options.killAfter !== undefined && stats.batches > options.killAfter) {
          if (!dead) {
            dead = true;
            server.close();
          }
          for (const socket of sockets) socket.destroy();
          return;
        }
      }
      const scan = target.endsWith('.Scan');
      if (scan) stats.maxScansInFlight = Math.max(stats.maxScansInFlight, ++stats.scansInFlight);
      try {
        const headers: Record<string, string> = {};
        for (const [name, value] of Object.entries(request.headers))
          if (typeof value === 'string' && name !== 'host' && name !== 'content-length') headers[name] = value;
        const answer = await fetch(new URL(request.url ?? '/', dynamoUrl()), { method: request.method, headers, body: Buffer.concat(chunks) });
        response.writeHead(answer.status, { 'content-type': answer.headers.get('content-type') ?? 'application/x-amz-json-1.0' });
        response.end(await answer.text());
      } finally {
        if (scan) stats.scansInFlight--;
      }
    })().catch(() => response.destroy());
  });
  server.on('connection', (socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    stats,
    close: () => {
      for (const socket of sockets) socket.destroy();
      return new Promise<void>((resolve) => (dead ? resolve() : server.close(() => resolve())));
    },
  };
}

const client = testClient();
afterAll(() => client.destroy());
const count = async (table: string) => (await client.send(new ScanCommand({ TableName: table, Select: 'COUNT' }))).Count ?? 0;
const newTable = async () => {
  const table = tableName('fault');
  await client.send(new CreateTableCommand(messagesTableInput(table)));
  return table;
};

describe('failures say what was written', () => {
  it('a seed whose DynamoDB dies part-way says how many items were written and not, and that a re-run is safe', async () => {
    const table = await newTable();
    const proxy = await faultProxy({ killAfter: 10 });
    try {
      const result = await run(['seed', '--table', table, '--synthetic', '2000', '--endpoint-url', proxy.url], { local: false });
      expect(result.code).toBe(1);
      const line = oneLineError(result);
      const match = /DynamoDB is not answering at .*; (\d+) of 2020 items were written to fault-\w+, (\d+) not\..*[Rr]un seed again: it is safe/.exec(line);
      expect(match, line).not.toBeNull();
      const written = Number(match![1]);
      expect(written + Number(match![2])).toBe(2020);
      expect(written).toBeGreaterThan(0);
      expect(written).toBeLessThanOrEqual(await count(table));
    } finally {
      await proxy.close();
    }
    // ... and it is: a second run completes the table.
    expect((await run(['seed', '--table', table, '--synthetic', '2000'])).code).toBe(0);
    expect(await count(table)).toBe(2020);
  });

  it('an item over 400 KB in a seed file is found when the files are read (file:line), before anything is written', async () => {
    const table = await newTable();
    const dir = mkdtempSync(join(tmpdir(), 'seed-big-'));
    mkdirSync(join(dir, 'conversations'));
    writeFileSync(join(dir, 'users.txt'), '@ann | Ann\n@bob | Bob\n');
    writeFileSync(join(dir, 'conversations', 'a.txt'), '2026-01-01 10:00 @ann: hi\n2026-01-01 10:01 @bob: hello\n');
    writeFileSync(join(dir, 'conversations', 'b.txt'), `2026-01-01 10:00 @ann: hi\n\n2026-01-01 10:02 @bob: ${'x'.repeat(410 * 1024)}\n`);
    const result = await run(['seed', '--table', table, '--dir', dir]);
    expect(result.code).toBe(1);
    expect(oneLineError(result)).toMatch(/conversations\/b\.txt:3: this message makes an item of 41\d KB; DynamoDB takes at most 400 KB an item/);
    expect(await count(table)).toBe(0);
  });

  it('seed --synthetic 10000000 (the documented maximum) starts writing at once, in a small heap', async () => {
    const table = await newTable();
    const proxy = await faultProxy({ killAfter: 0 });
    try {
      // 96 MB of heap: the old code built every item first and ran out long before its first write.
      const started = Date.now();
      const result = await spawnCli(['seed', '--table', table, '--synthetic', '10000000', '--endpoint-url', proxy.url], {
        local: false,
        env: { NODE_OPTIONS: '--max-old-space-size=96' },
      });
      expect(proxy.stats.batches).toBeGreaterThan(0);
      expect(proxy.stats.firstBatchAt - started).toBeLessThan(20_000);
      expect(result.code).toBe(1);
      expect(oneLineError(result)).toMatch(/0 of 10100000 items were written/);
    } finally {
      await proxy.close();
    }
  });

  it('scan --segments 100000 reads a bounded number of segments at once, and a missing table fails at once', async () => {
    const proxy = await faultProxy();
    try {
      const missing = await run(['scan', 'no-such-table-here', '--segments', '100000', '--endpoint-url', proxy.url], { local: false });
      expect(missing.code).toBe(1);
      expect(oneLineError(missing)).toMatch(/Table "no-such-table-here" not found/);
      expect(proxy.stats.maxScansInFlight).toBeLessThanOrEqual(4);
      const table = await newTable();
      expect((await run(['seed', '--table', table])).code).toBe(0);
      const all = await run(['scan', table, '--segments', '500', '-o', 'ndjson', '--endpoint-url', proxy.url], { local: false });
      expect(all.code).toBe(0);
      expect(all.stdout.trim().split('\n')).toHaveLength(132);
      expect(proxy.stats.maxScansInFlight).toBeLessThanOrEqual(4);
    } finally {
      await proxy.close();
    }
  });
});
