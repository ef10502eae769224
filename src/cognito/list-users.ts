/**
 * The Cognito user pool: every user, page after page, as plain records, and Cognito's failures as
 * one-line errors. Loaded lazily, only by the commands that talk to Cognito.
 */
import { CognitoIdentityProviderClient, paginateListUsers, type UserType } from '@aws-sdk/client-cognito-identity-provider';
import { clientOptions, isUnreachable, translateAwsError, type AwsSettings } from '../aws/clients.js';
import type { ResolvedEnv } from '../core/environment.js';
import { CliError, UsageError } from '../core/errors.js';

/**
 * ListUsers returns at most 60 users a call, and a page can be shorter than that while more remain:
 * only a missing PaginationToken means the end
 * (https://docs.aws.amazon.com/cognito-user-identity-pools/latest/APIReference/API_ListUsers.html).
 */
export const LIST_USERS_LIMIT = 60;

/** A Cognito user as this tool shows it. `handle` is the `preferred_username` attribute. */
export interface CognitoUser {
  username: string;
  handle: string | null;
  sub: string | null;
  email: string | null;
  status: string | null;
  enabled: boolean;
  created: string | null;
}

/** The pool id from --user-pool-id or AWS_COGNITO_USER_POOL_ID, or a clear error. */
export function requireUserPoolId(env: ResolvedEnv): string {
  const id = env.cognitoUserPoolId.value;
  if (id) return id;
  throw new UsageError('cognito.no_pool', 'No Cognito user pool given', 'Pass --user-pool-id <id> or set AWS_COGNITO_USER_POOL_ID');
}

/** `endpoint`: the resolved Cognito endpoint (an emulator), or undefined for AWS's own. */
export function createCognitoClient(settings: AwsSettings, endpoint: string | undefined): CognitoIdentityProviderClient {
  return new CognitoIdentityProviderClient({
    ...clientOptions(settings, endpoint),
    // The resolver already read --cognito-endpoint-url and AWS_ENDPOINT_URL_COGNITO_IDENTITY_PROVIDER;
    // without this the SDK would also take AWS_ENDPOINT_URL, which names DynamoDB Local here.
    ignoreConfiguredEndpointUrls: true,
  });
}

export function toCognitoUser(user: UserType): CognitoUser {
  // `sub` is read from the attributes: asking for it in AttributesToGet is rejected by Cognito.
  const attributes = new Map((user.Attributes ?? []).map((a) => [a.Name ?? '', a.Value ?? '']));
  return {
    username: user.Username ?? '',
    handle: attributes.get('preferred_username') || null,
    sub: attributes.get('sub') || null,
    email: attributes.get('email') || null,
    status: user.UserStatus ?? null,
    enabled: user.Enabled !== false,
    created: user.UserCreateDate ? user.UserCreateDate.toISOString() : null,
  };
}

/** Every user of the pool (optionally only those matching Cognito's own `filter`), one page at a time. */
export async function* listAllUsers(env: ResolvedEnv, settings: AwsSettings, userPoolId: string, filter?: string): AsyncGenerator<CognitoUser[]> {
  const client = createCognitoClient(settings, env.cognitoEndpoint.value);
  try {
    const pages = paginateListUsers({ client, pageSize: LIST_USERS_LIMIT }, { UserPoolId: userPoolId, ...(filter ? { Filter: filter } : {}) });
    for await (const page of pages) yield (page.Users ?? []).map(toCognitoUser);
  } catch (error) {
    throw translateCognitoError(error, env, userPoolId);
  } finally {
    client.destroy();
  }
}

/** All of them, in one array. */
export async function readAllUsers(env: ResolvedEnv, settings: AwsSettings, userPoolId: string, filter?: string): Promise<CognitoUser[]> {
  const users: CognitoUser[] = [];
  for await (const page of listAllUsers(env, settings, userPoolId, filter)) users.push(...page);
  return users;
}

/**
 * Cognito's own failures in Cognito's words; what is common to every AWS service (credentials,
 * region) goes through translateAwsError.
 */
export function translateCognitoError(error: unknown, env: ResolvedEnv, userPoolId: string): CliError {
  if (error instanceof CliError) return error;
  const name = (error as { name?: string })?.name ?? '';
  const message = ((error as { message?: string })?.message ?? String(error)).split('\n')[0];
  const where = env.cognitoEndpoint.value ?? `AWS ${env.region.value ?? ''}`.trim();
  const localHint = env.name === 'local' && !env.cognitoEndpoint.value ? '; for a local emulator pass --cognito-endpoint-url' : '';
  if (isUnreachable(error) || name === 'TimeoutError') {
    return new CliError('cognito.unreachable', `Cognito is not answering at ${where}`, {
      hint: env.cognitoEndpoint.value
        ? `Start the emulator there, or fix ${env.cognitoEndpoint.source}`
        : 'Check your network and --region, or pass --cognito-endpoint-url',
      cause: error,
    });
  }
  if (name === 'ResourceNotFoundException') {
    return new CliError('cognito.pool_not_found', `User pool "${userPoolId}" not found in Cognito at ${where}`, {
      hint: `Check ${env.cognitoUserPoolId.source}, --region and --env`,
      cause: error,
    });
  }
  if (['NotAuthorizedException', 'AccessDeniedException', 'UnrecognizedClientException', 'InvalidSignatureException', 'ExpiredTokenException'].includes(name)) {
    return new CliError('cognito.access_denied', `Cognito at ${where} refused: ${message}`, {
      hint: `Check the credentials and that they may call cognito-idp:ListUsers (\`npx cruddur-ddb env\` shows which are in use)${localHint}`,
      cause: error,
    });
  }
  if (name === 'InvalidParameterException') {
    return new UsageError(
      'cognito.bad_request',
      `Cognito rejected the request: ${message}`,
      'Check --filter: e.g. \'email ^= "a"\' or \'preferred_username = "bob"\'',
    );
  }
  return translateAwsError(error, env);
}
