/**
 * The seed files a person edits (see seed/README.md):
 *
 *   seed/users.txt                 `@handle | Display Name | uuid` (uuid optional), one user a line
 *   seed/conversations/<name>.txt  `2026-11-20 09:15 @andrewbrown: text`, oldest first, two people
 *
 * Times are UTC. Lines that share a minute (or second) get one microsecond each, in file order, so
 * every message keeps its own key and the order of the file. Blank lines and `#` comments are skipped.
 * Any mistake is one error naming the file and the line.
 */
import { readdir, readFile } from 'node:fs/promises';
import { basename, isAbsolute, join, relative } from 'node:path';
import { CliError } from '../core/errors.js';
import type { Participant } from '../patterns/items.js';
import { instantOf, skTime } from '../patterns/time.js';
import type { SeedConversation, SeedData, SeedMessage } from './data.js';
import { uuidFromName } from './ids.js';

const HANDLE = /^@?([A-Za-z0-9_.-]+)$/;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const MESSAGE_LINE = /^(\d{4}-\d{2}-\d{2})[ T](\d{2}:\d{2}(?::\d{2})?)\s+@([A-Za-z0-9_.-]+):(.*)$/;

/** A path as short as it can be shown: relative to the working folder `cwd` when inside it (as given without one). */
function shownPath(file: string, cwd: string | undefined): string {
  if (cwd === undefined) return file;
  const inside = relative(cwd, file);
  return inside === '' || inside.startsWith('..') || isAbsolute(inside) ? file : inside;
}

/** `file` as it is shown (readSeedDir shortens it once, before parsing). */
export function malformed(file: string, line: number, what: string): CliError {
  return new CliError('seed.malformed', `${file}:${line}: ${what}`, { hint: 'Fix that line and run seed again' });
}

/** Lines worth reading, with their 1-based numbers. */
function contentLines(text: string): Array<[number, string]> {
  return text
    .split(/\r?\n/)
    .map((line, i): [number, string] => [i + 1, line.trim()])
    .filter(([, line]) => line !== '' && !line.startsWith('#'));
}

export function parseUsers(file: string, text: string): Participant[] {
  const users: Participant[] = [];
  const seen = new Set<string>();
  for (const [number, line] of contentLines(text)) {
    const fields = line.split('|').map((field) => field.trim());
    if (fields.length < 2 || fields.length > 3) throw malformed(file, number, 'expected "@handle | Display Name | uuid"');
    const handle = HANDLE.exec(fields[0]!)?.[1];
    if (!handle) throw malformed(file, number, `"${fields[0]}" is not a handle (letters, digits, _ . -)`);
    if (seen.has(handle)) throw malformed(file, number, `@${handle} is listed twice`);
    if (!fields[1]) throw malformed(file, number, `@${handle} has no display name`);
    const uuid = fields[2] || uuidFromName(`user:${handle}`);
    if (!UUID.test(uuid)) throw malformed(file, number, `"${uuid}" is not a uuid`);
    seen.add(handle);
    users.push({ handle, displayName: fields[1], uuid: uuid.toLowerCase() });
  }
  if (users.length === 0) throw malformed(file, 1, 'no users');
  return users;
}

/** A valid UTC time from the file's date and time, or undefined (e.g. 2026-02-30). */
function utc(date: string, time: string): Date | undefined {
  try {
    return new Date(Number(instantOf(`${date}T${time}Z`) / 1000n));
  } catch {
    return undefined;
  }
}

