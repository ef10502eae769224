/**
 * Where commander writes (help, version, its own usage errors) and how its errors read: one line
 * `error[usage.command_line]: …`, or one JSON object under `-o json`/`ndjson`. Shared by the full run
 * (run.ts) and the help fast path (help.ts), so both print the same.
 */
import type { Writable } from 'node:stream';
import type { OutputConfiguration } from 'commander';
import { CliError, EXIT, errorJson } from '../core/errors.js';

export function commanderOutput(argv: readonly string[], io: { stdout: Writable; stderr: Writable }): OutputConfiguration {
  return {
    writeOut: (text) => io.stdout.write(text),
    writeErr: (text) => io.stderr.write(text),
    // commander's own usage errors carry a code too, so scripts can tell them apart.
    // commander puts its suggestion on a second line ("(Did you mean --dir?)"): one line, always.
    outputError: (text, write) =>
      write(
        wantsJson(argv)
          ? JSON.stringify(errorJson(commanderError(text))) + '\n'
          : `${text
              .trimEnd()
              .replace(/\n+/g, ' ')
              .replace(/^error:/, 'error[usage.command_line]:')}\n`,
      ),
  };
}

/** `-o json`, `--output=ndjson`, ...: what the user asked for, read before commander could parse it. */
export function wantsJson(argv: readonly string[]): boolean {
  return argv.some((word, i) => /^(-o|--output)=?(json|ndjson)$/.test(word) || (/^(-o|--output)$/.test(word) && /^(json|ndjson)$/.test(argv[i + 1] ?? '')));
}

export function commanderError(text: string): CliError {
  return new CliError('usage.command_line', text.replace(/^error:\s*/, '').trim(), { exitCode: EXIT.usage });
}
