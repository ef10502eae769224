/**
 * `cruddur-ddb completion bash|zsh|fish`: each script loaded into the real shell, asked what it
 * completes. The command list comes from the definitions, so every command --help lists completes;
 * table names come from the DynamoDB the environment names, and a DynamoDB that does not answer costs
 * a second, not a hang.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { CLI, cleanEnv, createMessagesTable, dynamoUrl, run } from './helpers/cli.js';
import { listedCommands } from './helpers/examples.js';
import { describeWith } from './helpers/system-tools.js';

const dir = mkdtempSync(join(tmpdir(), 'cruddur-completion-'));
const scripts: Record<string, string> = {};
let table = '';

beforeAll(async () => {
  // The scripts call `cruddur-ddb __complete tables`: put the built binary on PATH under its name.
  writeFileSync(join(dir, 'cruddur-ddb'), `#!/bin/sh\nexec "${process.execPath}" "${CLI}" "$@"\n`, { mode: 0o755 });
  for (const shell of ['bash', 'zsh', 'fish']) {
    const result = await run(['completion', shell]);
    expect(result.code, result.stderr).toBe(0);
    scripts[shell] = join(dir, `completion.${shell}`);
    writeFileSync(scripts[shell]!, result.stdout);
  }
  table = await createMessagesTable('complete');
});

function env(extra: Record<string, string> = {}) {
  return cleanEnv({ PATH: `${dir}:${process.env.PATH}`, ...extra }, true);
}

/** What bash offers for the line (the cursor at its end). */
function bash(line: string, extra: Record<string, string> = {}): string[] {
  const script = `source ${scripts.bash}; COMP_LINE=${JSON.stringify(line)}; read -ra COMP_WORDS <<< "$COMP_LINE"; [[ "$COMP_LINE" == *" " ]] && COMP_WORDS+=(""); COMP_CWORD=$((\${#COMP_WORDS[@]}-1)); _cruddur_ddb; printf '%s\\n' "\${COMPREPLY[@]}"`;
  const result = spawnSync('bash', ['--norc', '-c', script], { encoding: 'utf8', env: env(extra) });
  expect(result.stderr).toBe('');
  return result.stdout.split('\n').filter(Boolean);
}

/** What fish offers for the line. */
function fish(line: string, extra: Record<string, string> = {}): string[] {
  const result = spawnSync('fish', ['--no-config', '-c', `source ${scripts.fish}; complete -C ${JSON.stringify(line)}`], { encoding: 'utf8', env: env(extra) });
  expect(result.stderr).toBe('');
  return result.stdout
    .split('\n')
    .filter(Boolean)
    .map((entry) => entry.split('\t')[0]!);
}

describe('completion bash', () => {
  it('completes every command --help lists, and the subcommands of a group', async () => {
    const commands = listedCommands((await run(['--help'])).stdout);
    expect(commands.length).toBeGreaterThan(10);
    expect(bash('cruddur-ddb ').sort()).toEqual([...commands].sort());
    expect(bash('cruddur-ddb sc').sort()).toEqual(['scan', 'schema-load']);
    expect(bash('cruddur-ddb cognito ')).toEqual(['list-users']);
  });

  it("completes a command's own options and the global ones, and choices", () => {
    expect(bash('cruddur-ddb scan --se')).toEqual(['--segments']);
    expect(bash('cruddur-ddb scan --')).toEqual(expect.arrayContaining(['--segments', '--limit', '--raw', '--env', '--output', '--table']));
    expect(bash('cruddur-ddb scan -o ')).toEqual(['table', 'text', 'json', 'ndjson']);
    expect(bash('cruddur-ddb schema-load --billing ')).toEqual(['on-demand', 'provisioned']);
    expect(bash('cruddur-ddb --env p')).toEqual(['prod']);
  });

  it('offers file names only where a file goes; local and prod for copy --from/--to (issue 21)', () => {
    // Run in the checkout: package.json is a file name there.
    expect(bash('cruddur-ddb local --port ')).toEqual([]);
    expect(bash('cruddur-ddb scan --limit ')).toEqual([]);
    expect(bash('cruddur-ddb copy --from ')).toEqual(['local', 'prod']);
    expect(bash('cruddur-ddb copy --from local --to p')).toEqual(['prod']);
    expect(bash('cruddur-ddb export -f pack')).toContain('package.json');
    expect(bash('cruddur-ddb put t --file pack')).toContain('package.json');
  });

  it('completes table names from the current environment, for table arguments and --table', () => {
    // The test DynamoDB Local is shared by the whole suite on a busy machine: allow it more than a second.
    const patient = { CRUDDUR_COMPLETE_TIMEOUT_MS: '15000' };
    expect(bash('cruddur-ddb drop ', patient)).toContain(table);
    expect(bash(`cruddur-ddb scan ${table.slice(0, -2)}`, patient)).toEqual([table]);
    expect(bash('cruddur-ddb stream --table ', patient)).toContain(table);
    // The second argument of scan is not a table: nothing to offer.
    expect(bash(`cruddur-ddb scan ${table} `)).toEqual([]);
  });

  it('gives up on a DynamoDB that does not answer within about a second, offering nothing', () => {
    const silent = createServer(() => undefined); // accepts, never answers
    return new Promise<void>((resolve) => {
      silent.listen(0, '127.0.0.1', () => {
        const port = (silent.address() as { port: number }).port;
        const started = Date.now();
        expect(bash('cruddur-ddb drop ', { AWS_ENDPOINT_URL_DYNAMODB: `http://127.0.0.1:${port}` })).toEqual([]);
        expect(Date.now() - started).toBeLessThan(5000);
        silent.close(() => resolve());
      });
    });
  });
});

