/**
 * The direction of imports is a lint rule (eslint.config.js, `no-restricted-imports`): this shows that
 * an arrow the wrong way fails `npm run lint`, and that the arrows the house allows pass.
 */
import { ESLint } from 'eslint';
import { beforeAll, describe, expect, it } from 'vitest';

const eslint = new ESLint();

async function restricted(file: string, source: string): Promise<string[]> {
  const [result] = await eslint.lintText(source, { filePath: file });
  return (result?.messages ?? []).filter((m) => m.ruleId === 'no-restricted-imports').map((m) => m.message);
}

describe('import direction (lint)', () => {
  // The first lint loads typescript-eslint's parser and the config: seconds on a busy machine, once.
  beforeAll(() => restricted('src/core/errors.ts', 'export {};\n'), 60_000);

  it.each([
    ['src/patterns/keys.ts', "import { CliError } from '../core/errors.js';"],
    ['src/core/errors.ts', "import type { Context } from '../kit/context.js';"],
    ['src/core/environment.ts', "import { createDynamoClient } from '../aws/clients.js';"],
    ['src/aws/clients.ts', "import type { Context } from '../kit/context.js';"],
    ['src/cognito/list-users.ts', "import { runCli } from '../entry/run.js';"],
    ['src/transfer/transfer.ts', "import { scan } from '../commands/scan.js';"],
    ['src/kit/output.ts', "import { COMMANDS } from '../commands/index.js';"],
    ['src/commands/completion.ts', "import { describeProgram } from '../entry/program.js';"],
    ['src/commands/ui.ts', "import { stream } from './stream.js';"],
    ['src/lambda/messaging-stream.ts', "import { CliError } from '../core/errors.js';"],
  ])('%s may not write %s', async (file, source) => {
    expect(await restricted(file, `${source}\nexport {};\n`)).toHaveLength(1);
  });

  it.each([
    ['src/core/environment.ts', "import { TIME_FORMS } from '../patterns/time.js';"],
    ['src/aws/clients.ts', "import { CliError } from '../core/errors.js';"],
    ['src/kit/context.ts', "import type { AwsSettings } from '../aws/clients.js';"],
    ['src/commands/local.ts', "import seed from './seed.def.js';"],
    ['src/commands/scan.ts', "import { render } from '../kit/output.js';"],
    ['src/entry/program.ts', "import { COMMANDS } from '../commands/index.js';"],
    ['src/lambda/messaging-stream.ts', "import { processRecords } from '../patterns/stream.js';"],
  ])('%s may write %s', async (file, source) => {
    expect(await restricted(file, `${source}\nexport {};\n`)).toEqual([]);
  });
});

describe('the Io seam (lint)', () => {
  const processReads = async (file: string, source: string) => {
    const [result] = await eslint.lintText(`${source}\nexport {};\n`, { filePath: file });
    return (result?.messages ?? []).filter((m) => m.ruleId === 'no-restricted-properties');
  };

  it.each([
    ['src/stream/lock.ts', "process.once('exit', () => undefined);"],
    ['src/seed/files.ts', 'const here = process.cwd();'],
    ['src/commands/scan.ts', 'const region = process.env.AWS_REGION;'],
    ['src/transfer/files.ts', "process.stdout.write('x');"],
  ])('%s may not write %s', async (file, source) => {
    expect(await processReads(file, source)).toHaveLength(1);
  });

  it.each([
    ['src/entry/run.ts', "process.once('SIGINT', () => undefined);"],
    ['src/kit/context.ts', 'const here = process.cwd();'],
    ['src/local/watchdog.ts', "process.on('SIGTERM', () => undefined);"],
  ])('%s may write %s', async (file, source) => {
    expect(await processReads(file, source)).toEqual([]);
  });
});
