import { defineCommand, type Input, text } from '../kit/define.js';

const args = {};

const options = {
  filter: text('--filter <expression>', "Cognito's own filter, e.g. 'email ^= \"a\"' or 'preferred_username = \"bob\"'"),
};

/** What the run function receives: each argument and option above, typed by its parser. */
export type CognitoListUsersInput = Input<typeof args, typeof options>;

export default defineCommand({
  name: 'cognito list-users',
  description: 'every user of the pool (all pages): username, handle (preferred_username), sub, email, status, created',
  args,
  options,
  examples: [
    'cruddur-ddb cognito list-users --user-pool-id us-east-1_AbCdEf123 --filter \'email ^= "andrew"\' -o json',
    'AWS_COGNITO_USER_POOL_ID=us-east-1_AbCdEf123 cruddur-ddb cognito list-users',
    'cruddur-ddb cognito list-users --cognito-endpoint-url http://localhost:9229 --user-pool-id local_1F3C6C33',
  ],
  globals: ['aws'],
  cognito: true,
  load: async () => (await import('./cognito-list-users.js')).cognitoListUsers,
});
