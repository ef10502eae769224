/** `cruddur-ddb completion <shell>`: the script, generated from the command definitions (via the program they build). */
import type { Context } from '../kit/context.js';
import { UsageError } from '../core/errors.js';
import type { Output } from '../kit/output.js';
import { describeProgram } from '../entry/program.js';
import { completionScript, SHELLS, type Shell } from '../completion/scripts.js';

export async function completion(input: { shell: string }, context: Context): Promise<Output> {
  if (!(SHELLS as readonly string[]).includes(input.shell))
    throw new UsageError('arg.bad_shell', `No completion for "${input.shell}"`, `Use one of: ${SHELLS.join(', ')}`);
  context.stdout.write(completionScript(input.shell as Shell, describeProgram()));
  return undefined;
}
