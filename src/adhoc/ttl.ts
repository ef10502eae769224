/**
 * Time to live: its setting (DescribeTimeToLive, UpdateTimeToLive) and a sweep that deletes the expired
 * items now. DynamoDB deletes them by itself, within days; DynamoDB Local's own job is no quicker to
 * rely on in a test. The sweep does what AWS's job would: an item is expired when its TTL attribute is
 * a Number (epoch seconds) in the past, but not more than five years in the past, which AWS ignores
 * (https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/howitworks-ttl.html). Deletes are
 * ordinary deletes, so the table's stream sees each one as a REMOVE.
 */
import { DescribeTimeToLiveCommand, UpdateTimeToLiveCommand, type DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { UsageError } from '../core/errors.js';
import { deleteAllItems, type ItemFilter } from '../transfer/transfer.js';
import { scanPages } from '../transfer/scanner.js';

export interface TtlSetting {
  status: string;
  attribute: string | null;
}

export async function ttlSetting(client: DynamoDBClient, table: string): Promise<TtlSetting> {
  const output = await client.send(new DescribeTimeToLiveCommand({ TableName: table }));
  return { status: output.TimeToLiveDescription?.TimeToLiveStatus ?? 'DISABLED', attribute: output.TimeToLiveDescription?.AttributeName ?? null };
}

/**
 * Turns TTL on for `attribute`, or off (DynamoDB wants the attribute it is on for). Asking for what is
 * already so is no change (DynamoDB itself refuses it with "TimeToLive is already enabled").
 */
export async function setTtl(
  client: DynamoDBClient,
  table: string,
  attribute: string | undefined,
  enabled: boolean,
): Promise<TtlSetting & { changed: boolean }> {
  const current = await ttlSetting(client, table);
  const on = current.status === 'ENABLED' || current.status === 'ENABLING';
  if (enabled && on && current.attribute !== attribute) {
    throw new UsageError(
      'ttl.other_attribute',
      `TTL on ${table} is already on for ${current.attribute ?? 'another attribute'}`,
      'Turn it off first (ttl disable); AWS allows one change an hour',
    );
  }
  if (enabled === on) return { ...current, changed: false };
  const name = attribute ?? current.attribute;
  if (!name) return { ...current, changed: false };
  const output = await client.send(new UpdateTimeToLiveCommand({ TableName: table, TimeToLiveSpecification: { AttributeName: name, Enabled: enabled } }));
  return { status: output.TimeToLiveSpecification?.Enabled ? 'ENABLED' : 'DISABLED', attribute: name, changed: true };
}

const FIVE_YEARS_S = 5 * 365 * 24 * 3600;

/** The attribute to sweep by: the flag, else the table's TTL setting. */
export async function sweepAttribute(client: DynamoDBClient, table: string, flag: string | undefined): Promise<string> {
  if (flag) return flag;
  const setting = await ttlSetting(client, table);
  if (setting.attribute && (setting.status === 'ENABLED' || setting.status === 'ENABLING')) return setting.attribute;
  throw new UsageError(
    'ttl.no_attribute',
    `TTL is ${setting.status.toLowerCase()} on ${table}, so there is no attribute to sweep by`,
    'Pass --attribute NAME, or turn TTL on: cruddur-ddb ttl enable NAME',
  );
}

export interface SweepOptions {
  attribute: string;
  /** Epoch seconds; items whose attribute is below it are expired. */
  now: number;
  segments: number;
  concurrency: number;
  maxRetries: number;
  onDeleted?(n: number): void;
}

export async function sweepExpired(client: DynamoDBClient, table: string, options: SweepOptions) {
  return deleteAllItems(client, table, {
    segments: options.segments,
    concurrency: options.concurrency,
    maxRetries: options.maxRetries,
    onWritten: options.onDeleted,
    where: expiredFilter(options.attribute, options.now),
  });
}

export function expiredFilter(attribute: string, now: number): ItemFilter {
  return {
    expression: '#ttl BETWEEN :oldest AND :now',
    names: { '#ttl': attribute },
    // BETWEEN is inclusive; an item expiring this very second is left for the next sweep.
    values: { ':oldest': { N: String(now - FIVE_YEARS_S) }, ':now': { N: String(now - 1) } },
  };
}

/** How many items a sweep would delete (--dry-run): the same scan and filter, counted. */
export async function countExpired(client: DynamoDBClient, table: string, attribute: string, now: number, segments: number): Promise<number> {
  const where = expiredFilter(attribute, now);
  let expired = 0;
  const input = {
    ProjectionExpression: '#ttl',
    FilterExpression: where.expression,
    ExpressionAttributeNames: where.names,
    ExpressionAttributeValues: where.values,
  };
  for await (const page of scanPages(client, table, { segments, input })) expired += page.length;
  return expired;
}
