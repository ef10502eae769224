/**
 * Where export files go: a file (gzip when its name ends in `.gz`) or stdout. Writing honours
 * back-pressure, so a table of any size passes in constant memory. A failed export removes its
 * half-written file. (Reading them back: line-reader.ts.)
 */
import { once } from 'node:events';
import { createWriteStream } from 'node:fs';
import { rm } from 'node:fs/promises';
import type { Writable } from 'node:stream';
import { finished } from 'node:stream/promises';
import { createGzip } from 'node:zlib';
import { CliError } from '../core/errors.js';

export const isGzipName = (name: string) => name.toLowerCase().endsWith('.gz');

export interface Output {
  write(text: string): Promise<void>;
  /** Flushes and closes; returns the bytes that reached the file (compressed size for .gz) or stdout. */
  close(): Promise<number>;
  /** Stops and removes the half-written file. */
  abort(): Promise<void>;
}

export function openOutput(file: string | undefined, stdout?: Writable): Output {
  let bytes = 0;
  if (file === undefined || file === '-') {
    if (!stdout) throw new Error('openOutput: no stdout handed in for "-"');
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
      if (!head.write(text)) {
        // Both waits are ended once one is over: a listener left on the file for every full buffer piled up
        // (MaxListenersExceededWarning after 11 of them on a large export).
        const over = new AbortController();
        await Promise.race([once(head, 'drain', { signal: over.signal }), once(fileStream, 'error', { signal: over.signal })]).catch(() => undefined);
        over.abort();
      }
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
