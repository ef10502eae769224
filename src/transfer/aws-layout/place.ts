/**
 * Where AWS's export layout is read from or written to: a folder on this machine, or an S3 bucket
 * and prefix (through src/aws/s3.ts, never a signer of ours). Keys are '/'-separated and relative to
 * the place's root, so the reader and the writer never care which of the two they hold.
 */
import { createReadStream, createWriteStream } from 'node:fs';
import { access, mkdir, readdir, rm, rmdir } from 'node:fs/promises';
import { dirname, join, resolve } from 'node:path';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type { S3Client } from '@aws-sdk/client-s3';
import { CliError } from '../../core/errors.js';
import type { S3Location } from '../../aws/s3.js';
import { looksLikeS3 } from './open.js';

export interface Place {
  /** The folder or s3:// URL of a key, for messages. */
  name(key: string): string;
  /** The key as a manifest names it: the bucket's key (with the prefix) in S3, the relative path in a folder. */
  manifestKey(key: string): string;
  /** The sub-folders directly under `folder` ('' for the root), by name. */
  folders(folder: string): Promise<string[]>;
  exists(key: string): Promise<boolean>;
  read(key: string): Promise<Readable>;
  /** Writes the whole body; returns S3's ETag when S3 gave one. */
  write(key: string, body: Readable | string): Promise<string | undefined>;
  /** Removes what a failed export wrote. */
  remove(keys: string[]): Promise<void>;
  /** The bucket and prefix, for an S3 place (the summary names them). */
  s3?: S3Location;
  /** The same place with its root moved to `key` ('..' for the parent). */
  at(key: string): Place;
}

const joinKey = (folder: string, name: string) => (folder ? `${folder.replace(/\/+$/, '')}/${name}` : name);

export function folderPlace(root: string): Place {
  const path = (key: string) => join(root, ...key.split('/').filter(Boolean));
  return {
    name: (key) => path(key),
    manifestKey: (key) => key,
    folders: async (folder) => {
      try {
        return (await readdir(path(folder), { withFileTypes: true })).filter((entry) => entry.isDirectory()).map((entry) => entry.name);
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code === 'ENOENT') return [];
        throw error;
      }
    },
    exists: async (key) =>
      access(path(key)).then(
        () => true,
        () => false,
      ),
    read: async (key) => {
      const stream = createReadStream(path(key));
      // Opened before it is handed over, so a missing file is one line here, not an error event later.
      await new Promise<void>((ok, fail) => stream.once('open', () => ok()).once('error', fail)).catch((error: NodeJS.ErrnoException) => {
        throw new CliError('s3.no_object', `${path(key)} ${error.code === 'ENOENT' ? 'does not exist' : `cannot be read (${error.message})`}`, {
          hint: 'The manifest names it: is the export folder complete?',
        });
      });
      return stream;
    },
    write: async (key, body) => {
      await mkdir(dirname(path(key)), { recursive: true });
      await pipeline(typeof body === 'string' ? Readable.from([body]) : body, createWriteStream(path(key)));
      return undefined;
    },
    remove: async (keys) => {
      for (const key of keys) await rm(path(key), { force: true });
      // And the folders they leave empty (data/, the export's own), deepest first; a folder still holding something stays.
      const folders = new Set(
        keys.flatMap((key) =>
          key
            .split('/')
            .slice(0, -1)
            .map((_, i, parts) => parts.slice(0, i + 1).join('/')),
        ),
      );
      for (const folder of [...folders].sort((a, b) => b.length - a.length)) await rmdir(path(folder)).catch(() => undefined);
    },
    at: (key) => folderPlace(resolve(root, ...key.split('/').filter(Boolean))),
  };
}

export { joinKey };

/**
 * The place `spec` names: a folder, or s3://bucket/prefix (src/aws/s3.ts, loaded only then: a folder
 * export or import does not pay for the S3 SDK's start-up).
 */
export async function openPlace(spec: string, s3: () => Promise<S3Client>): Promise<Place> {
  if (!looksLikeS3(spec)) return folderPlace(spec);
  return (await import('./s3-place.js')).openS3Place(spec, s3);
}
