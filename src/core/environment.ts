/**
 * The environment resolver: the one place that decides where a command talks to.
 *
 * Precedence, for every setting: flag > environment variable > default (see the table in README.md).
 * This module is pure (no I/O, no SDK import) so it is cheap to load and easy to test; the AWS
 * credential and region chains are consulted later, in src/aws/clients.ts, only by commands that call AWS.
 */
import { UsageError } from './errors.js';
import { checkRegion } from './checks.js';
import { isAwsEndpoint } from './aws-host.js';
import { isTimeZone, TIME_FORMS, type TimeForm, type TimeRule } from '../patterns/time.js';

export type EnvName = 'local' | 'prod';

export const DEFAULT_TABLE = 'cruddur-messages';
export const LOCAL_ENDPOINT = 'http://localhost:8000';
export const LOCAL_REGION = 'us-east-1';
/** DynamoDB Local (2.0+) accepts only letters and digits in the access key id. */
export const LOCAL_CREDENTIALS = { accessKeyId: 'cruddurlocal', secretAccessKey: 'cruddurlocal' } as const;

/** The global flags every subcommand accepts (commander's camel-cased names). */
export interface GlobalFlags {
  env?: string;
  endpointUrl?: string;
  region?: string;
  profile?: string;
  table?: string;
  userPoolId?: string;
  cognitoEndpointUrl?: string;
  /** The time rule (docs/time.md): --time-zone, --time-form. */
  timeZone?: string;
  timeForm?: string;
}

/** A value and where it came from, so `cruddur-ddb env` can explain itself. */
export interface Sourced<T> {
  value: T;
  source: string;
}

export interface ResolvedEnv {
  name: EnvName;
  nameSource: string;
  /** undefined in prod: the SDK picks AWS's own endpoint. */
  endpoint: Sourced<string | undefined>;
  /** undefined when the AWS chain (profile config) must decide. */
  region: Sourced<string | undefined>;
  profile: Sourced<string | undefined>;
  table: Sourced<string>;
  /** PostgreSQL connection URL: CONNECTION_URL locally, PROD_CONNECTION_URL in prod. */
  postgresUrl: Sourced<string | undefined>;
  cognitoUserPoolId: Sourced<string | undefined>;
  cognitoEndpoint: Sourced<string | undefined>;
  /** S3's endpoint (AWS_ENDPOINT_URL_S3, else AWS_ENDPOINT_URL); undefined: AWS's own. */
  s3Endpoint: Sourced<string | undefined>;
  /** The zone of times written without an offset (IANA name; default UTC). */
  timeZone: Sourced<string>;
  /** The form of times this tool writes (default utc: fixed-width +00:00). */
  timeForm: Sourced<TimeForm>;
  /** The port `cruddur-ddb local` listens on, and the local endpoint's port (CRUDDUR_LOCAL_PORT, default 8000). */
  localPort: Sourced<number>;
}

/** What the resolver cannot know without reading a file: the endpoint of a `local --detach` in this folder. */
export interface Discovered {
  detachedEndpoint?(): Sourced<string> | undefined;
}

type Env = Record<string, string | undefined>;

/** First defined, non-empty candidate wins; each candidate is [value, source]. */
function pick<T extends string>(
  candidates: Array<[T | undefined, string]>,
  fallback: Sourced<T | undefined> = { value: undefined, source: 'not set' },
): Sourced<T | undefined> {
  for (const [value, source] of candidates) {
    if (value !== undefined && value !== '') return { value, source };
  }
  return fallback;
}

function parseEnvName(value: string, source: string): EnvName {
  const lower = value.toLowerCase();
  if (lower === 'local' || lower === 'prod') return lower;
  throw new UsageError('env.unknown', `Unknown environment "${value}" (from ${source})`, 'Use --env local or --env prod');
}

