/**
 * `cruddur-ddb ui`: a local page of the single-table design (users, their conversations, the messages,
 * and the items and queries behind each), live through the stream. The page's lifecycle is
 * src/ui/serve.ts; this file checks the flags (prod stays read-only) and hands it what it needs.
 */
import type { Context } from '../kit/context.js';
import { checkTableName } from '../core/environment.js';
import { UsageError } from '../core/errors.js';
import { plain, render, type Output } from '../kit/output.js';
import type { StreamMode } from '../ui/live.js';
import { serveUi } from '../ui/serve.js';
import type { UiInput } from './ui.def.js';

/** The definition's arguments and options, typed there (defaults and choices live there, once). */
export type UiOptions = UiInput;

/** The stream mode `auto` stands for, and the refusals that keep prod read-only. */
function modeFor(options: UiOptions, context: Context): StreamMode {
  const prod = context.env.name === 'prod';
  // Prod must be asked for on this command line (--env prod, or the old scripts' bare `prod`), not inherited from the shell.
  if (prod && context.env.nameSource === 'CRUDDUR_ENV')
    throw new UsageError('ui.prod_implicit', 'The page opens prod only with an explicit --env prod (prod came from CRUDDUR_ENV)', 'Add --env prod');
  if (prod && options.stream === 'apply')
    throw new UsageError(
      'ui.read_only',
      'The page is read-only in prod: it cannot apply the stream',
      'Use --stream watch (the Lambda moves the conversations)',
    );
  if (options.stream !== 'auto') return options.stream;
  return prod ? 'watch' : 'apply';
}

export async function ui(options: UiOptions, context: Context): Promise<Output> {
  const table = checkTableName(context.env.table.value);
  const mode = modeFor(options, context);
  await serveUi({
    env: context.env,
    settings: await context.aws(),
    client: await context.dynamo(),
    table,
    port: options.port,
    mode,
    asked: options.stream !== 'auto',
    checkpointDir: options.checkpointDir,
    say: context.say,
    // Through the one renderer, at once (not as the returned output, which would come only at exit).
    listening: (url) => render(plain(`${url}\n`), context).then(() => undefined),
    onSignal: context.onSignal,
    onExit: context.onExit,
    now: context.now,
  });
  return undefined;
}
