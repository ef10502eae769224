/**
 * The fast path of `--help`, `-V`/`--version` and a bare `cruddur-ddb`: the same program (program.ts, the
 * same definitions, the same output settings) parsed from a CommonJS bundle of its own (build.mjs), so
 * printing help loads one file and never starts Node's ES module loader, about a tenth of the start-up
 * on Node 20. A command line that turns out to run a command (`--table --help` names a table) returns
 * undefined: the binary then runs it the usual way, from the start.
 */
import { CommanderError } from 'commander';
import type { Writable } from 'node:stream';
import { EXIT } from '../core/errors.js';
import { commanderOutput } from './commander-output.js';
import { buildProgram, printsHelpOf } from './program.js';
import { quietClosedStderr, quietClosedStdout } from './stdio.js';

/** The exit code when the line only printed help, the version or a usage error; undefined when it runs a command. */
export async function helpOnly(argv: readonly string[], io: { stdout: Writable; stderr: Writable }): Promise<number | undefined> {
  let runs = false;
  const program = buildProgram(() => (runs = true), commanderOutput(argv, io), printsHelpOf(argv));
  try {
    await program.parseAsync([...argv], { from: 'user' });
  } catch (error) {
    if (error instanceof CommanderError) return error.exitCode === 0 ? EXIT.ok : EXIT.usage;
    return undefined; // a value refused while parsing: the usual path says so in its own words
  }
  return runs ? undefined : EXIT.ok;
}

/** helpOnly on the process's own streams, each made (and guarded against a closed pipe) when first written to. */
export function processHelpOnly(argv: readonly string[]): Promise<number | undefined> {
  return helpOnly(argv, {
    get stdout() {
      return quietClosedStdout();
    },
    get stderr() {
      return quietClosedStderr();
    },
  });
}
