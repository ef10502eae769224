import { defineCommand, flag, type Input, isoTime, uuidArgument, whole } from '../kit/define.js';
import { consumedCapacity } from '../kit/shared-options.js';

/** The backend shows the latest 40. Not the option's default: --all must be able to tell --limit was not given. */
export const DEFAULT_LIMIT = 40;

const args = {
  message_group_uuid: uuidArgument(
    'the conversation, not a user (list-conversations shows them; 6fd7060e-... is @andrewbrown and @bayko in the seed)',
    'message_group_uuid',
  ),
};

const options = {
  limit: whole('--limit <n>', `the latest n messages (default: ${DEFAULT_LIMIT}, like the app)`),
  all: flag('--all', 'every message'),
  since: isoTime('--since <date>', 'only messages from this ISO date or time on (a bare date is UTC)', 'flag.bad_date'),
  until: isoTime('--until <date>', 'only messages up to this ISO date (the whole day) or time', 'flag.bad_date'),
  ...consumedCapacity,
};

/** What the run function receives: each argument and option above, typed by its parser. */
export type GetConversationInput = Input<typeof args, typeof options>;

export default defineCommand({
  name: 'get-conversation',
  description: 'print one conversation, oldest message first: sender, local time, message',
  args,
  options,
  examples: [
    'cruddur-ddb get-conversation 6fd7060e-c610-5e79-b5f3-167bc0fa37bb',
    'cruddur-ddb get-conversation 6fd7060e-c610-5e79-b5f3-167bc0fa37bb --all -o ndjson',
    'cruddur-ddb get-conversation 6fd7060e-c610-5e79-b5f3-167bc0fa37bb --since 2025-12-31 --until 2026-01-01',
    'cruddur-ddb get-conversation 6fd7060e-c610-5e79-b5f3-167bc0fa37bb --all --consumed',
  ],
  load: async () => (await import('./get-conversation.js')).getConversation,
});
