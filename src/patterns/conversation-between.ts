/**
 * The conversation two users already share, if any: `owner`'s group item whose other participant is
 * `other` (pk = GRP#<owner>, user_uuid = <other>). A user has few groups, so a filtered query over
 * their partition is cheap; every page is read because a filter can leave a page empty.
 */
import type { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { paginateQuery, type QueryCommandInput } from '@aws-sdk/lib-dynamodb';
import { docClient } from './doc-client.js';
import type { PlainItem } from './items.js';
import { groupPk } from './keys.js';

export function findConversationInput(table: string, ownerUuid: string, otherUuid: string): QueryCommandInput {
  return {
    TableName: table,
    KeyConditionExpression: 'pk = :pk',
    FilterExpression: 'user_uuid = :other',
    ExpressionAttributeValues: { ':pk': groupPk(ownerUuid), ':other': otherUuid },
    ScanIndexForward: false,
  };
}

/** `owner`'s group item for the conversation with `other` (the most recent one, should there be two), or undefined. */
export async function findConversation(client: DynamoDBClient, table: string, ownerUuid: string, otherUuid: string): Promise<PlainItem | undefined> {
  for await (const page of paginateQuery({ client: docClient(client) }, findConversationInput(table, ownerUuid, otherUuid))) {
    if (page.Items?.[0]) return page.Items[0] as PlainItem;
  }
  return undefined;
}
