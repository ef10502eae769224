import { defineCommand, type Input } from '../kit/define.js';

const args = {};

const options = {};

/** What the run function receives: each argument and option above, typed by its parser. */
export type EnvInput = Input<typeof args, typeof options>;

export default defineCommand({
  name: 'env',
  description: 'print the resolved environment (passwords redacted) and whether DynamoDB answers there',
  args,
  options,
  examples: ['cruddur-ddb env', 'cruddur-ddb env --env prod --profile cruddur', 'CONNECTION_URL=postgresql://u:p@localhost/cruddur cruddur-ddb env -o json'],
  load: async () => (await import('./env.js')).showEnv,
});
