/** `cruddur-ddb get-conversation <message_group_uuid>`: one conversation, oldest message first. */
import type { Context } from '../kit/context.js';
import { checkTableName } from '../core/environment.js';
import { CliError, UsageError } from '../core/errors.js';
import { flagTime, localDateTime } from '../core/local-time.js';
import { rows, type Output } from '../kit/output.js';
import type { MessageJson } from '../patterns/items.js';
import type { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { paginateQuery } from '@aws-sdk/lib-dynamodb';
import { docClient } from '../patterns/doc-client.js';
import { listMessagesInput, messagesInOrder } from '../patterns/queries.js';
import { DEFAULT_LIMIT } from './get-conversation.def.js';
import { sortByInstant } from '../patterns/time.js';
import type { GetConversationInput } from './get-conversation.def.js';
import { meterFor } from '../kit/consumed.js';

/** The definition's arguments and options, typed there (defaults and choices live there, once). */
export type GetConversationOptions = GetConversationInput;

export async function getConversation(options: GetConversationOptions, context: Context): Promise<Output> {
  const table = checkTableName(context.env.table.value);
  const group = options.message_group_uuid.trim();
  if (!group) throw new UsageError('arg.missing', 'Give the message_group_uuid of a conversation', 'list-conversations <handle> shows them');
  if (options.all && options.limit !== undefined) throw new UsageError('flag.conflict', '--all and --limit do not go together', 'Use one of them');
  const limit = options.all ? Infinity : (options.limit ?? DEFAULT_LIMIT);
  const since = options.since === undefined ? undefined : flagTime(options.since, '--since', 'start');
  const until = options.until === undefined ? undefined : flagTime(options.until, '--until', 'end');
  if (since && until && since > until) throw new UsageError('flag.bad_date', `--since (${options.since}) is after --until (${options.until})`);

  const client = await context.dynamo();
  const meter = meterFor(context, options.consumed);
  await meter?.watch(client);
  // By instant under the time rule, not by key string: the backend's no-offset and local-offset times mix with ours.
  const zone = context.env.timeZone.value;
  const messages = sortByInstant(await messagesInOrder(client, table, group, { limit, since, until }), (m) => m.created_at, zone);
  // Perhaps more messages than shown: a person at a terminal should know, or they take 40 for the whole
  // story. Scripts (no terminal on stderr) get exactly what they asked for, and no extra read.
  if (context.stderrIsTTY && messages.length === limit) {
    const total = await countMessages(client, table, group, since, until).catch(() => undefined);
    if (total !== undefined && total > messages.length) context.say(`latest ${messages.length} of ${total}; --all for every message`);
  }
  if (messages.length === 0 && !since && !until) {
    throw new CliError('conversation.not_found', `No conversation ${group} in table ${table} (${context.env.name})`, {
      hint: "Check the uuid; `cruddur-ddb list-conversations <handle>` lists a user's conversations",
    });
  }
  if (meter) context.say(meter.line());
  return rows<MessageJson>({
    rows: messages,
    columns: [
      { header: 'from', value: (m) => `@${m.handle}` },
      { header: 'time', value: (m) => localDateTime(m.created_at, zone), keep: true },
      { header: 'message', value: (m) => m.message, flex: true },
    ],
    empty: `No messages in conversation ${group} in that time range.`,
  });
}

/** How many messages the conversation holds in the range: a COUNT query (keys only read, every page; listMessagesInput is a document-client input). */
async function countMessages(client: DynamoDBClient, table: string, group: string, since?: string, until?: string): Promise<number> {
  const input = { ...listMessagesInput(table, group, { since, until }), Limit: undefined, Select: 'COUNT' as const };
  let total = 0;
  for await (const page of paginateQuery({ client: docClient(client) }, input)) total += page.Count ?? 0;
  return total;
}
