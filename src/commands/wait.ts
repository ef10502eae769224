/** `cruddur-ddb wait [table]`: until the endpoint answers and the table and its indexes are ACTIVE. */
import { waitUntilReady } from '../aws/messages-table.js';
import type { Context } from '../kit/context.js';
import { checkTableName } from '../core/environment.js';
import { CliError, EXIT } from '../core/errors.js';
import { record, type Output } from '../kit/output.js';

export interface WaitOptions {
  table: string | undefined;
  timeout: number;
  stream: boolean;
}

export async function wait(options: WaitOptions, context: Context): Promise<Output> {
  const table = checkTableName(options.table ?? context.env.table.value);
  const client = await context.dynamo();
  const started = process.hrtime.bigint();
  const last: { waitingFor?: string } = {};
  let said: string | undefined;
  const description = await waitUntilReady(
    client,
    table,
    {
      timeoutMs: options.timeout * 1000,
      stream: options.stream,
      onWaiting: (waitingFor) => {
        // People see what it waits for, once each time that changes; scripts see nothing until the end.
        if (context.stderrIsTTY && waitingFor !== said) context.say(`Waiting for ${(said = waitingFor)}...`);
      },
    },
    last,
  );
  const seconds = Number((Number(process.hrtime.bigint() - started) / 1e9).toFixed(3));
  const where = context.env.endpoint.value ?? 'AWS';
  if (!description) {
    throw new CliError('wait.timeout', `Not ready after ${options.timeout} s at ${where}: still waiting for ${last.waitingFor ?? 'an answer'}`, {
      hint: 'Is it started (`cruddur-ddb local --detach`, `cruddur-ddb schema-load`)? Or raise --timeout',
      exitCode: EXIT.timeout,
    });
  }
  context.say(`Table ${table} is ready at ${where} (${seconds.toFixed(2)} s).`);
  const summary = {
    table,
    endpoint: where,
    ready: true,
    status: description.TableStatus,
    indexes: description.GlobalSecondaryIndexes?.length ?? 0,
    stream: Boolean(description.StreamSpecification?.StreamEnabled),
    seconds,
  };
  return context.format === 'table' ? undefined : record(summary, undefined, true);
}
