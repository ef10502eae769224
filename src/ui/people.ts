/**
 * Finding a user for the page without being told their uuid: by handle (the "Open a user" box, and the
 * other side of a new conversation), and by uuid (the sender's names, which a new conversation's group
 * items carry). PostgreSQL `public.users` when CONNECTION_URL is set; otherwise the table itself: every
 * group item names the OTHER participant (user_uuid, user_display_name, user_handle), so anyone who has
 * a conversation is named on their partner's group item.
 */
import { QueryCommand as PlainQueryCommand, ScanCommand, type DynamoDBClient, type ScanCommandInput } from '@aws-sdk/client-dynamodb';
import { findConversation } from '../patterns/conversation-between.js';
import type { Participant } from '../patterns/items.js';
import { groupPk } from '../patterns/keys.js';
import { MESSAGE_GROUP_INDEX } from '../patterns/table.js';
import type { UserJson } from './api.js';

export interface FoundUser {
  user: UserJson;
  /** How it was found, for the page ("found on a group item after reading 1,200"). */
  how: string;
  query: unknown;
}

/** At most this many group items are read looking for a handle (the index holds group items alone). */
export const HANDLE_SCAN_LIMIT = 100_000;
const SCAN_PAGE = 1000;

export const HANDLE = /^[A-Za-z0-9_.-]{1,64}$/;

export function handleScanInput(table: string, handle: string, cursor?: ScanCommandInput['ExclusiveStartKey']): ScanCommandInput {
  return {
    TableName: table,
    IndexName: MESSAGE_GROUP_INDEX,
    ProjectionExpression: 'user_uuid, user_display_name, user_handle',
    FilterExpression: 'user_handle = :handle',
    ExpressionAttributeValues: { ':handle': { S: handle } },
    Limit: SCAN_PAGE,
    ExclusiveStartKey: cursor,
  };
}

const toJson = (user: Participant): UserJson => ({ uuid: user.uuid, display_name: user.displayName, handle: user.handle });

/** A user by handle, or undefined; `scanned` says how far the table was read when there is no database. */
export async function userByHandle(client: DynamoDBClient, table: string, handle: string, postgresUrl?: string): Promise<FoundUser | undefined> {
  if (postgresUrl) {
    const { findUsersByHandle } = await import('../postgres/users.js');
    const found = (await findUsersByHandle(postgresUrl, [handle])).get(handle);
    return found && { user: toJson(found), how: 'found in PostgreSQL public.users', query: { sql: 'public.users by handle', values: [handle] } };
  }
  let cursor: ScanCommandInput['ExclusiveStartKey'];
  let scanned = 0;
  const first = handleScanInput(table, handle);
  do {
    const output = await client.send(new ScanCommand(handleScanInput(table, handle, cursor)));
    scanned += output.ScannedCount ?? 0;
    const item = output.Items?.[0];
    if (item?.user_uuid?.S) {
      const user = { uuid: item.user_uuid.S, display_name: item.user_display_name?.S ?? '', handle: item.user_handle?.S ?? handle };
      return { user, how: `named on a group item (read ${scanned.toLocaleString('en')} of the index)`, query: first };
    }
    cursor = output.LastEvaluatedKey;
  } while (cursor && scanned < HANDLE_SCAN_LIMIT);
  if (cursor) throw new HandleScanLimit(handle);
  return undefined;
}

export class HandleScanLimit extends Error {
  constructor(handle: string) {
    super(`@${handle} is not named in the first ${HANDLE_SCAN_LIMIT.toLocaleString('en')} group items; set CONNECTION_URL to look it up in public.users`);
  }
}

/**
 * A user's names by uuid: PostgreSQL, or their partner's group item (the user's own first group item
 * names a partner; the partner's item for that conversation names the user).
 */
export async function userByUuid(client: DynamoDBClient, table: string, uuid: string, postgresUrl?: string): Promise<Participant | undefined> {
  if (postgresUrl) {
    const { findUsersByUuid } = await import('../postgres/users.js');
    return (await findUsersByUuid(postgresUrl, [uuid])).get(uuid);
  }
  const output = await client.send(
    new PlainQueryCommand({
      TableName: table,
      KeyConditionExpression: 'pk = :pk',
      ExpressionAttributeValues: { ':pk': { S: groupPk(uuid) } },
      ProjectionExpression: 'user_uuid',
      Limit: 1,
    }),
  );
  const partner = output.Items?.[0]?.user_uuid?.S;
  const theirs = partner ? await findConversation(client, table, partner, uuid) : undefined;
  if (!theirs?.user_handle) return undefined;
  return { uuid, displayName: theirs.user_display_name ?? '', handle: theirs.user_handle };
}
