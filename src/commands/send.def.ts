import { defineCommand, type Input, isoTime, required, text } from '../kit/define.js';

const args = { text: required('the message') };

const options = {
  from: text('--from <user>', 'sender: a handle (looked up in PostgreSQL public.users, CONNECTION_URL) or a user uuid', { mandatory: true }),
  to: text('--to <user>', 'recipient: a handle or a user uuid', { mandatory: true }),
  at: isoTime('--at <time>', 'the message time, ISO-8601 (default: now)'),
};

/** What the run function receives: each argument and option above, typed by its parser. */
export type SendInput = Input<typeof args, typeof options>;

export default defineCommand({
  name: 'send',
  description: 'write a message from one user to another through the access patterns; starts a conversation when they have none',
  args,
  options,
  examples: [
    'CONNECTION_URL=postgresql://postgres:password@localhost:5432/cruddur cruddur-ddb send --from andrewbrown --to bayko "Are you coming to the talk?"',
    'cruddur-ddb send --from 5ae290ed-55d1-47a0-bc6d-fe2bc2700399 --to 05f8fbb5-0d69-4c0b-8f0d-3a2c3c3f7d7a "hello again" -o json',
    'cruddur-ddb send --from andrewbrown --to bayko "see you" && cruddur-ddb stream --once',
  ],
  helpAfter:
    '-o json ends with one object: the message written, e.g.\n  {"message_group_uuid":"…","uuid":"…","display_name":"Andrew Brown","handle":"andrewbrown","message":"see you at 6","created_at":"…","new_conversation":false}',
  load: async () => (await import('./send.js')).send,
});
