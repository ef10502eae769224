/**
 * Text for people's screens and CI logs: passwords blanked (every connection-string form, and the
 * configured passwords wherever they appear) and control characters made visible. Used by the error
 * reporter and by `context.say`; data for scripts (JSON on stdout) does not pass through here.
 */
import { knownSecrets, redactSecrets } from './environment.js';
import { visible } from './output.js';

export function redactAll(text: string, env: Record<string, string | undefined> = process.env): string {
  let out = redactSecrets(text);
  for (const secret of knownSecrets(env)) out = out.split(secret).join('***');
  return out;
}

/** One line: redacted, control characters (newlines too) shown as escapes. */
export function safeLine(text: string, env: Record<string, string | undefined> = process.env): string {
  return visible(redactAll(text, env));
}

/** Lines for people (newlines kept): redacted, other control characters shown as escapes. */
export function safeLines(text: string, env: Record<string, string | undefined> = process.env): string {
  return visible(redactAll(text, env), true);
}
