/** `cruddur-ddb get-conversation <message_group_uuid>`: one conversation, oldest message first. */
import { translateAwsError } from '../aws.js';
import type { Context } from '../context.js';
import { checkTableName } from '../env.js';
import { CliError, UsageError } from '../errors.js';
import { uuidArg, wholeNumberFlag } from '../flags.js';
import { flagTime, localDateTime } from '../local-time.js';
import { printRows } from '../output.js';
import type { MessageJson } from '../patterns/items.js';
import { listMessages } from '../patterns/queries.js';

export interface GetConversationOptions {
  messageGroupUuid: string;
  limit?: string | number;
  all?: boolean;
  since?: string;
  until?: string;
}

/** The backend shows the latest 40. */
export const DEFAULT_LIMIT = 40;
/** Page size when reading more than that: fewer round trips, still well under 1 MB a page. */
const BIG_PAGE = 1000;

export async function getConversation(options: GetConversationOptions, context: Context): Promise<MessageJson[]> {
  const table = checkTableName(context.env.table.value);
  const group = options.messageGroupUuid.trim();
  if (!group) throw new UsageError('arg.missing', 'Give the message_group_uuid of a conversation', 'list-conversations <handle> shows them');
  uuidArg(group, 'message_group_uuid'); // a usage error (exit 2), not "no such conversation"
  if (options.all && options.limit !== undefined) throw new UsageError('flag.conflict', '--all and --limit do not go together', 'Use one of them');
  const limit = options.all ? Infinity : (wholeNumberFlag(options.limit ?? DEFAULT_LIMIT, '--limit') as number);
  const since = options.since === undefined ? undefined : flagTime(options.since, '--since', 'start');
  const until = options.until === undefined ? undefined : flagTime(options.until, '--until', 'end');
  if (since && until && since > until) throw new UsageError('flag.bad_date', `--since (${options.since}) is after --until (${options.until})`);

  const client = await context.dynamo();
  // Pages come newest first, each oldest first: collect them, then put the pages in time order.
  const pages: MessageJson[][] = [];
  let count = 0;
  let cursor: string | undefined;
  try {
    do {
      const page = await listMessages(client, table, group, { limit: Math.min(BIG_PAGE, limit - count), cursor, since, until });
      pages.push(page.items);
      count += page.items.length;
      cursor = page.cursor;
    } while (cursor && count < limit);
  } catch (error) {
    throw translateAwsError(error, context.env, table);
  }
  const messages = pages.reverse().flat();
  if (messages.length === 0 && !since && !until) {
    throw new CliError('conversation.not_found', `No conversation ${group} in table ${table} (${context.env.name})`, {
      hint: "Check the uuid; `cruddur-ddb list-conversations <handle>` lists a user's conversations",
    });
  }
  await printRows(messages, {
    format: context.format,
    columns: [
      { header: 'from', value: (m) => `@${m.handle}` },
      { header: 'time', value: (m) => localDateTime(m.created_at) },
      { header: 'message', value: (m) => m.message, flex: true },
    ],
    empty: `No messages in conversation ${group} in that time range.`,
    stdout: context.stdout,
    say: context.say,
    width: context.width,
  });
  return messages;
}
