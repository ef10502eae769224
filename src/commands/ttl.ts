/** `cruddur-ddb ttl status|enable|disable|sweep`: the time-to-live setting, and deleting expired items now. */
import type { Context } from '../kit/context.js';
import { confirmDestructive } from '../kit/prod-prompt.js';
import { checkTableName } from '../core/environment.js';
import { CliError } from '../core/errors.js';
import { record, type Output } from '../kit/output.js';
import { createProgress } from '../kit/progress.js';
import { incomplete, perSecond, seconds } from '../transfer/summary.js';
import { countExpired, setTtl, sweepAttribute, sweepExpired, ttlSetting } from '../adhoc/ttl.js';

const tableOf = (table: string | undefined, context: Context) => checkTableName(table ?? context.env.table.value);

export async function ttlStatus(options: { table: string | undefined }, context: Context): Promise<Output> {
  const table = tableOf(options.table, context);
  return record({ table, ...(await ttlSetting(await context.dynamo(), table)) });
}

export async function ttlEnable(options: { attribute: string; table: string | undefined }, context: Context): Promise<Output> {
  const table = tableOf(options.table, context);
  await confirmDestructive(context, `turn on TTL (items whose ${options.attribute} is past get deleted)`, table, { table });
  return record({ table, ...(await setTtl(await context.dynamo(), table, options.attribute, true)) });
}

export async function ttlDisable(options: { table: string | undefined }, context: Context): Promise<Output> {
  const table = tableOf(options.table, context);
  await confirmDestructive(context, 'turn off TTL', table, { table });
  return record({ table, ...(await setTtl(await context.dynamo(), table, undefined, false)) });
}

export interface SweepCommandOptions {
  table: string | undefined;
  attribute: string | undefined;
  dryRun: boolean;
  segments: number;
  concurrency: number;
  maxRetries: number;
}

export async function ttlSweep(options: SweepCommandOptions, context: Context): Promise<Output> {
  const table = tableOf(options.table, context);
  if (context.env.name === 'prod' && !options.dryRun) {
    // AWS sweeps by itself; sweeping prod by hand is a choice made on the command line, not at a prompt.
    if (!context.yes)
      throw new CliError('prod.unconfirmed', `Refusing to sweep ${table} in prod without --yes`, {
        hint: 'AWS deletes expired items by itself; pass --yes to delete them now',
      });
    await confirmDestructive(context, 'delete the expired items', table, { table });
  }
  const client = await context.dynamo();
  const attribute = await sweepAttribute(client, table, options.attribute);
  const now = Math.floor(Date.now() / 1000);
  if (options.dryRun) {
    const expired = await countExpired(client, table, attribute, now, options.segments);
    context.say(`${expired} items of ${table} have expired by ${attribute}; --dry-run deleted nothing.`);
    return record({ table, attribute, expired, deleted: 0 });
  }
  const progress = createProgress(context, `Sweeping ${table}:`);
  const started = context.clock();
  let result;
  try {
    result = await sweepExpired(client, table, { ...options, attribute, now, onDeleted: (n) => progress.add(n) });
  } finally {
    progress.done();
  }
  if (result.notWritten > 0) throw incomplete('ttl.incomplete', result.notWritten, result.found, table, options.maxRetries, 'ttl sweep');
  const secs = seconds(started, context.clock());
  context.say(`Deleted ${result.written} expired items (by ${attribute}) from ${table} in ${secs.toFixed(2)} s (${perSecond(result.written, secs)} items/s).`);
  return record({ table, attribute, expired: result.found, deleted: result.written, seconds: Number(secs.toFixed(3)) });
}
