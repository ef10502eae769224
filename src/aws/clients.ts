/**
 * AWS clients built from the resolved environment, and the translation of AWS failures into one-line
 * errors. Loaded lazily (only by commands that call AWS), so `--help` never pays for the SDK.
 */
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { StandardRetryStrategy } from '@smithy/core/retry';
import type { AwsCredentialIdentity, RetryErrorInfo, RetryStrategyV2, StandardRetryToken } from '@smithy/types';
import { CliError } from '../core/errors.js';
import { LOCAL_CREDENTIALS, LOCAL_REGION, type ResolvedEnv } from '../core/environment.js';

/**
 * The SDK's default of 3 attempts gives up during a burst of throttling; 10 attempts with the SDK's
 * capped exponential backoff and jitter rides it out. (Retry behaviour:
 * https://docs.aws.amazon.com/sdkref/latest/guide/feature-retry-behavior.html)
 */
export const MAX_ATTEMPTS = 10;

/** Errors that mean "nothing listens there": retrying them only makes the user wait. */
const UNREACHABLE = new Set(['ECONNREFUSED', 'ENOTFOUND', 'EAI_AGAIN', 'EHOSTUNREACH', 'ENETUNREACH']);

function errorCode(error: unknown): string | undefined {
  let current: unknown = error;
  for (let depth = 0; depth < 5 && current && typeof current === 'object'; depth++) {
    const code = (current as { code?: unknown }).code;
    if (typeof code === 'string') return code;
    const errors = (current as { errors?: unknown[] }).errors;
    if (Array.isArray(errors) && errors.length > 0) current = errors[0];
    else current = (current as { cause?: unknown }).cause;
  }
  return undefined;
}

export function isUnreachable(error: unknown): boolean {
  const code = errorCode(error);
  return code !== undefined && UNREACHABLE.has(code);
}

/** The standard strategy with more attempts, except that a refused connection fails at once. */
export class CliRetryStrategy implements RetryStrategyV2 {
  readonly mode = 'standard';
  private readonly inner: StandardRetryStrategy;

  constructor(maxAttempts = MAX_ATTEMPTS) {
    this.inner = new StandardRetryStrategy(maxAttempts);
  }
  acquireInitialRetryToken(scope: string): Promise<StandardRetryToken> {
    return this.inner.acquireInitialRetryToken(scope);
  }
  refreshRetryTokenForRetry(token: StandardRetryToken, info: RetryErrorInfo): Promise<StandardRetryToken> {
    if (isUnreachable(info.error)) return Promise.reject(info.error);
    return this.inner.refreshRetryTokenForRetry(token, info);
  }
  recordSuccess(token: StandardRetryToken): void {
    this.inner.recordSuccess(token);
  }
}

export interface AwsSettings {
  region: string | undefined;
  regionSource: string;
  /** undefined: the client uses the standard AWS chain itself (prod). */
  credentials: AwsCredentialIdentity | undefined;
  credentialSource: string;
  profile: string | undefined;
  /** Resolved without the SDK's chains (local): its clients need none of its config sources either. */
  local: boolean;
}

/**
 * Locally: the environment's keys, else the profile's static keys, else fixed dummies; a region from
 * the flags and environment, else the profile, else us-east-1, so DynamoDB Local just works. All read
 * by src/aws/config-file.ts, without the SDK's chains (see there why). In prod: the standard chain,
 * untouched; a missing credential or region becomes a clear error at the first call.
 */
