/** `cruddur-ddb list-conversations <handle>`: a user's conversations, most recent first. */
import type { Context } from '../kit/context.js';
import { checkTableName, redactUrl } from '../core/environment.js';
import { CliError, UsageError } from '../core/errors.js';
import { localDateTime } from '../core/local-time.js';
import { rows, type Output } from '../kit/output.js';
import { uuidArg } from '../core/checks.js';
import type { MessageGroupJson } from '../patterns/items.js';
import { conversationsOf } from '../patterns/queries.js';
import { requirePostgresUrl } from '../postgres/client.js';
import { sortByInstant } from '../patterns/time.js';
import type { ListConversationsInput } from './list-conversations.def.js';
import { meterFor } from '../kit/consumed.js';

/** The definition's arguments and options, typed there (defaults and choices live there, once). */
export type ListConversationsOptions = ListConversationsInput;

/** The user's uuid: given, or looked up by handle in public.users. */
async function userUuidOf(options: ListConversationsOptions, context: Context): Promise<{ uuid: string; who: string }> {
  if (options.userUuid !== undefined) return { uuid: uuidArg(options.userUuid, '--user-uuid'), who: options.handle ? `@${options.handle}` : options.userUuid };
  const handle = options.handle?.replace(/^@/, '');
  if (!handle) throw new UsageError('arg.missing', 'Give a handle, or --user-uuid <uuid>', 'e.g. npx cruddur-ddb list-conversations andrewbrown');
  const url = requirePostgresUrl(context.env, `look up @${handle}`, 'pass --user-uuid <uuid> to skip the lookup');
  const { findUsersByHandle } = await import('../postgres/users.js');
  const user = (await findUsersByHandle(url, [handle])).get(handle);
  if (!user) {
    throw new CliError('user.unknown', `No user @${handle} in public.users at ${redactUrl(url)}`, { hint: 'Check the handle, or pass --user-uuid <uuid>' });
  }
  return { uuid: user.uuid, who: `@${handle}` };
}

export async function listConversations(options: ListConversationsOptions, context: Context): Promise<Output> {
  const table = checkTableName(context.env.table.value);
  const limit = options.limit ?? Infinity;
  const { uuid, who } = await userUuidOf(options, context);
  const client = await context.dynamo();
  const meter = meterFor(context, options.consumed);
  await meter?.watch(client);
  // Most recent first by instant under the time rule, not by key string (mixed time forms): so all are read, then sorted.
  const groups: MessageGroupJson[] = [];
  for await (const group of conversationsOf(client, table, uuid, { limit })) groups.push(group);
  if (meter) context.say(meter.line());
  const zone = context.env.timeZone.value;
  return rows<MessageGroupJson>({
    rows: sortByInstant(groups, (g) => g.created_at, zone, 'newest-first'),
    columns: [
      { header: 'with', value: (g) => `@${g.handle} (${g.display_name})` },
      { header: 'last message', value: (g) => localDateTime(g.created_at, zone), keep: true },
      { header: 'preview', value: (g) => g.message, flex: true },
      { header: 'message_group_uuid', value: (g) => g.uuid, keep: true },
    ],
    empty: `${who} has no conversations in ${table}.`,
  });
}