export function parseConversation(file: string, text: string, known: Set<string>): SeedConversation {
  const messages: SeedMessage[] = [];
  const handles: string[] = [];
  const lines = contentLines(text);
  let previous: { time: number; micros: number } | undefined;
  for (const [number, line] of lines) {
    const match = MESSAGE_LINE.exec(line);
    if (!match) throw malformed(file, number, 'expected "YYYY-MM-DD HH:MM @handle: message"');
    const [, date, time, handle, rawText] = match as unknown as [string, string, string, string, string];
    const when = utc(date, time);
    if (!when) throw malformed(file, number, `${date} ${time} is not a real date and time`);
    if (!known.has(handle)) throw malformed(file, number, `@${handle} is not in users.txt`);
    if (!handles.includes(handle)) {
      if (handles.length === 2) throw malformed(file, number, `@${handle} would be a third person; a conversation has two (@${handles[0]}, @${handles[1]})`);
      handles.push(handle);
    }
    const messageText = rawText.trim();
    if (!messageText) throw malformed(file, number, 'the message is empty');
    if (previous && when.getTime() < previous.time) throw malformed(file, number, 'this time is earlier than the line before; keep the lines in order');
    const micros = previous && when.getTime() === previous.time ? previous.micros + 1 : 0;
    if (micros > 999) throw malformed(file, number, 'more than 1000 messages share this time');
    previous = { time: when.getTime(), micros };
    messages.push({ handle, sk: skTime(when, micros), text: messageText, line: number });
  }
  if (handles.length < 2) throw malformed(file, lines[0]?.[0] ?? 1, 'a conversation needs messages from two people');
  const name = basename(file, '.txt');
  return { source: file, messageGroupUuid: uuidFromName(`conversation:${name}`), handles: handles as [string, string], messages };
}

/**
 * A seed file's text. Refused with file:line: bytes that are not UTF-8 (they would be stored as U+FFFD
 * silently), and with the path: anything that cannot be read as a file (a folder named *.txt, no access).
 */
async function readText(file: string, shown: string, missing?: (error: NodeJS.ErrnoException) => CliError): Promise<string> {
  let bytes: Buffer;
  try {
    bytes = await readFile(file);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (missing && code === 'ENOENT') throw missing(error as NodeJS.ErrnoException);
    const what = code === 'EISDIR' ? 'is a folder, not a file' : code === 'EACCES' ? 'cannot be read (permission denied)' : `cannot be read (${code ?? (error as Error).message})`;
    throw new CliError('seed.unreadable', `${shown} ${what}`, { hint: 'Seed files are text files; move or rename it' });
  }
  const decoder = new TextDecoder('utf-8', { fatal: true });
  try {
    return decoder.decode(bytes);
  } catch {
    // Find the first line that does not decode, to name it.
    let start = 0;
    for (let line = 1; ; line++) {
      const end = bytes.indexOf(0x0a, start);
      const slice = bytes.subarray(start, end === -1 ? bytes.length : end);
      try {
        decoder.decode(slice);
      } catch {
        throw malformed(shown, line, 'not UTF-8 text (save the file as UTF-8)');
      }
      if (end === -1) throw malformed(shown, line, 'not UTF-8 text (save the file as UTF-8)');
      start = end + 1;
    }
  }
}

/**
 * Reads `<dir>/users.txt` and every `<dir>/conversations/*.txt`, in name order. Files are named in
 * messages relative to `cwd` (the run's working folder) when inside it.
 */
export async function readSeedDir(dir: string, cwd?: string): Promise<SeedData> {
  const usersFile = join(dir, 'users.txt');
  const usersText = await readText(
    usersFile,
    shownPath(usersFile, cwd),
    (error) => new CliError('seed.missing', `Cannot read ${usersFile}: ${error.code ?? error.message}`, { hint: 'Pass --dir with a folder holding users.txt and conversations/' }),
  );
  const users = parseUsers(shownPath(usersFile, cwd), usersText);
  const known = new Set(users.map((user) => user.handle));
  const conversationsDir = join(dir, 'conversations');
  const names = (await readdir(conversationsDir).catch(() => [] as string[])).filter((name) => name.endsWith('.txt')).sort();
  if (names.length === 0) throw new CliError('seed.missing', `No conversations in ${conversationsDir}`, { hint: 'Add one .txt transcript per conversation there' });
  const conversations: SeedConversation[] = [];
  for (const name of names) {
    const file = join(conversationsDir, name);
    const shown = shownPath(file, cwd);
    conversations.push(parseConversation(shown, await readText(file, shown), known));
  }
  return { users, conversations };
}
