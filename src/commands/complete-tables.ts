/**
 * `cruddur-ddb __complete tables`: the table names of the environment the command line names, for the
 * completion scripts. A shell waits on this while the user waits on the shell, so it gives up after a
 * second and prints nothing rather than an error (a Tab that does nothing beats a Tab that hangs).
 */
import { ListTablesCommand } from '@aws-sdk/client-dynamodb';
import type { Context } from '../kit/context.js';
import { plain, type Output } from '../kit/output.js';
import type { CompleteTablesInput } from './complete-tables.def.js';

/** How long a Tab may wait for DynamoDB; CRUDDUR_COMPLETE_TIMEOUT_MS changes it (a slow link, a busy machine). */
export const COMPLETION_TIMEOUT_MS = 1000;

function timeoutMs(env: Record<string, string | undefined>): number {
  const value = Number(env.CRUDDUR_COMPLETE_TIMEOUT_MS);
  return Number.isFinite(value) && value > 0 ? value : COMPLETION_TIMEOUT_MS;
}

export async function completeTables(input: CompleteTablesInput, context: Context): Promise<Output> {
  if (input.what !== 'tables') return undefined;
  try {
    const client = await context.dynamo();
    const names: string[] = [];
    let start: string | undefined;
    const signal = AbortSignal.timeout(timeoutMs(context.vars));
    do {
      const page = await client.send(new ListTablesCommand({ ExclusiveStartTableName: start }), { abortSignal: signal });
      names.push(...(page.TableNames ?? []));
      start = page.LastEvaluatedTableName;
    } while (start);
    // Whatever answers at the endpoint chose these words, and a shell reads them: only DynamoDB's own
    // table names ([A-Za-z0-9_.-], 3 to 255) go out, so none holds $(...), a backtick, a glob or a ~.
    const valid = names.filter((name) => typeof name === 'string' && /^[A-Za-z0-9_.-]{3,255}$/.test(name));
    return valid.length ? plain(valid.join('\n') + '\n') : undefined;
  } catch {
    // Not answering, no credentials, too slow: no table names, and no noise in the middle of a command line.
  }
  return undefined;
}