export async function resolveAwsSettings(env: ResolvedEnv, vars: Record<string, string | undefined>): Promise<AwsSettings> {
  const profile = env.profile.value;
  let region = env.region.value;
  let regionSource = env.region.source;
  if (env.name === 'local') {
    const { profileKeys, profileRegion } = await import('./config-file.js');
    if (region === undefined) {
      const fromProfile = profileRegion(profile, vars);
      region = fromProfile?.region ?? LOCAL_REGION;
      regionSource = fromProfile ? `AWS config (${fromProfile.profile} profile)` : 'default (local)';
    }
    const local = { region, regionSource, profile, local: true };
    const { AWS_ACCESS_KEY_ID: accessKeyId, AWS_SECRET_ACCESS_KEY: secretAccessKey, AWS_SESSION_TOKEN: sessionToken } = vars;
    if (accessKeyId && secretAccessKey) {
      return {
        ...local,
        credentials: { accessKeyId, secretAccessKey, ...(sessionToken ? { sessionToken } : {}) },
        credentialSource: 'environment (AWS_ACCESS_KEY_ID)',
      };
    }
    const keys = profileKeys(profile, vars);
    if (keys) return { ...local, credentials: keys, credentialSource: `AWS profile "${profile ?? 'default'}"` };
    return { ...local, credentials: { ...LOCAL_CREDENTIALS }, credentialSource: 'local dummies' };
  }
  if (region === undefined) {
    try {
      region = await new DynamoDBClient(profile ? { profile } : {}).config.region();
      regionSource = `AWS config (${profile ?? 'default'} profile)`;
    } catch {
      // prod with no region: a clear error at the first call (translateAwsError)
    }
  }
  return { region, regionSource, credentials: undefined, credentialSource: 'AWS default chain', profile, local: false };
}

/**
 * What the SDK's Node clients would otherwise look up in the environment and the shared config files
 * at their first call (runtimeConfig.js of each client): for a local endpoint, fixed values, so a local
 * command reads no file it does not need. With an endpoint given, FIPS and dual-stack endpoints do
 * not apply; `legacy` is the SDK's own defaults mode when none is configured.
 */
const localClientConfig = () => ({
  useFipsEndpoint: false,
  useDualstackEndpoint: false,
  defaultsMode: 'legacy' as const,
  accountIdEndpointMode: 'disabled' as const,
  authSchemePreference: [] as string[],
  endpointDiscoveryEnabled: false,
  maxAttempts: MAX_ATTEMPTS,
  retryMode: 'standard',
  userAgentAppId: () => Promise.resolve(undefined),
});

/** Options shared by every AWS client this tool builds. */
export function clientOptions(settings: AwsSettings, endpoint: string | undefined) {
  return {
    region: settings.region,
    ...(settings.credentials ? { credentials: settings.credentials } : {}),
    ...(settings.profile && !settings.credentials ? { profile: settings.profile } : {}),
    ...(endpoint ? { endpoint } : {}),
    ...(settings.local && endpoint ? localClientConfig() : {}),
    retryStrategy: new CliRetryStrategy(),
  };
}

export function createDynamoClient(env: ResolvedEnv, settings: AwsSettings): DynamoDBClient {
  return new DynamoDBClient(clientOptions(settings, env.endpoint.value));
}

/**
 * For the prod confirmation: resolves the region and the credentials first (each missing one is a
 * clear error before any prompt), then names where the change would land: the endpoint when one is
 * set, else the AWS account (when the credentials carry it) or the access key's last four characters.
 */
export async function describeProdTarget(env: ResolvedEnv, settings: AwsSettings): Promise<string> {
  if (!settings.region) {
    throw new CliError('aws.no_region', `No AWS region set for ${env.name}`, { hint: 'Pass --region or set AWS_REGION (or a region in the profile)' });
  }
  let identity: AwsCredentialIdentity & { accountId?: string };
  try {
    identity = settings.credentials ?? (await new DynamoDBClient(clientOptions(settings, env.endpoint.value)).config.credentials());
  } catch (error) {
    throw translateAwsError(error, env);
  }
  const who = env.endpoint.value
    ? `endpoint ${env.endpoint.value}`
    : identity.accountId
      ? `AWS account ${identity.accountId}`
      : `AWS, access key …${identity.accessKeyId.slice(-4)}${settings.profile ? ` (profile ${settings.profile})` : ''}`;
  return `${who}, region ${settings.region}`;
}

/** Where a command was talking to, for messages. */
export function describeTarget(env: ResolvedEnv): string {
  return env.endpoint.value ? `${env.name} (${env.endpoint.value})` : `${env.name} (AWS ${env.region.value ?? ''})`.replace(' )', ')');
}

