/** `cruddur-ddb cognito list-users`: every user of the pool, all pages. */
import type { Context } from '../context.js';
import { type CognitoUser, listAllUsers, requireUserPoolId } from '../cognito.js';
import { createSink } from '../output.js';

export interface ListUsersOptions {
  /** Cognito's own filter expression, e.g. `email ^= "a"`. */
  filter?: string;
}

export async function cognitoListUsers(options: ListUsersOptions, context: Context): Promise<number> {
  const userPoolId = requireUserPoolId(context.env);
  const sink = createSink<CognitoUser>({
    format: context.format,
    columns: [
      { header: 'username', value: (u) => u.username },
      { header: 'handle', value: (u) => u.handle ?? '' },
      { header: 'sub', value: (u) => u.sub ?? '' },
      { header: 'email', value: (u) => u.email ?? '', flex: true },
      { header: 'status', value: (u) => (u.enabled ? (u.status ?? '') : `${u.status ?? ''} (disabled)`) },
      { header: 'created', value: (u) => u.created ?? '' },
    ],
    empty: options.filter ? `No users in ${userPoolId} match ${options.filter}.` : `No users in ${userPoolId}.`,
    stdout: context.stdout,
    say: context.say,
    width: context.width,
  });
  // json/ndjson rows go out as each page arrives.
  for await (const page of listAllUsers(context, userPoolId, options.filter)) {
    for (const user of page) await sink.write(user);
  }
  return sink.end();
}
