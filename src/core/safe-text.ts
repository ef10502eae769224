/**
 * Text for people's screens and CI logs: passwords blanked (every connection-string form, and the
 * configured passwords wherever they appear) and control characters made visible. Used by the error
 * reporter and by `context.say`; data for scripts (JSON on stdout) does not pass through here.
 */
import { knownSecrets, redactSecrets } from './environment.js';

export function redactAll(text: string, env: Record<string, string | undefined>): string {
  let out = redactSecrets(text);
  for (const secret of knownSecrets(env)) out = out.split(secret).join('***');
  return out;
}

/** One line: redacted, control characters (newlines too) shown as escapes. */
export function safeLine(text: string, env: Record<string, string | undefined>): string {
  return visible(redactAll(text, env));
}

/** Lines for people (newlines kept): redacted, other control characters shown as escapes. */
export function safeLines(text: string, env: Record<string, string | undefined>): string {
  return visible(redactAll(text, env), true);
}

/**
 * Control characters made visible, for anything shown to people: a message holding ESC ] 0 ; … BEL
 * (window title), ESC [ 2 J (clear screen) or ESC ] 52 (clipboard write) must not reach a terminal
 * raw. C0, DEL, C1 and the bidirectional overrides become `\x1b`-style escapes; JSON output is
 * left exact (scripts get the data as stored).
 */
// eslint-disable-next-line no-control-regex
const CONTROL = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f\u200e\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069]/g;

export function visible(text: string, keepNewlines = false): string {
  const shown = text.replace(CONTROL, (c) => {
    const code = c.charCodeAt(0);
    return code <= 0xff ? `\\x${code.toString(16).padStart(2, '0')}` : `\\u${code.toString(16).padStart(4, '0')}`;
  });
  return keepNewlines ? shown : shown.replace(/\n/g, '\\n').replace(/\t/g, '\\t');
}
