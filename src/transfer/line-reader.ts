/**
 * The lines of an export file (or stdin), gunzipped when the name ends in `.gz`, read as bytes and
 * checked as they come:
 *   - a line longer than `maxBytes` is refused as soon as that many bytes have arrived, with its
 *     number, so a 1 GB line costs 4 MB of reading, not minutes and a heap;
 *   - the bytes of a line must be UTF-8 (the format's encoding): anything else is refused with its
 *     line, instead of becoming U+FFFD and landing in the table changed;
 *   - blank lines are counted and skipped here, without a hand-over each, so a file of nothing but
 *     newlines reads at the speed of the disk.
 * Each byte is looked at once, so reading stays linear in the input whatever the line lengths.
 */
import { createReadStream } from 'node:fs';
import type { Readable } from 'node:stream';
import { createGunzip } from 'node:zlib';
import { CliError } from '../core/errors.js';
import { isGzipName } from './files.js';

/**
 * The longest line read: an item is at most 400 KB (https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/ServiceQuotas.html),
 * and its typed JSON at most ~7.5x that (a list of `{"BOOL":false}` costs 15 characters for 2 bytes
 * of item; a string of control characters 6 for 1), so no line of a real item comes near 4 MiB.
 */
export const MAX_LINE_BYTES = 4 * 1024 * 1024;

export interface Line {
  /** 1-based, counting blank lines. */
  number: number;
  text: string;
}

const NEWLINE = 0x0a;
/** Bytes that leave a line blank: space, tab, carriage return. */
const isBlankByte = (byte: number) => byte === 0x20 || byte === 0x09 || byte === 0x0d;

export function readLines(file: string, stdin: NodeJS.ReadableStream, maxBytes = MAX_LINE_BYTES): AsyncGenerator<Line> {
  const raw: Readable = file === '-' ? (stdin as Readable) : createReadStream(file);
  return readLinesFrom(raw, file === '-' ? 'stdin' : file, isGzipName(file), maxBytes);
}

/** The same, from a stream already open (an S3 object, a data file of AWS's layout), named `name` in errors. */
export async function* readLinesFrom(raw: Readable, name: string, gzip: boolean, maxBytes = MAX_LINE_BYTES): AsyncGenerator<Line> {
  let source = raw;
  if (gzip) {
    const gunzip = createGunzip();
    raw.on('error', (error) => gunzip.destroy(error));
    source = raw.pipe(gunzip);
  }
  const utf8 = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true });
  let number = 1;
  // The current line so far: its pieces, their total length, and whether any byte is not blank.
  let pieces: Buffer[] = [];
  let length = 0;
  let blank = true;

  const decode = (): Line => {
    const bytes = pieces.length === 1 ? pieces[0]! : Buffer.concat(pieces, length);
    let text: string;
    try {
      text = utf8.decode(bytes);
    } catch {
      throw new CliError('import.not_utf8', `${name}:${number}: this line is not UTF-8 (an export file is UTF-8)`, {
        hint: 'Convert the file to UTF-8 (e.g. iconv -t UTF-8), or fix that line',
      });
    }
    if (number === 1 && text.startsWith('\uFEFF')) text = text.slice(1); // a byte order mark some editors add
    if (text.endsWith('\r')) text = text.slice(0, -1);
    return { number, text };
  };
  const tooLong = () =>
    new CliError(
      'import.line_too_long',
      `${name}:${number}: this line is longer than ${maxBytes / 1024 / 1024} MiB; no item of DynamoDB's (400 KB at most) makes one`,
      {
        hint: 'Is this an export file? Each item is one line of typed JSON',
      },
    );

  try {
    for await (const piece of source as AsyncIterable<Buffer | string>) {
      // A stream someone set to text (a test's stdin, a wrapper) hands strings: back to bytes.
      const chunk = typeof piece === 'string' ? Buffer.from(piece, 'utf8') : piece;
      let start = 0;
      let i = 0;
      while (i < chunk.length) {
        if (blank) {
          // Byte by byte only while the line is blank so far; once it is not, jump to its end.
          const byte = chunk[i]!;
          if (byte !== NEWLINE) {
            if (!isBlankByte(byte)) blank = false;
            i++;
            continue;
          }
        } else {
          const end = chunk.indexOf(NEWLINE, i);
          if (end === -1) break;
          i = end;
          if (length + i - start > maxBytes) throw tooLong();
          pieces.push(chunk.subarray(start, i));
          length += i - start;
          yield decode();
        }
        number++;
        pieces = [];
        length = 0;
        blank = true;
        start = ++i;
      }
      // The rest of the chunk begins the next line; a blank rest need not be kept.
      if (!blank) {
        length += chunk.length - start;
        if (length > maxBytes) throw tooLong();
        pieces.push(chunk.subarray(start));
      }
    }
    if (!blank) yield decode();
  } catch (error) {
    if (error instanceof CliError) throw error;
    const err = error as NodeJS.ErrnoException;
    if (err.code === 'ENOENT') throw new CliError('import.no_file', `${name} does not exist`, { hint: 'Check the path, or pass - to read stdin' });
    if (err.code === 'EISDIR') throw new CliError('import.no_file', `${name} is a folder, not a file`, { hint: 'Give the path of an export file' });
    if (err.code?.startsWith('Z_'))
      throw new CliError('import.bad_gzip', `${name} is not valid gzip (${err.message})`, {
        hint: 'Only files ending in .gz are unzipped: rename it, or gunzip it first',
      });
    throw new CliError('import.read_failed', `${name}:${number}: cannot read: ${err.message}`, { cause: error });
  } finally {
    raw.destroy();
  }
}
