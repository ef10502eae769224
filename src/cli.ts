#!/usr/bin/env node
/**
 * The binary's entry: quiets the AWS SDK's Node-20 warning, treats a closed stdout as the reader's
 * choice, and runs the command line (src/entry/run.ts). Commands are defined in src/commands/*.def.ts
 * and listed in src/commands/index.ts; see docs/contributing-commands.md.
 */
import { runCli } from './entry/run.js';

// The AWS SDK warns on Node 20 that later releases will need Node 22: true, and nothing a user of
// this tool can act on mid-command, so it must not reach their terminal.
process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';
const emitWarning = process.emitWarning.bind(process);
process.emitWarning = ((warning: string | Error, ...rest: unknown[]) => {
  const text = typeof warning === 'string' ? warning : warning.message;
  if (/NodeVersionSupportWarning|NodeDeprecationWarning/.test(text)) return;
  (emitWarning as (...args: unknown[]) => void)(warning, ...rest);
}) as typeof process.emitWarning;

// `cruddur-ddb scan t | head` closes our stdout early: that is the reader's choice, not an error.
process.stdout.on('error', (error: NodeJS.ErrnoException) => {
  if (error.code === 'EPIPE') process.exit(process.exitCode ?? 0);
  throw error;
});
// The same for messages (`cruddur-ddb stream --once 2>&1 | head`): the work goes on, its words have no reader.
process.stderr.on('error', (error: NodeJS.ErrnoException) => {
  if (error.code !== 'EPIPE') throw error;
});

process.exitCode = await runCli(process.argv.slice(2));
