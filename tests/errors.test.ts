/** The entry's one translation of failures: codes shown, JSON under -o json, and bugs called bugs. */
import { describe, expect, it } from 'vitest';
import { toCliError } from '../src/entry/run.js';
import { createContext } from '../src/kit/context.js';
import { CliError, ERROR_CODES } from '../src/core/errors.js';
import { oneLineError, run } from './helpers/cli.js';

describe('error output', () => {
  it('shows the code before the message', async () => {
    const result = await run(['scan', 'no-such-table-here']);
    expect(result.code).toBe(1);
    expect(oneLineError(result)).toMatch(/^error\[table\.not_found\]: /);
  });

  it('under -o json, is one JSON object {code, message, hint} on stderr and nothing on stdout', async () => {
    const result = await run(['scan', 'no-such-table-here', '-o', 'json']);
    expect(result.code).toBe(1);
    expect(result.stdout).toBe('');
    const error = JSON.parse(oneLineError(result)) as Record<string, unknown>;
    expect(error).toEqual({ code: 'table.not_found', message: expect.stringContaining('no-such-table-here'), hint: expect.stringContaining('schema-load') });
  });

  it("gives commander's own usage errors a code too, in either form", async () => {
    const text = await run(['scan', 't', '--no-such-flag']);
    expect(text.code).toBe(2);
    expect(oneLineError(text)).toMatch(/^error\[usage\.command_line\]: unknown option '--no-such-flag'/);
    const json = await run(['scan', 't', '--no-such-flag', '-o', 'json']);
    expect(json.code).toBe(2);
    expect(JSON.parse(oneLineError(json))).toMatchObject({ code: 'usage.command_line' });
  });

  it('usage errors of ours exit 2 with their code', async () => {
    const result = await run(['drop', 'a', 'b']);
    expect(result.code).toBe(2);
    expect(oneLineError(result)).toMatch(/^error\[arg\.too_many\]: /);
  });
});

describe('toCliError', () => {
  const context = createContext({ flags: {}, env: {}, stdout: process.stdout, stderr: process.stderr, stdin: process.stdin, onSignal: () => () => undefined });

  it('calls anything that is neither ours nor AWS a bug of ours', async () => {
    const error = await toCliError(new TypeError("Cannot read properties of undefined (reading 'S')"), context, {});
    expect(error.code).toBe('internal');
    expect(error.message).toMatch(/^This is a bug in cruddur-ddb \(TypeError: Cannot read properties/);
    expect(error.hint).toMatch(/CRUDDUR_DEBUG=1/);
  });

  it('translates AWS failures, naming the table of the command', async () => {
    const notFound = Object.assign(new Error('Requested resource not found'), { name: 'ResourceNotFoundException', $metadata: {} });
    const error = await toCliError(notFound, context, { table: 'my-table' });
    expect(error.code).toBe('table.not_found');
    expect(error.message).toMatch(/"my-table"/);
  });

  it('keeps our own errors as they are', async () => {
    const ours = new CliError('seed.missing', 'x');
    expect(await toCliError(ours, context, {})).toBe(ours);
  });
});

describe('the code table', () => {
  it('holds every code thrown in src/ (and each has a meaning)', async () => {
    const { readdirSync, readFileSync } = await import('node:fs');
    const files = readdirSync('src', { recursive: true, encoding: 'utf8' }).filter((file) => file.endsWith('.ts'));
    const used = new Set<string>();
    for (const file of files) {
      for (const match of readFileSync(`src/${file}`, 'utf8').matchAll(/(?:CliError|UsageError)\(\s*'([a-z_.]+)'/g)) used.add(match[1]!);
    }
    for (const code of used) expect(ERROR_CODES, code).toHaveProperty([code]);
    for (const meaning of Object.values(ERROR_CODES)) expect(meaning.length).toBeGreaterThan(5);
  });
});
