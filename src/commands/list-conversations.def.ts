import { defineCommand, type Input, optional, uuidOption, whole } from '../kit/define.js';
import { consumedCapacity } from '../kit/shared-options.js';

const args = { handle: optional('the user, e.g. andrewbrown (needs CONNECTION_URL, or --user-uuid)') };

const options = {
  userUuid: uuidOption('--user-uuid <uuid>', 'the user by uuid: no database lookup'),
  limit: whole('--limit <n>', 'at most n conversations'),
  ...consumedCapacity,
};

/** What the run function receives: each argument and option above, typed by its parser. */
export type ListConversationsInput = Input<typeof args, typeof options>;

export default defineCommand({
  name: 'list-conversations',
  description: "a user's conversations, most recent first (the handle is looked up in PostgreSQL public.users)",
  args,
  options,
  examples: [
    'CONNECTION_URL=postgresql://postgres:password@localhost:5432/cruddur cruddur-ddb list-conversations andrewbrown',
    'cruddur-ddb list-conversations --user-uuid 5ae290ed-55d1-47a0-bc6d-fe2bc2700399 -o json',
    'cruddur-ddb list-conversations --user-uuid 5ae290ed-55d1-47a0-bc6d-fe2bc2700399 --consumed',
    'cruddur-ddb list-conversations andrewbrown prod',
  ],
  load: async () => (await import('./list-conversations.js')).listConversations,
});
