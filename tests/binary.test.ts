/**
 * The binary's contract, through the built dist/bin/cruddur-ddb.cjs in a child process (the rest of the
 * suite runs commands in-process): exit codes, one-line errors with their code, help, version, and
 * no AWS SDK warning on a user's terminal. The TTY prompt is in admin.test.ts (`script`), `local` and
 * the following `stream` in their own files.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { createMessagesTable, oneLineError, run, spawnCli } from './helpers/cli.js';

describe('the cruddur-ddb binary', () => {
  it('prints help and its version, exit 0', async () => {
    const help = await spawnCli(['--help']);
    expect(help.code).toBe(0);
    expect(help.stdout).toMatch(/Commands:[\s\S]*schema-load[\s\S]*Exit codes: 0 ok, 1 the job failed, 2 the command line was wrong/);
    const version = await spawnCli(['--version']);
    const { version: expected } = JSON.parse(readFileSync('package.json', 'utf8')) as { version: string };
    expect(version.stdout.trim()).toBe(expected);
  });

  it('prints help through its fast path exactly as the full command line does (same words, same exit codes)', async () => {
    // The binary answers these from help.cjs (CommonJS, no ES module loader); run() goes through src/entry/run.ts.
    for (const line of [['--help'], ['scan', '--help'], ['help', 'ttl'], ['cognito', 'list-users', '-h'], [], ['--bogus', '--help'], ['-V']]) {
      const binary = await spawnCli(line);
      const inProcess = await run(line);
      expect({ line, code: binary.code, stdout: binary.stdout, stderr: binary.stderr }).toEqual({
        line,
        code: inProcess.code,
        stdout: inProcess.stdout,
        stderr: inProcess.stderr,
      });
    }
  });

  it('a help-looking line that runs a command after all (`--table --help` names a table) runs it', async () => {
    const result = await spawnCli(['list-tables', '--table', '--help', '-o', 'json']);
    expect(result.code).toBe(0);
    expect(Array.isArray(JSON.parse(result.stdout))).toBe(true);
  });

  it('a value refused while the line is read (`--columns ,`) is one line with its code, never a stack trace', async () => {
    for (const line of [
      ['--columns', ',', 'list-tables'],
      ['--columns', ',', '--help'],
    ]) {
      const result = await spawnCli(line);
      expect(result.code).toBe(2);
      expect(oneLineError(result)).toMatch(/^error\[arg\.bad_columns\]: --columns "," has an empty name/);
      expect(result.stderr).not.toMatch(/\n\s+at /);
    }
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
