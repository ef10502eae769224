/**
 * What DynamoDB says a run consumed (ReturnConsumedCapacity: INDEXES), summed per table and index over
 * every call, and an on-demand estimate from a price table kept as data (prices.ts, or a JSON file of
 * the same shape handed in by the caller). Read and write units are priced as on-demand request units.
 *
 * `watchCapacity` puts the asking and the adding on the client itself (one middleware), so every call a
 * service makes through it counts, however it makes it: the scanner's pages, the batch writer's retries
 * of unprocessed items, the patterns' document-client queries. Services take no tally and change nothing.
 */
import { readFileSync } from 'node:fs';
import type { ConsumedCapacity, DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { CliError } from '../core/errors.js';
import { ON_DEMAND_PRICES } from './prices.js';

export interface RegionPrices {
  readPerMillion: number;
  writePerMillion: number;
}

export interface PriceTable {
  date: string;
  currency: string;
  source?: string;
  regions: Record<string, RegionPrices>;
}

/** Where a client's calls go: a label for the lines (copy's two sides) and, when they cost money (prod), the region. */
export interface Where {
  label?: string;
  region?: string;
}

interface Units {
  read: number;
  write: number;
  region: string | undefined;
}

type Capacity = { ReadCapacityUnits?: number; WriteCapacityUnits?: number; CapacityUnits?: number };

export class CapacityTally {
  readonly units = new Map<string, Units>();

  /**
   * Adds what one call consumed. DynamoDB (and DynamoDB Local) often gives only `CapacityUnits`, with no
   * read/write split: those count as `kind`, what the operation was (a read unless told otherwise).
   */
  add(consumed: ConsumedCapacity | ConsumedCapacity[] | undefined, where: Where = {}, kind: 'read' | 'write' = 'read'): void {
    for (const c of Array.isArray(consumed) ? consumed : consumed ? [consumed] : []) {
      const table = `${c.TableName ?? '?'}${where.label ? ` (${where.label})` : ''}`;
      const parts: Array<[string, Capacity | undefined]> = [
        [table, c.Table],
        ...Object.entries(c.GlobalSecondaryIndexes ?? {}).map(([name, v]): [string, Capacity] => [`${table}/${name}`, v]),
        ...Object.entries(c.LocalSecondaryIndexes ?? {}).map(([name, v]): [string, Capacity] => [`${table}/${name}`, v]),
      ];
      // Without per-index figures (an endpoint that gives only the total), the total counts as the table's.
      if (!c.Table && !c.GlobalSecondaryIndexes && !c.LocalSecondaryIndexes) parts.push([table, c]);
      for (const [name, units] of parts) {
        if (!units) continue;
        const split = units.ReadCapacityUnits !== undefined || units.WriteCapacityUnits !== undefined;
        const total = split ? 0 : (units.CapacityUnits ?? 0);
        const sum = this.units.get(name) ?? { read: 0, write: 0, region: where.region };
        sum.read += (units.ReadCapacityUnits ?? 0) + (kind === 'read' ? total : 0);
        sum.write += (units.WriteCapacityUnits ?? 0) + (kind === 'write' ? total : 0);
        this.units.set(name, sum);
      }
    }
  }

  totals(): { read: number; write: number } {
    let read = 0;
    let write = 0;
    for (const u of this.units.values()) {
      read += u.read;
      write += u.write;
    }
    return { read, write };
  }

  /** The on-demand price of the units spent where money is spent (a region given); undefined when none was, or a region has no price. */
  estimate(prices: PriceTable): Estimate | undefined {
    return estimateOf([...this.units.values()], prices);
  }

  /** The same facts for scripts (the `consumed` field of a -o json summary). */
  json(prices: PriceTable): ConsumedJson {
    const { read, write } = this.totals();
    return {
      readUnits: round(read),
      writeUnits: round(write),
      byTable: Object.fromEntries([...this.units].map(([name, u]) => [name, { readUnits: round(u.read), writeUnits: round(u.write) }])),
      estimate: this.estimate(prices) ?? null,
    };
  }

  /** One line for stderr: units per table/index, and the estimate when it is priced. */
  line(prices: PriceTable): string {
    const each = [...this.units].map(([n, u]) => `${n} ${round(u.read)} RCU ${round(u.write)} WCU`).join('; ');
    return `consumed: ${each || 'nothing reported'}${estimateText(this.estimate(prices))}`;
  }
}

export interface Estimate {
  amount: number;
  currency: string;
  /** Which prices: the regions and the date of the table. */
  prices: string;
  /** Regions that cost money here but have no price in the table (their units are left out of `amount`). */
  unpriced: string[];
}

export interface ConsumedJson {
  readUnits: number;
  writeUnits: number;
  byTable: Record<string, { readUnits: number; writeUnits: number }>;
  estimate: Estimate | null;
}

/** The price of units in their regions; units without a region (local, an endpoint URL) cost nothing and are left out. */
export function estimateOf(units: Array<{ read: number; write: number; region: string | undefined }>, prices: PriceTable): Estimate | undefined {
  const priced = units.filter((u) => u.region !== undefined);
  if (priced.length === 0) return undefined;
  let amount = 0;
  const used = new Set<string>();
  const unpriced = new Set<string>();
  for (const u of priced) {
    const price = prices.regions[u.region!];
    if (!price) {
      unpriced.add(u.region!);
      continue;
    }
    used.add(u.region!);
    amount += (u.read * price.readPerMillion + u.write * price.writePerMillion) / 1e6;
  }
  return {
    amount: Number(amount.toPrecision(6)),
    currency: prices.currency,
    prices: `${[...used].join(', ') || 'none'} of ${prices.date}`,
    unpriced: [...unpriced],
  };
}

export function estimateText(estimate: Estimate | undefined): string {
  if (!estimate) return '';
  const priced = estimate.prices.startsWith('none')
    ? ''
    : `; on-demand ≈ ${estimate.amount} ${estimate.currency} (${estimate.prices.replace(' of ', ' prices of ')})`;
  const unpriced = estimate.unpriced.length ? `; no on-demand price for ${estimate.unpriced.join(', ')} (set CRUDDUR_PRICE_FILE)` : '';
  return priced + unpriced;
}

const round = (n: number) => Math.round(n * 100) / 100;

/** The operations that take ReturnConsumedCapacity and answer with ConsumedCapacity, and what they spend. */
const METERED: Record<string, 'read' | 'write' | 'statement'> = {
  GetItemCommand: 'read',
  QueryCommand: 'read',
  ScanCommand: 'read',
  BatchGetItemCommand: 'read',
  TransactGetItemsCommand: 'read',
  PutItemCommand: 'write',
  UpdateItemCommand: 'write',
  DeleteItemCommand: 'write',
  BatchWriteItemCommand: 'write',
  TransactWriteItemsCommand: 'write',
  ExecuteStatementCommand: 'statement',
  BatchExecuteStatementCommand: 'statement',
  ExecuteTransactionCommand: 'statement',
};

/** PartiQL: reads when every statement is a SELECT (or EXISTS), else writes. */
function statementKind(input: {
  Statement?: string;
  Statements?: Array<{ Statement?: string }>;
  TransactStatements?: Array<{ Statement?: string }>;
}): 'read' | 'write' {
  const statements = [input.Statement, ...(input.Statements ?? []).map((s) => s.Statement), ...(input.TransactStatements ?? []).map((s) => s.Statement)];
  return statements.every((s) => s === undefined || /^\s*(select|exists)\b/i.test(s)) ? 'read' : 'write';
}

const watched = new WeakSet<DynamoDBClient>();

/**
 * Every later call through `client` (and the document clients over it, which share its middleware)
 * asks DynamoDB for the capacity it consumed, per table and index, and adds it to `tally`. Once per client.
 */
export function watchCapacity(client: DynamoDBClient, tally: CapacityTally, where: Where = {}): void {
  if (watched.has(client)) return;
  watched.add(client);
  client.middlewareStack.add(
    (next, context) => async (args) => {
      const metered = METERED[context.commandName ?? ''];
      if (!metered) return next(args);
      const input = args.input as { ReturnConsumedCapacity?: string; Statement?: string };
      const result = await next({ ...args, input: { ...input, ReturnConsumedCapacity: input.ReturnConsumedCapacity ?? 'INDEXES' } });
      const kind = metered === 'statement' ? statementKind(input) : metered;
      tally.add((result.output as { ConsumedCapacity?: ConsumedCapacity | ConsumedCapacity[] }).ConsumedCapacity, where, kind);
      return result;
    },
    { step: 'initialize', name: 'cruddurConsumedCapacity' },
  );
}

/**
 * The price table: the one kept here, or the JSON file `file` names (the caller reads CRUDDUR_PRICE_FILE
 * from its run's environment and hands it in). A file that does not read as a price table is one line.
 */
export function priceTable(file: string | undefined): PriceTable {
  if (!file) return ON_DEMAND_PRICES;
  let parsed: unknown;
  try {
    parsed = JSON.parse(readFileSync(file, 'utf8'));
  } catch (error) {
    throw new CliError('prices.bad_file', `The price file ${file} (CRUDDUR_PRICE_FILE) cannot be read: ${(error as Error).message}`, {
      hint: 'Point CRUDDUR_PRICE_FILE at a JSON file like {"date":"2024-11-01","currency":"USD","regions":{"us-east-1":{"readPerMillion":0.125,"writePerMillion":0.625}}}, or unset it',
    });
  }
  const table = parsed as Partial<PriceTable>;
  const regionsOk =
    typeof table.regions === 'object' &&
    table.regions !== null &&
    Object.values(table.regions).every(
      (r) =>
        typeof r === 'object' &&
        r !== null &&
        Number.isFinite(r.readPerMillion) &&
        Number.isFinite(r.writePerMillion) &&
        r.readPerMillion >= 0 &&
        r.writePerMillion >= 0,
    );
  if (typeof table.date !== 'string' || typeof table.currency !== 'string' || !regionsOk) {
    throw new CliError('prices.bad_file', `The price file ${file} (CRUDDUR_PRICE_FILE) is not a price table`, {
      hint: 'It needs "date", "currency" and "regions": {"<region>": {"readPerMillion": n, "writePerMillion": n}} (docs/adhoc.md)',
    });
  }
  return table as PriceTable;
}
