/**
 * `schema-load --diff`: how a live table differs from the messages table's shape (src/patterns/table.ts),
 * part by part, and for each difference whether UpdateTable can change it in place or it needs a new
 * table (what DynamoDB lets UpdateTable change:
 * https://docs.aws.amazon.com/amazondynamodb/latest/APIReference/API_UpdateTable.html):
 * - the table's key and its attribute types, and local secondary indexes, are fixed at creation: a new table;
 * - a GSI can be created or deleted in place (a new one backfills), never modified: a GSI with another key
 *   or projection is deleted and created again, in place but with the index gone in between;
 * - the stream can be turned on or off in place; its view type only by turning it off and on (a new ARN,
 *   which the Lambda's event source mapping must then name);
 * - billing mode and provisioned capacity change in place (AWS limits how often the mode may switch).
 * Parts of the live table the shape does not have (another GSI) are `extra`: reported, not a difference.
 */
import type { AttributeDefinition, CreateTableCommandInput, KeySchemaElement, Projection, TableDescription } from '@aws-sdk/client-dynamodb';
import { messagesTableInput, type Billing } from '../patterns/table.js';

export type Change = 'in place' | 'new table' | 'extra';

export interface SchemaDifference {
  /** What part: `key`, `attribute sk`, `index message-group-sk-index`, `stream`, `billing`, ... */
  part: string;
  live: string;
  expected: string;
  change: Change;
  /** How to make it so, in words. */
  how: string;
}

const keyText = (schema: KeySchemaElement[] | undefined, types: Map<string, string>) =>
  (schema ?? []).map((k) => `${k.AttributeName} ${types.get(k.AttributeName!) ?? '?'} (${k.KeyType})`).join(', ') || 'none';

const projectionText = (p: Projection | undefined) =>
  p?.ProjectionType === 'INCLUDE' ? `INCLUDE ${[...(p.NonKeyAttributes ?? [])].sort().join(', ')}` : (p?.ProjectionType ?? 'none');

const typesOf = (definitions: AttributeDefinition[] | undefined) => new Map((definitions ?? []).map((d) => [d.AttributeName!, d.AttributeType!]));

function billingText(billing: string | undefined, capacity: { ReadCapacityUnits?: number; WriteCapacityUnits?: number } | undefined): string {
  return billing === 'PAY_PER_REQUEST' || !capacity?.ReadCapacityUnits
    ? 'on-demand'
    : `provisioned ${capacity.ReadCapacityUnits}/${capacity.WriteCapacityUnits}`;
}

/** The differences between `live` and the messages table's shape with `billing`; empty when it has that shape. */
export function schemaDifferences(live: TableDescription, billing: Billing): SchemaDifference[] {
  const expected: CreateTableCommandInput = messagesTableInput(live.TableName!, billing);
  const liveTypes = typesOf(live.AttributeDefinitions);
  const wantTypes = typesOf(expected.AttributeDefinitions);
  const out: SchemaDifference[] = [];

  const liveKey = keyText(live.KeySchema, liveTypes);
  const wantKey = keyText(expected.KeySchema, wantTypes);
  if (liveKey !== wantKey)
    out.push({ part: 'key', live: liveKey, expected: wantKey, change: 'new table', how: 'a new table with this key, then copy the items into it' });

  const liveIndexes = new Map((live.GlobalSecondaryIndexes ?? []).map((i) => [i.IndexName!, i]));
  for (const want of expected.GlobalSecondaryIndexes ?? []) {
    const name = want.IndexName!;
    const have = liveIndexes.get(name);
    const wantText = `${keyText(want.KeySchema, wantTypes)}; projection ${projectionText(want.Projection)}`;
    if (!have) {
      out.push({
        part: `index ${name}`,
        live: 'missing',
        expected: wantText,
        change: 'in place',
        how: 'UpdateTable: create the index (it backfills from the items)',
      });
      continue;
    }
    const haveText = `${keyText(have.KeySchema, liveTypes)}; projection ${projectionText(have.Projection)}`;
    if (haveText !== wantText)
      out.push({
        part: `index ${name}`,
        live: haveText,
        expected: wantText,
        change: 'in place',
        how: 'UpdateTable: delete the index, then create it again (queries on it fail until it is back)',
      });
  }
  const wanted = new Set((expected.GlobalSecondaryIndexes ?? []).map((i) => i.IndexName));
  for (const [name, have] of liveIndexes) {
    if (!wanted.has(name))
      out.push({
        part: `index ${name}`,
        live: `${keyText(have.KeySchema, liveTypes)}; projection ${projectionText(have.Projection)}`,
        expected: 'not in the shape',
        change: 'extra',
        how: 'nothing needed (the backend does not use it); UpdateTable can delete it',
      });
  }
  for (const lsi of live.LocalSecondaryIndexes ?? [])
    out.push({
      part: `local index ${lsi.IndexName}`,
      live: `${keyText(lsi.KeySchema, liveTypes)}; projection ${projectionText(lsi.Projection)}`,
      expected: 'not in the shape',
      change: 'extra',
      how: 'nothing needed; a local index goes only with a new table',
    });

  const stream = (s: { StreamEnabled?: boolean; StreamViewType?: string } | undefined) => (s?.StreamEnabled ? s.StreamViewType! : 'disabled');
  const liveStream = stream(live.StreamSpecification);
  const wantStream = stream(expected.StreamSpecification);
  if (liveStream !== wantStream)
    out.push({
      part: 'stream',
      live: liveStream,
      expected: wantStream,
      change: 'in place',
      how:
        liveStream === 'disabled'
          ? 'UpdateTable: enable the stream (a new stream ARN: point the Lambda at it)'
          : 'UpdateTable: disable the stream, then enable it with this view type (a new stream ARN: point the Lambda at it)',
    });

  const liveBilling = billingText(live.BillingModeSummary?.BillingMode, live.ProvisionedThroughput);
  const wantBilling = billingText(expected.BillingMode, expected.ProvisionedThroughput);
  if (liveBilling !== wantBilling)
    out.push({
      part: 'billing',
      live: liveBilling,
      expected: `${wantBilling} (--billing)`,
      change: 'in place',
      how: 'UpdateTable: BillingMode / ProvisionedThroughput (AWS limits how often the mode may switch)',
    });
  return out;
}
