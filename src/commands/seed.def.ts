import { defineCommand, type Input, text, toggle, whole } from '../kit/define.js';
import { batchWriting, consumedCapacity } from '../kit/shared-options.js';

const args = {};

const options = {
  dir: text('--dir <dir>', 'folder with users.txt and conversations/*.txt (default: the seed/ shipped with the tool)'),
  // Users the app can see (issue 9): from PostgreSQL by default when CONNECTION_URL is set.
  usersFromDb: toggle(
    '--users-from-db',
    "take each handle's uuid and display name from PostgreSQL public.users (the default when CONNECTION_URL is set)",
    '--no-users-from-db',
    'use the uuids of seed/users.txt even when CONNECTION_URL is set (the app will not show these conversations)',
  ),
  synthetic: whole('--synthetic <n>', 'instead of seed/, n generated messages over generated users (load tests)', { max: 10_000_000 }),
  seedValue: text('--seed-value <text>', 'with --synthetic: another value gives other data (default: cruddur)'),
  ...batchWriting,
  ...consumedCapacity,
};

/** What the run function receives: each argument and option above, typed by its parser. */
export type SeedInput = Input<typeof args, typeof options>;

export default defineCommand({
  name: 'seed',
  description: 'write the sample conversations of seed/ (or --synthetic N generated ones) into the messages table; running it twice changes nothing',
  args,
  options,
  examples: [
    'cruddur-ddb seed',
    'CONNECTION_URL=postgresql://postgres:password@localhost:5432/cruddur cruddur-ddb seed --users-from-db',
    'cruddur-ddb seed --synthetic 20000 --seed-value run-2',
    'cruddur-ddb seed --consumed -o json',
    'cruddur-ddb seed --table cruddur-messages prod --yes',
  ],
  helpAfter:
    '-o json ends with one object:\n  {"table":"cruddur-messages","items":132,"conversations":3,"users":3,"reconciled":0,"present":0,"usersFrom":"files","seconds":0.41,"itemsPerSecond":322}',
  load: async () => (await import('./seed.js')).seed,
});
