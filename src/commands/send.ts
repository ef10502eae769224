/**
 * `cruddur-ddb send --from <user> --to <user> <text>`: writes a message the way the app does, through
 * the patterns library: into the conversation the two already share, or a new one (both group items and
 * the first message). A user is a handle (looked up in PostgreSQL public.users) or a uuid; two uuids of
 * users who already share a conversation need no database, their names are on the group items.
 */
import type { Context } from '../kit/context.js';
import { checkTableName, redactUrl, timeRuleOf } from '../core/environment.js';
import { CliError, UsageError } from '../core/errors.js';
import { record, type Output } from '../kit/output.js';
import { isoTimeFlag } from '../core/checks.js';
import type { Participant } from '../patterns/items.js';
import { SendMessageError, sendMessage, type SentMessage } from '../patterns/send-message.js';
import { requirePostgresUrl } from '../postgres/client.js';
import { isTime } from '../patterns/time.js';
import type { SendInput } from './send.def.js';

/** The definition's arguments and options, typed there (defaults and choices live there, once). */
export type SendOptions = SendInput;

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
  const { findUsersByHandle, findUsersByUuid } = await import('../postgres/users.js');
  const byHandle = handles.length ? await findUsersByHandle(url, handles) : new Map<string, Participant>();
  const uuids = wanted.flatMap((user) => ('uuid' in user ? [user.uuid] : []));
  const byUuid = uuids.length ? await findUsersByUuid(url, uuids) : new Map<string, Participant>();
  return wanted.map((user) => {
    const found = 'handle' in user ? byHandle.get(user.handle) : byUuid.get(user.uuid);
    if (!found) throw new CliError('user.unknown', `No user ${label(user)} in public.users at ${redactUrl(url)}`, { hint: 'Check the handle or uuid' });
    return found;
  });
}

export async function send(options: SendOptions, context: Context): Promise<Output> {
  const table = checkTableName(context.env.table.value);
  const wanted = [parseUser(options.from, '--from'), parseUser(options.to, '--to')];
  if (label(wanted[0]!) === label(wanted[1]!)) throw new UsageError('arg.same_user', '--from and --to are the same user', 'A conversation needs two people');
  const { text } = options;
  if (text.trim() === '') throw new UsageError('arg.missing', 'Give the message text', 'e.g. npx cruddur-ddb send --from andrewbrown --to bayko "hello"');
  // Strict first (src/core/checks.ts): Date.parse took 2026-02-30 as 2 March and 99999 as a year.
  const at = options.at === undefined ? undefined : isoTimeFlag(options.at, '--at').text;
  if (at !== undefined && !isTime(at, context.env.timeZone.value)) throw new UsageError('flag.bad_time', `--at must be an ISO-8601 time, got "${options.at}"`);
  const people = await lookUp(context, wanted);
  if (people && people[0]!.uuid === people[1]!.uuid)
    throw new UsageError('arg.same_user', '--from and --to are the same user', 'A conversation needs two people');
  const client = await context.dynamo();
  // Without a database, both are uuids: enough for a conversation they already share.
  const [from, to] = people ?? (wanted as Array<{ uuid: string }>);
  let result: SentMessage;
  try {
    result = await sendMessage(client, table, { from: from!, to: to!, message: text, createdAt: at }, timeRuleOf(context.env));
  } catch (error) {
    if (!(error instanceof SendMessageError)) throw error;
    throw new CliError(error.code, error.message, {
      hint: error.code === 'conversation.none' ? 'Set CONNECTION_URL so they can be looked up in public.users, or give handles' : undefined,
    });
  }
  context.say(
    result.new_conversation
      ? `Started conversation ${result.message_group_uuid} with the message.`
      : `Sent to conversation ${result.message_group_uuid}; \`cruddur-ddb stream --once\` (or a running \`cruddur-ddb stream\`) moves it to the top of both lists.`,
  );
  return record(result);
}