/**
 * An AWS SDK or network failure (a service answer, no answer, no credentials, no region), as opposed
 * to a bug of ours such as a TypeError: the entry translates the first and reports the second as a bug.
 */
export function isAwsFailure(error: unknown): boolean {
  if (typeof error !== 'object' || error === null) return false;
  const name = (error as { name?: string }).name ?? '';
  const message = (error as { message?: string }).message ?? '';
  return (
    '$metadata' in error ||
    '$fault' in error ||
    // the SDK failed to parse the answer: the endpoint is not DynamoDB (translated to endpoint.not_dynamodb)
    ('$response' in error && name === 'SyntaxError') ||
    /Deserialization error/i.test(message) ||
    isUnreachable(error) ||
    ['TimeoutError', 'CredentialsProviderError', 'AbortError'].includes(name) ||
    /could not load credentials|region is missing/i.test(message)
  );
}

/**
 * Turns an AWS SDK or network failure into one line a user can act on. `table` names the table the
 * command was working on, for "not found".
 */
export function translateAwsError(error: unknown, env: ResolvedEnv, table?: string): CliError {
  if (error instanceof CliError) return error;
  const name = (error as { name?: string })?.name ?? '';
  const message = (error as { message?: string })?.message ?? String(error);
  if (isUnreachable(error) || name === 'TimeoutError') {
    const where = env.endpoint.value ?? 'AWS';
    return new CliError('endpoint.unreachable', `DynamoDB is not answering at ${where}`, {
      hint:
        env.name === 'local'
          ? 'Start it with `npx cruddur-ddb local` (or `npm start`) in another terminal, or pass --endpoint-url'
          : 'Check your network and --region',
      cause: error,
    });
  }
  // An endpoint that answers, but not like DynamoDB (an HTML page, another service): the SDK fails
  // to parse the body ("SyntaxError: Unexpected token <") or sees no error type it knows.
  if (name === 'SyntaxError' || /Deserialization error|Unexpected token|is not valid JSON/i.test(message) || (name === 'UnknownError' && env.endpoint.value)) {
    const where = env.endpoint.value ?? 'AWS';
    return new CliError('endpoint.not_dynamodb', `${where} answers, but not like DynamoDB`, {
      hint:
        env.name === 'local'
          ? 'Check --endpoint-url (or AWS_ENDPOINT_URL_DYNAMODB): it should be DynamoDB Local, e.g. http://localhost:8000'
          : 'Check --endpoint-url and --region',
      cause: error,
    });
  }
  if (name === 'ResourceNotFoundException') {
    return new CliError('table.not_found', `Table "${table ?? '?'}" not found in ${describeTarget(env)}`, {
      hint: 'Create it with `npx cruddur-ddb schema-load`, or check --env, --table and --endpoint-url',
      cause: error,
    });
  }
  if (name === 'CredentialsProviderError' || /could not load credentials/i.test(message)) {
    return new CliError('aws.no_credentials', `No AWS credentials found for ${env.name}`, {
      hint: 'Set AWS_PROFILE (or --profile) or AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY',
      cause: error,
    });
  }
  if (/region is missing/i.test(message)) {
    return new CliError('aws.no_region', `No AWS region set for ${env.name}`, { hint: 'Pass --region or set AWS_REGION', cause: error });
  }
  if (['AccessDeniedException', 'UnrecognizedClientException', 'InvalidSignatureException', 'ExpiredTokenException', 'NotAuthorizedException'].includes(name)) {
    return new CliError('aws.access_denied', `Access denied by ${describeTarget(env)}: ${firstLine(message)}`, {
      hint: 'Check the credentials and the IAM permissions of the profile in use (`npx cruddur-ddb env` shows which)',
      cause: error,
    });
  }
  return new CliError('aws.error', `${name || 'Error'}: ${firstLine(message)}`, { cause: error });
}

function firstLine(text: string): string {
  return text.split('\n')[0] ?? text;
}
