/**
 * `cruddur-ddb send --from <user> --to <user> <text>`: writes a message the way the app does, through
 * the patterns library: into the conversation the two already share, or a new one (both group items and
 * the first message). A user is a handle (looked up in PostgreSQL public.users) or a uuid; two uuids of
 * users who already share a conversation need no database, their names are on the group items.
 */
import type { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { translateAwsError } from '../aws.js';
import type { Context } from '../context.js';
import { checkTableName, redactUrl } from '../env.js';
import { CliError, UsageError } from '../errors.js';
import { isoTimeFlag } from '../flags.js';
import { printRecord } from '../output.js';
import { findConversation } from '../patterns/conversation-between.js';
import type { Item, Participant } from '../patterns/items.js';
import { createMessage, createMessageGroup, type CreatedMessage } from '../patterns/writes.js';
import { requirePostgresUrl } from '../postgres.js';

export interface SendOptions {
  from?: string;
  to?: string;
  text?: string;
  /** The message's time (ISO-8601); default now. */
  at?: string;
}

export interface SendResult extends CreatedMessage {
  new_conversation: boolean;
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** A --from/--to value: a uuid, or a handle with or without its `@`. */
export function parseUser(value: string | undefined, flag: string): { uuid: string } | { handle: string } {
  const text = (value ?? '').trim();
  if (UUID.test(text)) return { uuid: text.toLowerCase() };
  const handle = text.replace(/^@/, '');
  if (!/^[A-Za-z0-9_.-]+$/.test(handle)) throw new UsageError('arg.bad_user', `${flag} must be a handle or a user uuid, got "${value ?? ''}"`);
  return { handle };
}

type Wanted = ReturnType<typeof parseUser>;
const label = (user: Wanted) => ('handle' in user ? `@${user.handle}` : user.uuid);

/** Both users from PostgreSQL: required for handles, used for uuids when it is configured. */
async function lookUp(context: Context, wanted: Wanted[]): Promise<Participant[] | undefined> {
  const handles = wanted.flatMap((user) => ('handle' in user ? [user.handle] : []));
  if (handles.length === 0 && !context.env.postgresUrl.value) return undefined;
  const url = requirePostgresUrl(context.env, `look up ${wanted.map(label).join(' and ')}`, 'give both users as uuids if they already share a conversation');
  const { findUsersByHandle, findUsersByUuid } = await import('../users.js');
  const byHandle = handles.length ? await findUsersByHandle(url, handles) : new Map<string, Participant>();
  const uuids = wanted.flatMap((user) => ('uuid' in user ? [user.uuid] : []));
  const byUuid = uuids.length ? await findUsersByUuid(url, uuids) : new Map<string, Participant>();
  return wanted.map((user) => {
    const found = 'handle' in user ? byHandle.get(user.handle) : byUuid.get(user.uuid);
    if (!found) throw new CliError('user.unknown', `No user ${label(user)} in public.users at ${redactUrl(url)}`, { hint: 'Check the handle or uuid' });
    return found;
  });
}

/** The participant a group item names (its other side). */
const otherOf = (item: Item): Participant => ({
  uuid: item.user_uuid?.S ?? '',
  displayName: item.user_display_name?.S ?? '',
  handle: item.user_handle?.S ?? '',
});

async function send(
  client: DynamoDBClient,
  table: string,
  wanted: Wanted[],
  people: Participant[] | undefined,
  text: string,
  at?: string,
): Promise<SendResult> {
  const [fromUuid, toUuid] = people ? people.map((p) => p.uuid) : wanted.map((user) => (user as { uuid: string }).uuid);
  const existing = await findConversation(client, table, fromUuid!, toUuid!);
  if (existing) {
    // The sender's own name is on the recipient's group item, which names the sender.
    const sender = people?.[0] ?? otherOf((await findConversation(client, table, toUuid!, fromUuid!)) ?? {});
    if (!sender.handle) throw new CliError('conversation.incomplete', `The conversation ${existing.message_group_uuid?.S} has no group item for ${toUuid}`);
    const created = await createMessage(client, table, { messageGroupUuid: existing.message_group_uuid!.S!, sender, message: text, createdAt: at });
    return { ...created, new_conversation: false };
  }
  if (!people) {
    throw new CliError('conversation.none', `${fromUuid} and ${toUuid} share no conversation in ${table}, and their names are needed to start one`, {
      hint: 'Set CONNECTION_URL so they can be looked up in public.users, or give handles',
    });
  }
  const created = await createMessageGroup(client, table, { sender: people[0]!, recipient: people[1]!, message: text, createdAt: at });
  return { ...created, new_conversation: true };
}

export async function sendMessage(options: SendOptions, context: Context): Promise<SendResult> {
  const table = checkTableName(context.env.table.value);
  const wanted = [parseUser(options.from, '--from'), parseUser(options.to, '--to')];
  if (label(wanted[0]!) === label(wanted[1]!)) throw new UsageError('arg.same_user', '--from and --to are the same user', 'A conversation needs two people');
  const text = options.text ?? '';
  if (text.trim() === '') throw new UsageError('arg.missing', 'Give the message text', 'e.g. cruddur-ddb send --from andrewbrown --to bayko "hello"');
  // Strict (src/flags.ts): Date.parse took 2026-02-30 as 2 March and 99999 as a year.
  const at = options.at === undefined ? undefined : isoTimeFlag(options.at, '--at').text;
  const people = await lookUp(context, wanted);
  if (people && people[0]!.uuid === people[1]!.uuid)
    throw new UsageError('arg.same_user', '--from and --to are the same user', 'A conversation needs two people');
  const client = await context.dynamo();
  let result: SendResult;
  try {
    result = await send(client, table, wanted, people, text, at);
  } catch (error) {
    throw translateAwsError(error, context.env, table);
  }
  context.say(
    result.new_conversation
      ? `Started conversation ${result.message_group_uuid} with the message.`
      : `Sent to conversation ${result.message_group_uuid}; \`cruddur-ddb stream --once\` (or a running \`cruddur-ddb stream\`) moves it to the top of both lists.`,
  );
  await printRecord({ ...result }, context.format, context.stdout, context.width);
  return result;
}
