/**
 * The messages table, exactly as the Cruddur backend expects it (README.md, "The data model"):
 * pk/sk strings, the GSI `message-group-sk-index` on (message_group_uuid, sk) projecting everything,
 * and a stream of NEW_IMAGE records for the messaging-stream Lambda.
 */
import type { CreateTableCommandInput, TableDescription } from '@aws-sdk/client-dynamodb';

export const MESSAGE_GROUP_INDEX = 'message-group-sk-index';

/** The billing modes `schema-load --billing` offers (its definition takes them from here). */
export const BILLING_MODES = ['on-demand', 'provisioned'] as const;
export type Billing = (typeof BILLING_MODES)[number];

/** The original script's provisioned capacity, on the table and on the index. */
const PROVISIONED = { ReadCapacityUnits: 5, WriteCapacityUnits: 5 };

export function messagesTableInput(tableName: string, billing: Billing = 'on-demand'): CreateTableCommandInput {
  const provisioned = billing === 'provisioned';
  return {
    TableName: tableName,
    AttributeDefinitions: [
      { AttributeName: 'pk', AttributeType: 'S' },
      { AttributeName: 'sk', AttributeType: 'S' },
      { AttributeName: 'message_group_uuid', AttributeType: 'S' },
    ],
    KeySchema: [
      { AttributeName: 'pk', KeyType: 'HASH' },
      { AttributeName: 'sk', KeyType: 'RANGE' },
    ],
    GlobalSecondaryIndexes: [
      {
        IndexName: MESSAGE_GROUP_INDEX,
        KeySchema: [
          { AttributeName: 'message_group_uuid', KeyType: 'HASH' },
          { AttributeName: 'sk', KeyType: 'RANGE' },
        ],
        Projection: { ProjectionType: 'ALL' },
        ...(provisioned ? { ProvisionedThroughput: PROVISIONED } : {}),
      },
    ],
    StreamSpecification: { StreamEnabled: true, StreamViewType: 'NEW_IMAGE' },
    ...(provisioned ? { BillingMode: 'PROVISIONED', ProvisionedThroughput: PROVISIONED } : { BillingMode: 'PAY_PER_REQUEST' }),
  };
}

/** How an existing table differs from the expected shape; empty when it matches. */
export function shapeDifferences(table: TableDescription): string[] {
  const problems: string[] = [];
  const key = (table.KeySchema ?? []).map((k) => `${k.AttributeName}:${k.KeyType}`).join(',');
  if (key !== 'pk:HASH,sk:RANGE') problems.push(`key is ${key || 'missing'}, expected pk (HASH), sk (RANGE)`);
  const types = new Map((table.AttributeDefinitions ?? []).map((a) => [a.AttributeName, a.AttributeType]));
  for (const name of ['pk', 'sk', 'message_group_uuid']) {
    if (types.get(name) !== 'S') problems.push(`attribute ${name} is ${types.get(name) ?? 'undefined'}, expected S`);
  }
  const index = (table.GlobalSecondaryIndexes ?? []).find((i) => i.IndexName === MESSAGE_GROUP_INDEX);
  if (!index) problems.push(`index ${MESSAGE_GROUP_INDEX} is missing`);
  else {
    const indexKey = (index.KeySchema ?? []).map((k) => `${k.AttributeName}:${k.KeyType}`).join(',');
    if (indexKey !== 'message_group_uuid:HASH,sk:RANGE') problems.push(`index key is ${indexKey}, expected message_group_uuid (HASH), sk (RANGE)`);
    if (index.Projection?.ProjectionType !== 'ALL') problems.push(`index projection is ${index.Projection?.ProjectionType}, expected ALL`);
  }
  const stream = table.StreamSpecification;
  if (!stream?.StreamEnabled) problems.push('stream is not enabled');
  else if (stream.StreamViewType !== 'NEW_IMAGE') problems.push(`stream view type is ${stream.StreamViewType}, expected NEW_IMAGE`);
  return problems;
}
