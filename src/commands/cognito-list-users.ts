/** `cruddur-ddb cognito list-users`: every user of the pool, all pages. */
import type { Context } from '../kit/context.js';
import { type CognitoUser, listAllUsers, requireUserPoolId } from '../cognito/list-users.js';
import { rows, type Output } from '../kit/output.js';
import type { CognitoListUsersInput } from './cognito-list-users.def.js';

/** The definition's arguments and options, typed there (defaults and choices live there, once). */
export type ListUsersOptions = CognitoListUsersInput;

/** json/ndjson rows go out as each page arrives. */
async function* users(context: Context, userPoolId: string, filter: string | undefined): AsyncIterable<CognitoUser> {
  for await (const page of listAllUsers(context.env, await context.aws(), userPoolId, filter)) yield* page;
}

export async function cognitoListUsers(options: ListUsersOptions, context: Context): Promise<Output> {
  const userPoolId = requireUserPoolId(context.env);
  return rows<CognitoUser>({
    rows: users(context, userPoolId, options.filter),
    columns: [
      { header: 'username', value: (u) => u.username, keep: true },
      { header: 'handle', value: (u) => u.handle ?? '' },
      { header: 'sub', value: (u) => u.sub ?? '' },
      { header: 'email', value: (u) => u.email ?? '', flex: true },
      { header: 'status', value: (u) => (u.enabled ? (u.status ?? '') : `${u.status ?? ''} (disabled)`) },
      { header: 'created', value: (u) => u.created ?? '', keep: true },
    ],
    empty: options.filter ? `No users in ${userPoolId} match ${options.filter}.` : `No users in ${userPoolId}.`,
  });
}
