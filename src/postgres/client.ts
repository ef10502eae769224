/**
 * PostgreSQL for the commands that need Cruddur's own database (handle lookups, Cognito ids): one
 * connection per use, and every failure as one line naming the (password-redacted) URL.
 */
import type { Client } from 'pg';
import { CliError } from '../core/errors.js';
import { redactUrl, type ResolvedEnv } from '../core/environment.js';

/** The resolved connection URL, or a clear error saying how to set one (`alternative`: another way out). */
export function requirePostgresUrl(env: ResolvedEnv, purpose: string, alternative?: string): string {
  const url = env.postgresUrl.value;
  if (url) return url;
  const variable = env.name === 'prod' ? 'PROD_CONNECTION_URL' : 'CONNECTION_URL';
  throw new CliError('postgres.not_configured', `No PostgreSQL configured to ${purpose}`, {
    hint: `Set ${variable} (e.g. postgresql://postgres:password@localhost:5432/cruddur)${alternative ? `, or ${alternative}` : ''}`,
  });
}

/** SQLSTATE codes worth their own words (https://www.postgresql.org/docs/15/errcodes-appendix.html). */
const SQLSTATE: Record<string, string> = {
  '28P01': 'refused the password',
  '28000': 'refused the login',
  '3D000': 'has no such database',
  '42P01': 'has no such table',
  '42703': 'has no such column',
};

export function translatePgError(error: unknown, url: string, lockTable?: string): CliError {
  if (error instanceof CliError) return error;
  const where = redactUrl(url);
  const { code, message } = error as { code?: string; message?: string };
  if (code && ['ECONNREFUSED', 'ENOTFOUND', 'EAI_AGAIN', 'ETIMEDOUT', 'EHOSTUNREACH'].includes(code)) {
    return new CliError('postgres.unreachable', `PostgreSQL is not answering at ${where} (${code})`, {
      hint: 'Start it, or check CONNECTION_URL / PROD_CONNECTION_URL',
      cause: error,
    });
  }
  if (code === '55P03' || code === '57014') {
    // lock_timeout / statement_timeout (set by setTimeouts): another session holds what we need.
    return new CliError(
      'postgres.locked',
      code === '55P03'
        ? `PostgreSQL at ${where}: rows of ${lockTable ?? 'the table'} are locked by another session`
        : `PostgreSQL at ${where}: a statement on ${lockTable ?? 'the table'} ran past the statement timeout`,
      {
        hint:
          "Find the session with `SELECT pid, state, xact_start FROM pg_stat_activity WHERE state LIKE 'idle in transaction%'`, " +
          'end it with `SELECT pg_terminate_backend(<pid>)` (or wait for it), then run this again',
        cause: error,
      },
    );
  }
  const known = code ? SQLSTATE[code] : undefined;
  const text = (message ?? String(error)).split('\n')[0];
  return new CliError('postgres.error', `PostgreSQL at ${where} ${known ?? 'failed'}: ${text}`, { cause: error });
}

/** Connects, runs `fn`, and always disconnects; failures become one-line CliErrors. */
export async function withClient<T>(url: string, fn: (client: Client) => Promise<T>): Promise<T> {
  const { default: pg } = await import('pg');
  let client: Client;
  try {
    client = new pg.Client({ connectionString: url, connectionTimeoutMillis: 10_000 });
  } catch (error) {
    // pg parses the URL with WHATWG URL rules: a password with "/" or "@" unencoded is refused here.
    throw new CliError('postgres.bad_url', `The PostgreSQL connection URL ${redactUrl(url)} cannot be read (${(error as Error).message})`, {
      hint: 'Percent-encode special characters of the password ("/" is %2F, "@" is %40, ":" is %3A)',
      cause: error,
    });
  }
  // An idle client can emit 'error' (e.g. the server restarts); without a listener that would crash.
  client.on('error', () => undefined);
  try {
    await client.connect();
    return await fn(client);
  } catch (error) {
    throw translatePgError(error, url);
  } finally {
    await client.end().catch(() => undefined);
  }
}

/**
 * Runs `fn` inside BEGIN … COMMIT on an open client. Any failure rolls everything back, so the database
 * is left as it was, and the error says so.
 */
export async function inTransaction<T>(client: Client, url: string, fn: (client: Client) => Promise<T>, lockTable?: string): Promise<T> {
  await client.query('BEGIN');
  try {
    const result = await fn(client);
    await client.query('COMMIT');
    return result;
  } catch (error) {
    await client.query('ROLLBACK').catch(() => undefined);
    const failure = translatePgError(error, url, lockTable);
    const hint = [failure.hint, 'The transaction was rolled back: nothing was changed'].filter(Boolean).join('; ');
    throw new CliError(failure.code, failure.message, { hint, exitCode: failure.exitCode, cause: error });
  }
}

/** Connects and runs `fn` in one transaction (see inTransaction). */
export function withTransaction<T>(url: string, fn: (client: Client) => Promise<T>): Promise<T> {
  return withClient(url, (client) => inTransaction(client, url, fn));
}

/**
 * Bounds on waiting, for this transaction only: a row lock held elsewhere (a cut connection can leave
 * a session "idle in transaction" holding one) fails after `lockMs` instead of hanging silently, and
 * any statement after `statementMs`. (https://www.postgresql.org/docs/current/runtime-config-client.html)
 */
export async function setTimeouts(client: Client, timeouts: { lockMs: number; statementMs: number }): Promise<void> {
  await client.query(`SET LOCAL lock_timeout = ${Math.round(timeouts.lockMs)}`);
  await client.query(`SET LOCAL statement_timeout = ${Math.round(timeouts.statementMs)}`);
}
