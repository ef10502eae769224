/**
 * What DynamoDB says a run consumed (ReturnConsumedCapacity: INDEXES), summed per table and index, and
 * an on-demand estimate from a price table kept as data (prices.json: its date and regions, replaceable
 * with CRUDDUR_PRICE_FILE). Read units and write units are priced as on-demand request units.
 */
import { readFileSync } from 'node:fs';
import type { ConsumedCapacity } from '@aws-sdk/client-dynamodb';
import { ON_DEMAND_PRICES } from './prices.js';

export interface PriceTable {
  date: string;
  currency: string;
  regions: Record<string, { readPerMillion: number; writePerMillion: number }>;
}

export class CapacityTally {
  readonly read = new Map<string, number>();
  readonly write = new Map<string, number>();

  add(consumed: ConsumedCapacity | ConsumedCapacity[] | undefined): void {
    for (const c of Array.isArray(consumed) ? consumed : consumed ? [consumed] : []) {
      const table = c.TableName ?? '?';
      const parts: Array<[string, { ReadCapacityUnits?: number; WriteCapacityUnits?: number; CapacityUnits?: number } | undefined]> = [
        [table, c.Table],
        ...Object.entries(c.GlobalSecondaryIndexes ?? {}).map(([name, v]) => [`${table}/${name}`, v] as [string, typeof v]),
        ...Object.entries(c.LocalSecondaryIndexes ?? {}).map(([name, v]) => [`${table}/${name}`, v] as [string, typeof v]),
      ];
      // Without per-index figures (an endpoint that gives only the total), the total counts as the table's.
      if (!c.Table && !c.GlobalSecondaryIndexes && !c.LocalSecondaryIndexes)
        parts.push([table, { ReadCapacityUnits: c.ReadCapacityUnits, WriteCapacityUnits: c.WriteCapacityUnits, CapacityUnits: c.CapacityUnits }]);
      for (const [name, units] of parts) {
        if (!units) continue;
        const read = units.ReadCapacityUnits ?? (units.WriteCapacityUnits === undefined ? (units.CapacityUnits ?? 0) : 0);
        this.read.set(name, (this.read.get(name) ?? 0) + read);
        this.write.set(name, (this.write.get(name) ?? 0) + (units.WriteCapacityUnits ?? 0));
      }
    }
  }

  totals(): { read: number; write: number } {
    const sum = (m: Map<string, number>) => [...m.values()].reduce((a, b) => a + b, 0);
    return { read: sum(this.read), write: sum(this.write) };
  }

  /** One line for stderr: units per table/index, and the estimate when a region's prices are known. */
  line(region: string | undefined, table: PriceTable = priceTable()): string {
    const names = [...new Set([...this.read.keys(), ...this.write.keys()])];
    const each = names.map((n) => `${n} ${round(this.read.get(n) ?? 0)} RCU ${round(this.write.get(n) ?? 0)} WCU`).join('; ');
    const { read, write } = this.totals();
    const price = region ? table.regions[region] : undefined;
    const estimate = price
      ? `; on-demand ≈ ${(read * price.readPerMillion + write * price.writePerMillion) / 1e6} ${table.currency} (${region} prices of ${table.date})`
      : '';
    return `consumed: ${each || 'nothing reported'}${estimate}`;
  }
}

const round = (n: number) => Math.round(n * 100) / 100;

export function priceTable(env: Record<string, string | undefined> = process.env): PriceTable {
  const file = env.CRUDDUR_PRICE_FILE;
  return file ? (JSON.parse(readFileSync(file, 'utf8')) as PriceTable) : ON_DEMAND_PRICES;
}
