/** Small stream helpers of the layout's reader and writer. */
import { createHash, type Hash } from 'node:crypto';
import { Transform, type Readable } from 'node:stream';

export async function readAll(stream: Readable): Promise<string> {
  const pieces: Buffer[] = [];
  for await (const piece of stream) pieces.push(typeof piece === 'string' ? Buffer.from(piece) : (piece as Buffer));
  return Buffer.concat(pieces).toString('utf8');
}

/** A pass-through that hashes (MD5, as the manifest's md5Checksum and a one-part ETag are) and counts what flows. */
export interface Tap extends Transform {
  md5: Hash;
  bytes: number;
}

export function md5Tap(): Tap {
  const md5 = createHash('md5');
  const tap = new Transform({
    transform(chunk: Buffer, _encoding, callback) {
      md5.update(chunk);
      tap.bytes += chunk.length;
      callback(null, chunk);
    },
  }) as Tap;
  tap.md5 = md5;
  tap.bytes = 0;
  return tap;
}
