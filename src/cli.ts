/**
 * The command line's entry, bundled as dist/bin/cli.cjs (src/bin.ts loads it): quiets the AWS SDK's Node-20 warning, treats a
 * closed stdout as the reader's choice, and runs the command line (src/entry/run.ts). Commands are defined in src/commands/*.def.ts
 * and listed in src/commands/index.ts; see docs/contributing-commands.md.
 */
import { runCli } from './entry/run.js';
import { quietClosedPipes } from './entry/stdio.js';

// The AWS SDK warns on Node 20 that later releases will need Node 22: true, and nothing a user of
// this tool can act on mid-command, so it must not reach their terminal.
process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';
const emitWarning = process.emitWarning.bind(process);
process.emitWarning = ((warning: string | Error, ...rest: unknown[]) => {
  const text = typeof warning === 'string' ? warning : warning.message;
  if (/NodeVersionSupportWarning|NodeDeprecationWarning/.test(text)) return;
  (emitWarning as (...args: unknown[]) => void)(warning, ...rest);
}) as typeof process.emitWarning;

quietClosedPipes();

void runCli(process.argv.slice(2)).then((code) => (process.exitCode = code));
