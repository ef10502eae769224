/** `cruddur-ddb completion <shell>`: the script, generated from the command definitions (the tree the entry hands down). */
import type { Context } from '../kit/context.js';
import { UsageError } from '../core/errors.js';
import { plain, type Output } from '../kit/output.js';
import { completionScript, SHELLS, type Shell } from '../completion/scripts.js';
import type { CompletionInput } from './completion.def.js';

export async function completion(input: CompletionInput, context: Context): Promise<Output> {
  if (!(SHELLS as readonly string[]).includes(input.shell))
    throw new UsageError('arg.bad_shell', `No completion for "${input.shell}"`, `Use one of: ${SHELLS.join(', ')}`);
  return plain(completionScript(input.shell as Shell, context.commandTree()));
}
