import { defineCommand, flag, type Input, whole } from '../kit/define.js';

const args = {};

const options = {
  dryRun: flag('--dry-run', 'show what would change and change nothing'),
  lockTimeout: whole('--lock-timeout <seconds>', 'give up when another session holds a row lock this long (nothing is changed)', { default: 10, max: 3600 }),
};

/** What the run function receives: each argument and option above, typed by its parser. */
export type UpdateCognitoUserIdsInput = Input<typeof args, typeof options>;

export default defineCommand({
  name: 'update-cognito-user-ids',
  description:
    "copy each Cognito user's sub into PostgreSQL public.users.cognito_user_id, matched by handle = preferred_username, in one transaction (asks first in prod)",
  args,
  options,
  examples: [
    'cruddur-ddb update-cognito-user-ids --dry-run',
    'CONNECTION_URL=postgresql://postgres:password@localhost:5432/cruddur cruddur-ddb update-cognito-user-ids --user-pool-id us-east-1_AbCdEf123',
    'cruddur-ddb update-cognito-user-ids prod --yes',
  ],
  helpAfter:
    'Needs CONNECTION_URL (PROD_CONNECTION_URL with --env prod) and a user pool (--user-pool-id or AWS_COGNITO_USER_POOL_ID).\n' +
    '-o json prints one object (in a dry run, updated counts what would be), the report rows inside it:\n' +
    '  {"dryRun":false,"userPoolId":"us-east-1_AbCdEf123","database":"postgresql://postgres:***@localhost:5432/cruddur","updated":2,"upToDate":1,"notInDatabase":0,"noPreferredUsername":0,"noSub":0,"handleShared":0,"notInCognito":0,"seconds":0.42,"rows":[{"status":"updated","handle":"bayko","username":"…","email":"bayko@example.com","sub":"…","previous":"MOCK"},…]}',
  globals: ['aws'],
  cognito: true,
  load: async () => (await import('./update-cognito-user-ids.js')).updateCognitoUserIds,
});
