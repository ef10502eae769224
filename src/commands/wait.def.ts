import { defineCommand, flag, optional, whole } from '../kit/define.js';

export default defineCommand({
  name: 'wait',
  description: 'wait until DynamoDB answers and the table and every index are ACTIVE (read-only: works in prod too); exit 124 on --timeout',
  args: { table: optional('table to wait for (default: --table, DDB_MESSAGE_TABLE or cruddur-messages)') },
  options: {
    timeout: whole('--timeout <seconds>', 'give up after this long (error wait.timeout, exit 124)', { default: 60, max: 86_400 }),
    stream: flag('--stream', "also wait for the table's stream to be enabled"),
  },
  examples: ['cruddur-ddb wait', 'cruddur-ddb wait cruddur-messages --timeout 30 -o json', 'cruddur-ddb wait --stream'],
  helpAfter:
    'It looks at once, then every 25 ms doubling up to 200 ms, so it returns within ~200 ms of the table being ready.\n-o json prints one line:\n  {"table":"cruddur-messages","endpoint":"http://localhost:8000","ready":true,"status":"ACTIVE","indexes":1,"stream":true,"seconds":0.042}',
  load: async () => (await import('./wait.js')).wait,
});
