/**
 * A table as DynamoDB describes it, in one object: keys, attribute definitions, indexes, stream, TTL,
 * point-in-time recovery, billing, item count and size, tags. Four calls (DescribeTable,
 * DescribeTimeToLive, DescribeContinuousBackups, ListTagsOfResource); the last three are asked at
 * once, and one that an endpoint does not implement is reported as unknown rather than failing all.
 */
import {
  DescribeContinuousBackupsCommand,
  DescribeTimeToLiveCommand,
  ListTagsOfResourceCommand,
  type DynamoDBClient,
  type KeySchemaElement,
  type Projection,
  type ProvisionedThroughputDescription,
} from '@aws-sdk/client-dynamodb';
import { describeTable } from './shape.js';

const keys = (schema: KeySchemaElement[] = []) => ({
  partition: schema.find((k) => k.KeyType === 'HASH')?.AttributeName ?? null,
  sort: schema.find((k) => k.KeyType === 'RANGE')?.AttributeName ?? null,
});

const projection = (p: Projection | undefined) =>
  p?.ProjectionType === 'INCLUDE' ? `INCLUDE ${(p.NonKeyAttributes ?? []).join(', ')}` : (p?.ProjectionType ?? null);

const capacity = (t: ProvisionedThroughputDescription | undefined) =>
  t && (t.ReadCapacityUnits || t.WriteCapacityUnits) ? { read: t.ReadCapacityUnits ?? 0, write: t.WriteCapacityUnits ?? 0 } : null;

/** A call an endpoint may not implement (DynamoDB Local has no tags on some versions): its error's name instead of a value. */
async function optional<T>(call: () => Promise<T>): Promise<T | { unknown: string }> {
  try {
    return await call();
  } catch (error) {
    return { unknown: (error as Error).name || 'error' };
  }
}

export type TableDescriptionJson = Awaited<ReturnType<typeof describeForScripts>>;

export async function describeForScripts(client: DynamoDBClient, table: string) {
  const t = await describeTable(client, table);
  const [ttl, backups, tags] = await Promise.all([
    optional(async () => (await client.send(new DescribeTimeToLiveCommand({ TableName: table }))).TimeToLiveDescription),
    optional(async () => (await client.send(new DescribeContinuousBackupsCommand({ TableName: table }))).ContinuousBackupsDescription),
    optional(async () => (await client.send(new ListTagsOfResourceCommand({ ResourceArn: t.TableArn }))).Tags ?? []),
  ]);
  const index = (i: { IndexName?: string; KeySchema?: KeySchemaElement[]; Projection?: Projection; ItemCount?: number; IndexSizeBytes?: number }) => ({
    name: i.IndexName!,
    keys: keys(i.KeySchema),
    projection: projection(i.Projection),
    itemCount: i.ItemCount ?? null,
    sizeBytes: i.IndexSizeBytes ?? null,
  });
  return {
    table: t.TableName!,
    arn: t.TableArn ?? null,
    status: t.TableStatus ?? null,
    created: t.CreationDateTime?.toISOString() ?? null,
    keys: keys(t.KeySchema),
    attributes: Object.fromEntries((t.AttributeDefinitions ?? []).map((d) => [d.AttributeName!, d.AttributeType!])),
    globalIndexes: (t.GlobalSecondaryIndexes ?? []).map((i) => ({ ...index(i), status: i.IndexStatus ?? null, capacity: capacity(i.ProvisionedThroughput) })),
    localIndexes: (t.LocalSecondaryIndexes ?? []).map(index),
    stream: t.StreamSpecification?.StreamEnabled ? { viewType: t.StreamSpecification.StreamViewType ?? null, arn: t.LatestStreamArn ?? null } : null,
    ttl:
      'unknown' in (ttl ?? {})
        ? ttl
        : {
            status: (ttl as { TimeToLiveStatus?: string })?.TimeToLiveStatus ?? 'DISABLED',
            attribute: (ttl as { AttributeName?: string })?.AttributeName ?? null,
          },
    pointInTimeRecovery: backups && 'unknown' in backups ? backups : (backups?.PointInTimeRecoveryDescription?.PointInTimeRecoveryStatus ?? null),
    billing: t.BillingModeSummary?.BillingMode ?? (capacity(t.ProvisionedThroughput) ? 'PROVISIONED' : null),
    capacity: capacity(t.ProvisionedThroughput),
    // DynamoDB refreshes these about every six hours and says nothing of when it last did.
    itemCount: t.ItemCount ?? null,
    sizeBytes: t.TableSizeBytes ?? null,
    countsUpdated: 'about every six hours (DynamoDB gives no time)',
    deletionProtection: t.DeletionProtectionEnabled ?? false,
    tags: Array.isArray(tags) ? Object.fromEntries(tags.map((tag) => [tag.Key!, tag.Value ?? ''])) : tags,
  };
}

const text = (value: unknown): string =>
  value === null || value === undefined
    ? '-'
    : typeof value === 'string'
      ? value
      : typeof value === 'object' && 'unknown' in value
        ? `unknown (${String((value as { unknown: string }).unknown)})`
        : JSON.stringify(value);

const keyText = (k: { partition: string | null; sort: string | null }, attributes: Record<string, string>) =>
  [k.partition, k.sort]
    .filter((n): n is string => n !== null)
    .map((n) => `${n} (${attributes[n] ?? '?'})`)
    .join(' + ');

/** The same, flattened to lines a person reads: one row a setting, one row an index. */
export function describeForPeople(d: TableDescriptionJson): Record<string, string> {
  const rows: Record<string, string> = {
    table: `${d.table} (${text(d.status)})`,
    keys: keyText(d.keys, d.attributes),
    attributes: Object.entries(d.attributes)
      .map(([n, t]) => `${n} ${t}`)
      .join(', '),
  };
  for (const i of d.globalIndexes)
    rows[`GSI ${i.name}`] =
      `${keyText(i.keys, d.attributes)}; ${text(i.projection)}; ${text(i.status)}; ${text(i.itemCount)} items, ${text(i.sizeBytes)} bytes${i.capacity ? `; ${i.capacity.read}/${i.capacity.write} RCU/WCU` : ''}`;
  for (const i of d.localIndexes)
    rows[`LSI ${i.name}`] = `${keyText(i.keys, d.attributes)}; ${text(i.projection)}; ${text(i.itemCount)} items, ${text(i.sizeBytes)} bytes`;
  rows.stream = d.stream ? `${text(d.stream.viewType)} ${text(d.stream.arn)}` : 'off';
  rows.ttl =
    'unknown' in (d.ttl ?? {})
      ? text(d.ttl)
      : `${(d.ttl as { status: string }).status}${(d.ttl as { attribute: string | null }).attribute ? ` on ${(d.ttl as { attribute: string }).attribute}` : ''}`;
  rows['point-in-time recovery'] = text(d.pointInTimeRecovery);
  rows.billing = `${text(d.billing)}${d.capacity ? ` ${d.capacity.read}/${d.capacity.write} RCU/WCU` : ''}`;
  rows.items = `${text(d.itemCount)} items, ${text(d.sizeBytes)} bytes (updated by DynamoDB ${d.countsUpdated})`;
  rows['deletion protection'] = d.deletionProtection ? 'on' : 'off';
  rows.tags =
    Array.isArray(d.tags) || !d.tags || 'unknown' in d.tags
      ? text(d.tags)
      : Object.entries(d.tags)
          .map(([k, v]) => `${k}=${v}`)
          .join(', ') || '-';
  rows.created = text(d.created);
  return rows;
}
