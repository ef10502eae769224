/**
 * `--dry-run` of the whole-table commands (scan, export, copy, reset): DescribeTable's count and size
 * turned into the units the run would consume and, where they cost money (prod), an on-demand estimate.
 * Nothing but DescribeTable is called. One line on stderr for people, one record for scripts.
 */
import type { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import type { ResolvedEnv } from '../core/environment.js';
import { estimateOf, estimateText, priceTable } from '../adhoc/consumed.js';
import { estimateRun, tableSize } from '../adhoc/estimate.js';
import { megabytes } from '../transfer/summary.js';
import { regionOf } from './consumed.js';
import type { Context } from './context.js';
import type { Output } from './output.js';
import { summaryOutput } from './summary.js';

export interface DryRun {
  /** What the run is, for the line: 'scan', 'export', 'copy', 'reset'. */
  verb: string;
  table: string;
  /** A client on the side that is read (DescribeTable only). */
  client: DynamoDBClient;
  /** 'put' (copy), 'delete' (reset) or 'none' (scan, export). */
  writes: 'none' | 'put' | 'delete';
  limit?: number;
  /** Where the reads and the writes go (default: the run's env). */
  readEnv?: ResolvedEnv;
  writeEnv?: ResolvedEnv;
}

export async function dryRunOutput(context: Context, run: DryRun): Promise<Output> {
  const prices = priceTable(context.vars.CRUDDUR_PRICE_FILE);
  const size = await tableSize(run.client, run.table);
  const guess = estimateRun(size, { writes: run.writes !== 'none', limit: run.limit });
  const region = async (env: ResolvedEnv) => (env.name === 'prod' ? await regionOf(context, env) : undefined);
  const writeUnits = Object.values(guess.writeUnits).reduce((a, b) => a + b, 0);
  const estimate = estimateOf(
    [
      { read: guess.readUnits, write: 0, region: await region(run.readEnv ?? context.env) },
      { read: 0, write: writeUnits, region: await region(run.writeEnv ?? context.env) },
    ],
    prices,
  );
  const writing =
    run.writes === 'none'
      ? ''
      : ` and ${run.writes === 'put' ? 'write' : 'delete'} them: ≈ ${writeUnits} write units (${Object.entries(guess.writeUnits)
          .map(([name, units]) => `${name} ${units}`)
          .join(', ')})`;
  const line =
    `Dry run: ${run.verb} of ${run.table} would read about ${guess.items} items (${megabytes(guess.bytes)}): ≈ ${guess.readUnits} read units` +
    `${writing}${estimateText(estimate)}. From DescribeTable's count and size (DynamoDB refreshes them about every six hours); nothing was read.`;
  return summaryOutput(context, line, {
    dryRun: true,
    table: run.table,
    items: guess.items,
    bytes: guess.bytes,
    readUnits: guess.readUnits,
    writeUnits: guess.writeUnits,
    estimate: estimate ?? null,
  });
}
