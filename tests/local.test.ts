/** `cruddur-ddb local`: a real DynamoDB Local of its own, started and stopped by the binary. */
import { spawn } from 'node:child_process';
import { createServer } from 'node:net';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { freePort } from '../src/aws/local-dynamodb.js';
import { CLI, cleanEnv, oneLineError, run } from './helpers/cli.js';

describe('local', () => {
  it('starts DynamoDB Local with the schema loaded, answers other commands, and stops cleanly on SIGINT', async () => {
    const port = await freePort();
    const dataDir = mkdtempSync(join(tmpdir(), 'cruddur-local-'));
    const child = spawn(process.execPath, [CLI, 'local', '--port', String(port), '--data-dir', dataDir, '--schema-load', '-o', 'json'], {
      env: cleanEnv({}, false),
    });
    let stderr = '';
    const ready = new Promise<void>((resolve, reject) => {
      child.stderr.on('data', (chunk: Buffer) => {
        stderr += chunk.toString();
        if (stderr.includes('Ctrl-C stops it')) resolve();
      });
      child.once('exit', () => reject(new Error(`local exited early: ${stderr}`)));
    });
    const exited = new Promise<number | null>((resolve) => child.once('exit', resolve));
    await ready;
    expect(stderr).toContain(`listens on http://localhost:${port} (data in ${dataDir}`);
    const tables = await run(['list-tables', '-o', 'json', '--endpoint-url', `http://localhost:${port}`], { local: false });
    expect(JSON.parse(tables.stdout)).toEqual(['cruddur-messages']);
    child.kill('SIGINT');
    expect(await exited).toBe(0);
    expect(stderr).toMatch(/Stopped\.\n$/);
  });

  it('says what holds a taken port, in one line', async () => {
    const server = createServer();
    await new Promise<void>((resolve) => server.listen(0, resolve));
    const port = (server.address() as { port: number }).port;
    try {
      const result = await run(['local', '--in-memory', '--port', String(port)], { local: false });
      expect(result.code).toBe(1);
      expect(oneLineError(result)).toMatch(new RegExp(`Port ${port} is already taken.*--port`));
    } finally {
      server.close();
    }
  });

  it('says Java is missing, in one line', async () => {
    const result = await run(['local', '--in-memory', '--port', String(await freePort())], {
      local: false,
      env: { PATH: '/nonexistent', JAVA_HOME: undefined },
    });
    expect(result.code).toBe(1);
    expect(oneLineError(result)).toMatch(/Java is not installed.*Java 17/);
  });

  it('rejects a bad port as a usage error', async () => {
    const result = await run(['local', '--port', 'eighty'], { local: false });
    expect(result.code).toBe(2);
    expect(oneLineError(result)).toMatch(/^error\[flag\.bad_number\]: --port must be a whole number from 1 to 65535/);
  });
});
