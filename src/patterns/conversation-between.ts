/**
 * The conversation two users already share, if any: `owner`'s group item whose other participant is
 * `other` (pk = GRP#<owner>, user_uuid = <other>). A user has few groups, so a filtered query over
 * their partition is cheap; every page is read because a filter can leave a page empty.
 */
import { paginateQuery, type DynamoDBClient, type QueryCommandInput } from '@aws-sdk/client-dynamodb';
import type { Item } from './items.js';
import { groupPk } from './keys.js';

export function findConversationInput(table: string, ownerUuid: string, otherUuid: string): QueryCommandInput {
  return {
    TableName: table,
    KeyConditionExpression: 'pk = :pk',
    FilterExpression: 'user_uuid = :other',
    ExpressionAttributeValues: { ':pk': { S: groupPk(ownerUuid) }, ':other': { S: otherUuid } },
    ScanIndexForward: false,
  };
}

/** `owner`'s group item for the conversation with `other` (the most recent one, should there be two), or undefined. */
export async function findConversation(client: DynamoDBClient, table: string, ownerUuid: string, otherUuid: string): Promise<Item | undefined> {
  for await (const page of paginateQuery({ client }, findConversationInput(table, ownerUuid, otherUuid))) {
    if (page.Items?.[0]) return page.Items[0];
  }
  return undefined;
}