describeWith('zsh', 'zsh')('completion zsh', () => {
  it('loads in zsh and registers the completion for cruddur-ddb', () => {
    const result = spawnSync('zsh', ['-f', '-c', `source ${scripts.zsh} && print -r -- $_comps[cruddur-ddb]`], { encoding: 'utf8', env: env() });
    expect(result.stderr).toBe('');
    expect(result.stdout.trim()).not.toBe('');
  });

  it("offers what bash offers, through zsh's own _bash_complete (zsh filters by the typed prefix itself)", () => {
    // compadd is the completion system's builtin; outside a Tab press, a stand-in prints what it is given.
    const offered = (words: string[]) => {
      const script = `source ${scripts.zsh}; compadd() { local seen=0 a; for a in "$@"; do (( seen )) && print -r -- "$a"; [[ $a == - ]] && seen=1; done; return 0 }; words=(${words.map((w) => `'${w}'`).join(' ')}); CURRENT=${words.length}; _bash_complete -F _cruddur_ddb`;
      const result = spawnSync('zsh', ['-f', '-c', script], { encoding: 'utf8', env: env({ CRUDDUR_COMPLETE_TIMEOUT_MS: '15000' }) });
      return result.stdout.split('\n').filter(Boolean);
    };
    expect(offered(['cruddur-ddb', 'sc'])).toEqual(expect.arrayContaining(['scan', 'schema-load']));
    expect(offered(['cruddur-ddb', 'scan', '-o', ''])).toEqual(['table', 'text', 'json', 'ndjson']);
    expect(offered(['cruddur-ddb', 'drop', ''])).toContain(table);
    expect(offered(['cruddur-ddb', 'local', '--port', ''])).toEqual([]);
    expect(offered(['cruddur-ddb', 'copy', '--to', ''])).toEqual(['local', 'prod']);
  });
});

describeWith('fish', 'fish')('completion fish', () => {
  it('completes commands, options with choices, group subcommands and table names', () => {
    expect(fish('cruddur-ddb sc')).toEqual(expect.arrayContaining(['scan', 'schema-load']));
    expect(fish('cruddur-ddb scan --seg')).toEqual(['--segments']);
    expect(fish('cruddur-ddb schema-load --billing ')).toEqual(['on-demand', 'provisioned']);
    expect(fish('cruddur-ddb cognito ')).toContain('list-users');
    expect(fish('cruddur-ddb drop ', { CRUDDUR_COMPLETE_TIMEOUT_MS: '15000' })).toContain(table);
  });

  it('offers file names only where a file goes; local and prod for copy --from/--to', () => {
    expect(fish('cruddur-ddb local --port ')).toEqual([]);
    expect(fish('cruddur-ddb scan --limit ')).toEqual([]);
    expect(fish('cruddur-ddb copy --from ')).toEqual(['local', 'prod']);
    expect(fish('cruddur-ddb export --file pack')).toContain('package.json');
  });
});

describe('completion', () => {
  it('refuses a shell it does not know, as a usage error', async () => {
    const result = await run(['completion', 'tcsh']);
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/No completion for "tcsh".*bash, zsh, fish/);
  });

  it('is not in the way: __complete is hidden from --help', async () => {
    expect((await run(['--help'])).stdout).not.toContain('__complete');
    void dynamoUrl;
  });
});
