/**
 * A profile's region and static keys, read from the AWS shared files only (AWS_CONFIG_FILE, else
 * ~/.aws/config; AWS_SHARED_CREDENTIALS_FILE, else ~/.aws/credentials), for local commands. Not the SDK's
 * chains: its region chain may end at the EC2 instance metadata service, its credential chain may call
 * STS or SSO for a role or a login, and local commands must not reach any network address they were
 * not given. Loading those chains was also most of a local command's start-up. Static keys are all
 * DynamoDB Local looks at (without -sharedDb it keeps one database per access key id and region).
 * Format: https://docs.aws.amazon.com/sdkref/latest/guide/file-format.html
 */
import { readFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';
import { checkRegion } from '../core/checks.js';

type Env = Record<string, string | undefined>;

/** The settings of one section (`[name]`, or `[profile name]` in the config file), or undefined. */
function section(file: string, name: string, prefixed: boolean): Map<string, string> | undefined {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch {
    return undefined; // no such file: nothing set there
  }
  let found: Map<string, string> | undefined;
  let inSection = false;
  for (const raw of text.split(/\r?\n/)) {
    const line = raw.replace(/[#;].*$/, '').trim();
    const header = /^\[\s*(profile\s+)?([^\]]+?)\s*\]$/.exec(line);
    if (header) {
      // The config file names profiles `[profile x]` but the default one `[default]`; the credentials file never prefixes.
      inSection = header[2] === name && (!prefixed || Boolean(header[1]) || name === 'default');
      if (inSection) found ??= new Map();
      continue;
    }
    const setting = /^([A-Za-z0-9_]+)\s*=\s*(\S.*)$/.exec(line);
    if (inSection && setting) found!.set(setting[1]!.toLowerCase(), setting[2]!.trim());
  }
  return found;
}

const configFile = (env: Env) => env.AWS_CONFIG_FILE ?? join(homedir(), '.aws', 'config');
const credentialsFile = (env: Env) => env.AWS_SHARED_CREDENTIALS_FILE ?? join(homedir(), '.aws', 'credentials');

export function profileRegion(profile: string | undefined, env: Env): { region: string; profile: string } | undefined {
  const name = profile ?? 'default';
  const region = section(configFile(env), name, true)?.get('region');
  return region === undefined ? undefined : { region: checkRegion(region, `${configFile(env)} [${name}]`), profile: name };
}

export interface StaticKeys {
  accessKeyId: string;
  secretAccessKey: string;
  sessionToken?: string;
}

/** The profile's static keys: the credentials file first, then the config file, as the SDK reads them. */
export function profileKeys(profile: string | undefined, env: Env): StaticKeys | undefined {
  const name = profile ?? 'default';
  for (const settings of [section(credentialsFile(env), name, false), section(configFile(env), name, true)]) {
    const accessKeyId = settings?.get('aws_access_key_id');
    const secretAccessKey = settings?.get('aws_secret_access_key');
    if (accessKeyId && secretAccessKey) {
      const sessionToken = settings!.get('aws_session_token');
      return { accessKeyId, secretAccessKey, ...(sessionToken ? { sessionToken } : {}) };
    }
  }
  return undefined;
}
