/**
 * docs/ci.md's GitHub Actions workflow, run as written: its `run:` steps in order, in a fresh clone of this
 * repository, with `bash -eo pipefail` as GitHub runs them on Linux, the job's and each step's `env:`, and
 * `if: always()` honoured. Only `uses:` steps are skipped (this machine already has Node 20 and Java 17).
 * The job must succeed and leave nothing running. The clone is of the last commit: commit before running it.
 */
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parse } from 'yaml';
import { describe, expect, it } from 'vitest';
import { freePort } from '../src/local/ports.js';
import { cleanEnv } from './helpers/cli.js';
import { answers, reapAfterTest, tempFolder } from './helpers/local-stack.js';

const ROOT = fileURLToPath(new URL('..', import.meta.url));

interface Step {
  name?: string;
  uses?: string;
  run?: string;
  if?: string;
  env?: Record<string, string>;
}

function workflowOf(markdown: string): { jobs: Record<string, { steps: Step[]; env?: Record<string, string> }> } {
  const block = /```yaml\n([\s\S]*?)```/.exec(markdown)?.[1];
  if (!block) throw new Error('docs/ci.md has no ```yaml block');
  return parse(block);
}

function runStep(script: string, cwd: string, env: NodeJS.ProcessEnv): Promise<{ code: number | null; output: string }> {
  return new Promise((resolve) => {
    const child = spawn('bash', ['--noprofile', '--norc', '-eo', 'pipefail', '-c', script], { cwd, env });
    let output = '';
    child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.on('close', (code) => resolve({ code, output }));
  });
}

describe('docs/ci.md', () => {
  it('its GitHub Actions workflow runs as written in a fresh clone and leaves nothing running', async () => {
    const workflow = workflowOf(readFileSync(join(ROOT, 'docs', 'ci.md'), 'utf8'));
    const [job] = Object.values(workflow.jobs);
    expect(job?.steps.some((step) => step.run?.includes('local --detach'))).toBe(true);
    expect(job?.steps.at(-1)).toMatchObject({ if: 'always()', run: 'npx cruddur-ddb local stop' });

    const clone = join(tempFolder('cruddur-ci-clone-'), 'repo');
    expect(spawnSync('git', ['clone', '--quiet', ROOT, clone]).status).toBe(0);
    // The runner's environment: GitHub's own variables, and a free port instead of 8000 (another job of this
    // machine may hold it); the npm cache is this machine's, so `npm ci` needs no download.
    const port = await freePort();
    const env = cleanEnv({ ...job!.env, CI: 'true', GITHUB_ACTIONS: 'true', CRUDDUR_LOCAL_PORT: String(port), npm_config_prefer_offline: 'true' }, false);
    reapAfterTest(() => {
      const file = join(clone, '.cruddur', 'local.json');
      return existsSync(file) ? (JSON.parse(readFileSync(file, 'utf8')) as { parts: { pid: number }[] }).parts.map((part) => part.pid) : [];
    });

    let failed = false;
    const ran: string[] = [];
    for (const step of job!.steps) {
      if (step.uses) continue;
      if (!step.run) continue;
      const always = step.if === 'always()';
      if (step.if && !always) throw new Error(`the test does not evaluate if: ${step.if}`);
      if (failed && !always) continue;
      const result = await runStep(step.run, clone, { ...env, ...step.env });
      ran.push(`${step.name ?? step.run.split('\n')[0]}: ${result.code}`);
      if (result.code !== 0) {
        failed = true;
        console.error(`step failed (${result.code}): ${step.run}\n${result.output}`);
      }
    }
    expect(ran.map((line) => line.replace(/: \d+$/, ''))).toEqual(job!.steps.filter((step) => step.run).map((step) => step.name ?? step.run!.split('\n')[0]));
    expect(failed, ran.join('\n')).toBe(false);
    // Stopped: nothing answers on the port, no state left.
    expect(await answers(port)).toBe(false);
    expect(existsSync(join(clone, '.cruddur', 'local.json'))).toBe(false);
  }, 900_000);
});
