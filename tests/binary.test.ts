/**
 * The binary's contract, through the built dist/bin/cruddur-ddb.js in a child process (the rest of the
 * suite runs commands in-process): exit codes, one-line errors with their code, help, version, and
 * no AWS SDK warning on a user's terminal. The TTY prompt is in admin.test.ts (`script`), `local` and
 * the following `stream` in their own files.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { createMessagesTable, oneLineError, spawnCli } from './helpers/cli.js';

describe('the cruddur-ddb binary', () => {
  it('prints help and its version, exit 0', async () => {
    const help = await spawnCli(['--help']);
    expect(help.code).toBe(0);
    expect(help.stdout).toMatch(/Commands:[\s\S]*schema-load[\s\S]*Exit codes: 0 ok, 1 the job failed, 2 the command line was wrong/);
    const version = await spawnCli(['--version']);
    const { version: expected } = JSON.parse(readFileSync('package.json', 'utf8')) as { version: string };
    expect(version.stdout.trim()).toBe(expected);
  });

  it('exits 2 on a wrong command line, with one line and its code', async () => {
    const result = await spawnCli(['drop']);
    expect(result.code).toBe(2);
    expect(oneLineError(result)).toMatch(/^error\[usage\.command_line\]: missing required argument 'table'/);
  });

  it('exits 1 when the job fails, one line with its code and no stack trace', async () => {
    const result = await spawnCli(['scan', 'no-such-table-binary']);
    expect(result.code).toBe(1);
    expect(oneLineError(result)).toMatch(/^error\[table\.not_found\]: Table "no-such-table-binary" not found/);
  });

  it('under -o json, the error is one JSON object on stderr', async () => {
    const result = await spawnCli(['drop', 'a', 'b', '-o', 'json']);
    expect(result.code).toBe(2);
    expect(JSON.parse(oneLineError(result))).toMatchObject({ code: 'arg.too_many' });
  });

  it('talks to DynamoDB with no SDK warning reaching stderr, and a bare prod works at the end of the line', async () => {
    const table = await createMessagesTable('binary');
    const result = await spawnCli(['list-tables', 'prod', '-o', 'ndjson'], {
      env: { AWS_ACCESS_KEY_ID: 'cruddurlocal', AWS_SECRET_ACCESS_KEY: 'cruddurlocal', AWS_REGION: 'us-east-1' },
    });
    expect(result.code).toBe(0);
    expect(result.stderr).toBe('');
    expect(result.stdout.split('\n')).toContain(JSON.stringify(table));
  });
});
