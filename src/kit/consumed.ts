/**
 * `--consumed` for any command: one tally for the run, watched on each client the command uses, priced
 * for prod from the price table (CRUDDUR_PRICE_FILE read from the run's own variables and handed to the
 * service as a value). Said on stderr as one line, and given to a -o json summary as its `consumed` field.
 */
import type { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import type { ResolvedEnv } from '../core/environment.js';
import { CapacityTally, priceTable, watchCapacity, type ConsumedJson, type PriceTable } from '../adhoc/consumed.js';
import type { Context } from './context.js';
import type { Output } from './output.js';
import { summaryOutput } from './summary.js';

export interface Meter {
  /** Counts every later call through `client`; `env` is where it goes (default: the run's), `label` names the side in the line. */
  watch(client: DynamoDBClient, side?: { env?: ResolvedEnv; label?: string }): Promise<void>;
  line(): string;
  json(): ConsumedJson;
}

/** A meter when `--consumed` was given, else undefined (nothing asked, nothing said). */
export function meterFor(context: Context, wanted: boolean): Meter | undefined {
  if (!wanted) return undefined;
  const tally = new CapacityTally();
  const prices: PriceTable = priceTable(context.vars.CRUDDUR_PRICE_FILE);
  return {
    watch: async (client, side = {}) => {
      const env = side.env ?? context.env;
      // Only prod costs money; its region prices the units (local and endpoint URLs are free).
      const region = env.name === 'prod' ? await regionOf(context, env) : undefined;
      watchCapacity(client, tally, { label: side.label, region });
    },
    line: () => tally.line(prices),
    json: () => tally.json(prices),
  };
}

export async function regionOf(context: Context, env: ResolvedEnv): Promise<string | undefined> {
  if (env === context.env) return (await context.aws()).region;
  const { resolveAwsSettings } = await import('../aws/clients.js');
  return (await resolveAwsSettings(env, context.vars)).region;
}

/** A data command's summary (kit/summary.ts) with what it consumed: a `consumed` field for scripts, its line after the summary's. */
export function meteredSummary(context: Context, meter: Meter | undefined, line: string, summary: Record<string, unknown>, stdoutFree?: boolean): Output {
  const output = summaryOutput(context, line, meter ? { ...summary, consumed: meter.json() } : summary, stdoutFree);
  if (meter) context.say(meter.line());
  return output;
}