export function resolveEnv(flags: GlobalFlags, env: Env, discovered: Discovered = {}): ResolvedEnv {
  const nameFrom = pick([
    [flags.env, '--env'],
    [env.CRUDDUR_ENV, 'CRUDDUR_ENV'],
  ]);
  let name = nameFrom.value === undefined ? 'local' : parseEnvName(nameFrom.value, nameFrom.source);
  let nameSource = nameFrom.value === undefined ? 'default' : nameFrom.source;

  const given = pick([
    [flags.endpointUrl, '--endpoint-url'],
    [env.AWS_ENDPOINT_URL_DYNAMODB, 'AWS_ENDPOINT_URL_DYNAMODB'],
    [env.AWS_ENDPOINT_URL, 'AWS_ENDPOINT_URL'],
  ]);
  if (given.value !== undefined) checkUrl(given.value, given.source);
  // An endpoint of AWS's is prod whatever else was said: its guard, its credentials, its database.
  if (given.value !== undefined && isAwsEndpoint(given.value) && name === 'local') {
    name = 'prod';
    nameSource = `${given.source} (an AWS endpoint)`;
  }
  const local = name === 'local';
  const localPort = resolveLocalPort(env);
  // Locally, after the variables: a `local --detach` running in this folder, then the local port.
  const localDefault = (): Sourced<string | undefined> =>
    discovered.detachedEndpoint?.() ??
    (localPort.source === 'default'
      ? { value: LOCAL_ENDPOINT, source: 'default (local)' }
      : { value: `http://localhost:${localPort.value}`, source: localPort.source });
  const endpoint = given.value !== undefined ? given : local ? localDefault() : { value: undefined, source: "AWS's own" };
  if (endpoint.value !== undefined && endpoint !== given) checkUrl(endpoint.value, endpoint.source);

  const region = pick(
    [
      [flags.region, '--region'],
      [env.AWS_REGION, 'AWS_REGION'],
      [env.AWS_DEFAULT_REGION, 'AWS_DEFAULT_REGION'],
    ],
    { value: undefined, source: local ? `AWS config, else ${LOCAL_REGION}` : 'AWS config' },
  );
  // "bad region!" is the command line's fault (exit 2), not AWS's.
  if (region.value !== undefined) checkRegion(region.value, region.source);

  const cognitoEndpoint = pick([
    [flags.cognitoEndpointUrl, '--cognito-endpoint-url'],
    [env.AWS_ENDPOINT_URL_COGNITO_IDENTITY_PROVIDER, 'AWS_ENDPOINT_URL_COGNITO_IDENTITY_PROVIDER'],
  ]);
  if (cognitoEndpoint.value !== undefined) checkUrl(cognitoEndpoint.value, cognitoEndpoint.source);
  const s3Endpoint = pick([
    [env.AWS_ENDPOINT_URL_S3, 'AWS_ENDPOINT_URL_S3'],
    [env.AWS_ENDPOINT_URL, 'AWS_ENDPOINT_URL'],
  ]);
  if (s3Endpoint.value !== undefined) checkUrl(s3Endpoint.value, s3Endpoint.source);

  return {
    name,
    nameSource,
    endpoint,
    s3Endpoint,
    region,
    profile: pick([
      [flags.profile, '--profile'],
      [env.AWS_PROFILE, 'AWS_PROFILE'],
    ]),
    table: pick(
      [
        [flags.table, '--table'],
        [env.DDB_MESSAGE_TABLE, 'DDB_MESSAGE_TABLE'],
      ],
      { value: DEFAULT_TABLE, source: 'default' },
    ) as Sourced<string>,
    postgresUrl: local ? pick([[env.CONNECTION_URL, 'CONNECTION_URL']]) : pick([[env.PROD_CONNECTION_URL, 'PROD_CONNECTION_URL']]),
    cognitoUserPoolId: pick([
      [flags.userPoolId, '--user-pool-id'],
      [env.AWS_COGNITO_USER_POOL_ID, 'AWS_COGNITO_USER_POOL_ID'],
    ]),
    cognitoEndpoint,
    ...resolveTimeRule(flags, env),
    localPort,
  };
}

/** CRUDDUR_LOCAL_PORT (a whole number 1-65535), else 8000. */
function resolveLocalPort(env: Env): Sourced<number> {
  const text = env.CRUDDUR_LOCAL_PORT;
  if (text === undefined || text === '') return { value: 8000, source: 'default' };
  const port = /^[0-9]{1,5}$/.test(text) ? Number(text) : NaN;
  if (!(port >= 1 && port <= 65535)) throw new UsageError('env.bad_port', `CRUDDUR_LOCAL_PORT must be a port (1 to 65535), got "${text}"`);
  return { value: port, source: 'CRUDDUR_LOCAL_PORT' };
}

