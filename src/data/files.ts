/**
 * Where export files go and come from: a file (gzip when its name ends in `.gz`) or stdout/stdin.
 * Writing honours back-pressure, and reading goes line by line, so a file of any size passes in
 * constant memory. A failed export removes its half-written file.
 */
import { once } from 'node:events';
import { createReadStream, createWriteStream } from 'node:fs';
import { rm } from 'node:fs/promises';
import type { Readable, Writable } from 'node:stream';
import { finished } from 'node:stream/promises';
import { createGunzip, createGzip } from 'node:zlib';
import { CliError } from '../core/errors.js';

export const isGzipName = (name: string) => name.toLowerCase().endsWith('.gz');

export interface Output {
  write(text: string): Promise<void>;
  /** Flushes and closes; returns the bytes that reached the file (compressed size for .gz) or stdout. */
  close(): Promise<number>;
  /** Stops and removes the half-written file. */
  abort(): Promise<void>;
}

export function openOutput(file: string | undefined, stdout: Writable): Output {
  let bytes = 0;
  if (file === undefined || file === '-') {
    return {
      write: async (text) => {
        bytes += Buffer.byteLength(text);
        if (!stdout.write(text)) await once(stdout, 'drain');
      },
      close: async () => bytes,
      abort: async () => undefined,
    };
  }
  const fileStream = createWriteStream(file);
  const gzip = isGzipName(file) ? createGzip() : undefined;
  if (gzip) gzip.pipe(fileStream);
  const head: Writable = gzip ?? fileStream;
  // An error (disk full, no such folder) is kept and thrown at the next write, with the file named.
  let failure: Error | undefined;
  const fail = (error: Error) => (failure ??= error);
  fileStream.on('error', fail);
  gzip?.on('error', fail);
  const check = () => {
    if (failure)
      throw new CliError('export.write_failed', `Cannot write ${file}: ${failure.message}`, { hint: 'Check the path and the free space', cause: failure });
  };
  return {
    write: async (text) => {
      check();
      if (!head.write(text)) await Promise.race([once(head, 'drain'), once(fileStream, 'error')]).catch(() => undefined);
      check();
    },
    close: async () => {
      head.end();
      await finished(fileStream).catch(fail);
      check();
      return fileStream.bytesWritten;
    },
    abort: async () => {
      gzip?.destroy();
      fileStream.destroy();
      await rm(file, { force: true });
    },
  };
}

/**
 * Lines of a file or stdin, gunzipped when the name ends in `.gz`, with read errors named by file.
 * The stream is pulled a chunk at a time (async iteration waits for us), so only the lines of one
 * chunk (64 KB) are held however far ahead the disk is of the writer.
 */
export async function* readLines(file: string, stdin: NodeJS.ReadableStream): AsyncGenerator<string> {
  const name = file === '-' ? 'stdin' : file;
  const raw: Readable = file === '-' ? (stdin as Readable) : createReadStream(file);
  let source = raw;
  if (isGzipName(file)) {
    const gunzip = createGunzip();
    raw.on('error', (error) => gunzip.destroy(error));
    source = raw.pipe(gunzip);
  }
  source.setEncoding('utf8');
  try {
    let rest = '';
    for await (const chunk of source as AsyncIterable<string>) {
      const lines = (rest + chunk).split('\n');
      rest = lines.pop()!;
      for (const line of lines) yield line.endsWith('\r') ? line.slice(0, -1) : line;
    }
    if (rest !== '') yield rest;
  } catch (error) {
    const err = error as NodeJS.ErrnoException;
    if (err.code === 'ENOENT') throw new CliError('import.no_file', `${name} does not exist`, { hint: 'Check the path, or pass - to read stdin' });
    if (err.code === 'EISDIR') throw new CliError('import.no_file', `${name} is a folder, not a file`, { hint: 'Give the path of an export file' });
    if (err.code?.startsWith('Z_'))
      throw new CliError('import.bad_gzip', `${name} is not valid gzip (${err.message})`, {
        hint: 'Only files ending in .gz are unzipped: rename it, or gunzip it first',
      });
    if (error instanceof CliError) throw error;
    throw new CliError('import.read_failed', `Cannot read ${name}: ${err.message}`, { cause: error });
  } finally {
    raw.destroy();
  }
}
