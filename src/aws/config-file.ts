/**
 * The region of a profile, read from the AWS config file only (AWS_CONFIG_FILE, else ~/.aws/config),
 * without the SDK's region chain, which may end at the EC2 instance metadata service: local commands
 * must not reach any network address they were not given. Format:
 * https://docs.aws.amazon.com/sdkref/latest/guide/file-format.html
 */
import { readFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';
import { checkRegion } from '../core/checks.js';

export function profileRegion(
  profile: string | undefined,
  env: Record<string, string | undefined> = process.env,
): { region: string; profile: string } | undefined {
  const name = profile ?? 'default';
  const file = env.AWS_CONFIG_FILE ?? join(homedir(), '.aws', 'config');
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch {
    return undefined; // no config file: the local default applies
  }
  let inSection = false;
  for (const raw of text.split(/\r?\n/)) {
    const line = raw.replace(/[#;].*$/, '').trim();
    const section = /^\[\s*(?:profile\s+)?([^\]]+?)\s*\]$/.exec(line);
    if (section) {
      inSection = section[1] === name;
      continue;
    }
    const setting = /^region\s*=\s*(\S+)$/.exec(line);
    if (inSection && setting) return { region: checkRegion(setting[1]!, `${file} [${name}]`), profile: name };
  }
  return undefined;
}