/** The time rule's two settings, each flag > environment variable > default, checked before any call. */
function resolveTimeRule(flags: GlobalFlags, env: Env): { timeZone: Sourced<string>; timeForm: Sourced<TimeForm> } {
  // Set but empty is a mistake to name (an unset variable in a CI template), not a reason to fall back to UTC.
  for (const [value, source, code] of [
    [flags.timeZone, '--time-zone', 'env.bad_time_zone'],
    [env.CRUDDUR_TIME_ZONE, 'CRUDDUR_TIME_ZONE', 'env.bad_time_zone'],
    [flags.timeForm, '--time-form', 'env.bad_time_form'],
    [env.CRUDDUR_TIME_FORM, 'CRUDDUR_TIME_FORM', 'env.bad_time_form'],
  ] as const) {
    if (value !== undefined && value.trim() === '')
      throw new UsageError(
        code,
        `${source} is set but empty`,
        `${code === 'env.bad_time_zone' ? 'Give an IANA zone such as UTC' : `Give one of ${TIME_FORMS.join(', ')}`}, or unset it for the default`,
      );
  }
  const timeZone = pick(
    [
      [flags.timeZone, '--time-zone'],
      [env.CRUDDUR_TIME_ZONE, 'CRUDDUR_TIME_ZONE'],
    ],
    { value: 'UTC', source: 'default' },
  ) as Sourced<string>;
  if (!isTimeZone(timeZone.value))
    throw new UsageError(
      'env.bad_time_zone',
      `"${timeZone.value}" (from ${timeZone.source}) is not an IANA time zone`,
      'Give one like UTC, America/New_York or Asia/Tokyo',
    );
  const timeForm = pick(
    [
      [flags.timeForm, '--time-form'],
      [env.CRUDDUR_TIME_FORM, 'CRUDDUR_TIME_FORM'],
    ],
    { value: 'utc', source: 'default' },
  ) as Sourced<string>;
  if (!(TIME_FORMS as readonly string[]).includes(timeForm.value))
    throw new UsageError('env.bad_time_form', `"${timeForm.value}" (from ${timeForm.source}) is not a time form`, `Use one of ${TIME_FORMS.join(', ')}`);
  return { timeZone, timeForm: timeForm as Sourced<TimeForm> };
}

/** The resolved time rule, for the patterns library. */
export function timeRuleOf(env: Pick<ResolvedEnv, 'timeZone' | 'timeForm'>): TimeRule {
  return { zone: env.timeZone.value, form: env.timeForm.value };
}

function checkUrl(value: string, source: string): void {
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    throw new UsageError('env.bad_url', `"${value}" (from ${source}) is not a URL`, 'Give one like http://localhost:8000');
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    throw new UsageError('env.bad_url', `"${value}" (from ${source}) is not an http(s) URL`, 'Give one like http://localhost:8000');
  }
}

/**
 * Passwords in every form a PostgreSQL connection string can carry them, replaced by `***`:
 * `scheme://user:pass@host` (even with an unencoded `/` or `@` in pass), a `?password=` query
 * parameter (node-pg reads it), and libpq's `key=value` form (`host=h password=p`, quoted or not).
 */
export function redactSecrets(text: string): string {
  return text
    .replace(/([a-z][a-z0-9+.-]*:\/\/[^\s:/@'"]*:)[^\s'"]*@/gi, '$1***@')
    .replace(/((?:ssl)?password\s*=\s*)('(?:[^'\\]|\\.)*'|"[^"]*"|[^\s&;'"]+)/gi, '$1***');
}

/** A URL with its password replaced by `***`, for printing (every form: see redactSecrets). */
export function redactUrl(value: string): string {
  return redactSecrets(value);
}

/**
 * The literal passwords of the configured PostgreSQL URLs, so the last line of defence (the error
 * reporter in src/entry/run.ts) can blank them wherever they appear, even in a server's own message.
 */
export function knownSecrets(env: Env): string[] {
  const found = new Set<string>();
  for (const value of [env.CONNECTION_URL, env.PROD_CONNECTION_URL]) {
    if (!value) continue;
    for (const match of value.matchAll(/(?:ssl)?password\s*=\s*('(?:[^'\\]|\\.)*'|"[^"]*"|[^\s&;'"]+)/gi)) found.add(match[1]!.replace(/^['"]|['"]$/g, ''));
    const userInfo = /^[a-z][a-z0-9+.-]*:\/\/[^\s:/@]*:([^\s]*)@/i.exec(value);
    if (userInfo) found.add(userInfo[1]!);
  }
  const all = [...found].filter((secret) => secret.length >= 3);
  // Percent-encoded passwords also appear decoded (pg decodes them), and the other way round.
  for (const secret of [...all]) {
    try {
      all.push(decodeURIComponent(secret));
    } catch {
      // not valid percent-encoding: only the raw form can appear
    }
    all.push(encodeURIComponent(secret));
  }
  return [...new Set(all)].sort((a, b) => b.length - a.length);
}

/** DynamoDB's own rule for table names, checked before any call. */
export function checkTableName(name: string): string {
  if (!/^[a-zA-Z0-9_.-]{3,255}$/.test(name)) {
    throw new UsageError('table.bad_name', `"${name}" is not a valid DynamoDB table name`, 'Use 3 to 255 characters, each a letter, digit, "_", "-" or "."');
  }
  return name;
}
