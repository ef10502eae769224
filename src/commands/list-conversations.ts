/** `cruddur-ddb list-conversations <handle>`: a user's conversations, most recent first. */
import { translateAwsError } from '../aws.js';
import type { Context } from '../context.js';
import { checkTableName, redactUrl } from '../env.js';
import { CliError, UsageError } from '../errors.js';
import { uuidArg, wholeNumberFlag } from '../flags.js';
import { localDateTime } from '../local-time.js';
import { printRows } from '../output.js';
import type { MessageGroupJson } from '../patterns/items.js';
import { listMessageGroups } from '../patterns/queries.js';
import { requirePostgresUrl } from '../postgres.js';

export interface ListConversationsOptions {
  handle?: string;
  userUuid?: string;
  limit?: string | number;
}

const PAGE = 1000;

/** The user's uuid: given, or looked up by handle in public.users. */
async function userUuidOf(options: ListConversationsOptions, context: Context): Promise<{ uuid: string; who: string }> {
  if (options.userUuid !== undefined) return { uuid: uuidArg(options.userUuid, '--user-uuid'), who: options.handle ? `@${options.handle}` : options.userUuid };
  const handle = options.handle?.replace(/^@/, '');
  if (!handle) throw new UsageError('arg.missing', 'Give a handle, or --user-uuid <uuid>', 'e.g. cruddur-ddb list-conversations andrewbrown');
  const url = requirePostgresUrl(context.env, `look up @${handle}`, 'pass --user-uuid <uuid> to skip the lookup');
  const { findUsersByHandle } = await import('../users.js');
  const user = (await findUsersByHandle(url, [handle])).get(handle);
  if (!user) {
    throw new CliError('user.unknown', `No user @${handle} in public.users at ${redactUrl(url)}`, { hint: 'Check the handle, or pass --user-uuid <uuid>' });
  }
  return { uuid: user.uuid, who: `@${handle}` };
}

export async function listConversations(options: ListConversationsOptions, context: Context): Promise<MessageGroupJson[]> {
  const table = checkTableName(context.env.table.value);
  const limit = wholeNumberFlag(options.limit, '--limit') ?? Infinity;
  const { uuid, who } = await userUuidOf(options, context);
  const client = await context.dynamo();
  const groups: MessageGroupJson[] = [];
  let cursor: string | undefined;
  try {
    do {
      const page = await listMessageGroups(client, table, uuid, { limit: Math.min(PAGE, limit - groups.length), cursor });
      groups.push(...page.items);
      cursor = page.cursor;
    } while (cursor && groups.length < limit);
  } catch (error) {
    throw translateAwsError(error, context.env, table);
  }
  await printRows(groups, {
    format: context.format,
    columns: [
      { header: 'with', value: (g) => `@${g.handle} (${g.display_name})` },
      { header: 'last message', value: (g) => localDateTime(g.created_at) },
      { header: 'preview', value: (g) => g.message, flex: true },
      { header: 'message_group_uuid', value: (g) => g.uuid },
    ],
    empty: `${who} has no conversations in ${table}.`,
    stdout: context.stdout,
    say: context.say,
    width: context.width,
  });
  return groups;
}
