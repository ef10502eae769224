/**
 * Issue 22 (reliability round 3), item 2: table names come from whatever answers at the endpoint, and
 * a shell reads them. A rogue endpoint answering ListTables with `$(touch X)`, backticks, `*` and
 * `~root` must not run a command, expand a glob or a home folder, in bash, zsh or fish; only names
 * DynamoDB allows are offered. Each shell is the real one; the first case failed in bash before the fix.
 */
import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CLI, cleanEnv, run } from './helpers/cli.js';

const dir = mkdtempSync(join(tmpdir(), 'cruddur-rogue-'));
const bin = join(dir, 'bin');
const fakeBin = join(dir, 'fake-bin');
const work = join(dir, 'work'); // the shell's current folder: a glob would list its files
const scripts: Record<string, string> = {};
const ROGUE = ['$(touch pwned-dollar)', '`touch pwned-tick`', '*', '~root', 'a;touch pwned-semi', "it's", 'x', 'good-table', 'good.table_2'];
let rogue: Server;
let endpoint = '';

beforeAll(async () => {
  mkdirSync(bin);
  mkdirSync(fakeBin);
  mkdirSync(work);
  writeFileSync(join(work, 'secret-file-in-cwd'), '');
  writeFileSync(join(bin, 'cruddur-ddb'), `#!/bin/sh\nexec "${process.execPath}" "${CLI}" "$@"\n`, { mode: 0o755 });
  // A binary that prints the rogue names itself: the shell's own quoting, with no filter before it.
  writeFileSync(join(fakeBin, 'cruddur-ddb'), `#!/bin/sh\ncat <<'EOF'\n${ROGUE.join('\n')}\nEOF\n`, { mode: 0o755 });
  for (const shell of ['bash', 'zsh', 'fish']) {
    const result = await run(['completion', shell]);
    scripts[shell] = join(dir, `completion.${shell}`);
    writeFileSync(scripts[shell]!, result.stdout);
  }
  rogue = createServer((request, response) => {
    request.resume();
    request.on('end', () => {
      response.writeHead(200, { 'content-type': 'application/x-amz-json-1.0' });
      response.end(JSON.stringify({ TableNames: ROGUE }));
    });
  });
  await new Promise<void>((resolve) => rogue.listen(0, '127.0.0.1', resolve));
  endpoint = `http://127.0.0.1:${(rogue.address() as AddressInfo).port}`;
});
afterAll(() => new Promise<void>((resolve) => rogue.close(() => resolve())));

/** Runs a shell without blocking this process: the rogue endpoint answers from here. */
function shellOut(command: string, args: string[], path: string): Promise<string[]> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { env: env(path), cwd: work });
    let stdout = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    child.on('error', reject);
    child.on('close', () => resolve(stdout.split('\n').filter(Boolean)));
  });
}

function env(path: string) {
  return cleanEnv({ PATH: `${path}:${process.env.PATH}`, AWS_ENDPOINT_URL_DYNAMODB: endpoint, CRUDDUR_COMPLETE_TIMEOUT_MS: '15000', HOME: dir }, false);
}

const offered: Record<string, (line: string, path: string) => Promise<string[]>> = {
  bash: (line, path) => {
    const script = `source ${scripts.bash}; COMP_LINE=${JSON.stringify(line)}; read -ra COMP_WORDS <<< "$COMP_LINE"; [[ "$COMP_LINE" == *" " ]] && COMP_WORDS+=(""); COMP_CWORD=$((\${#COMP_WORDS[@]}-1)); _cruddur_ddb; printf '%s\\n' "\${COMPREPLY[@]}"`;
    return shellOut('bash', ['--norc', '-c', script], path);
  },
  zsh: (line, path) => {
    const words = line.split(' ');
    const script = `source ${scripts.zsh}; compadd() { local seen=0 a; for a in "$@"; do (( seen )) && print -r -- "$a"; [[ $a == - ]] && seen=1; done; return 0 }; words=(${words.map((w) => `'${w}'`).join(' ')}); CURRENT=${words.length}; _bash_complete -F _cruddur_ddb`;
    return shellOut('zsh', ['-f', '-c', script], path);
  },
  fish: async (line, path) =>
    (await shellOut('fish', ['--no-config', '-c', `source ${scripts.fish}; complete -C ${JSON.stringify(line)}`], path)).map((entry) => entry.split('\t')[0]!),
};

describe('table names from a rogue endpoint', () => {
  it('__complete tables prints only names DynamoDB allows', async () => {
    const result = await run(['__complete', 'tables'], { local: false, env: { AWS_ENDPOINT_URL_DYNAMODB: endpoint } });
    expect(result.stdout.split('\n').filter(Boolean)).toEqual(['good-table', 'good.table_2']);
  });

  for (const shell of ['bash', 'zsh', 'fish'] as const) {
    it.each([
      ['the real binary', bin],
      ['a binary that prints them unfiltered', fakeBin],
    ])(`${shell}, with %s: nothing runs, nothing expands, only valid names are offered`, async (_what, path) => {
      for (const line of ['cruddur-ddb drop ', 'cruddur-ddb scan --table ']) {
        const names = await offered[shell]!(line, path);
        expect(names.sort(), `${shell}: ${line}`).toEqual(['good-table', 'good.table_2']);
      }
      expect(readdirSync(work)).toEqual(['secret-file-in-cwd']);
      for (const name of ['pwned-dollar', 'pwned-tick', 'pwned-semi']) expect(existsSync(join(work, name))).toBe(false);
    });
  }
});
