/** A Place in S3: a bucket and prefix, read and written through src/aws/s3.ts (the SDK's own client). */
import type { S3Client } from '@aws-sdk/client-s3';
import { checkBucket, deleteObjects, keyUnder, listUnder, objectExists, parseS3Url, readObject, uploadObject, type S3Location } from '../../aws/s3.js';
import type { Place } from './place.js';

export function s3Place(client: S3Client, location: S3Location): Place {
  const full = (key: string) => keyUnder(location, key);
  return {
    name: (key) => `s3://${location.bucket}/${full(key)}`,
    manifestKey: full,
    s3: location,
    folders: async (folder) => {
      const prefix = folder ? `${full(folder)}/` : location.prefix ? `${location.prefix}/` : '';
      const { folders } = await listUnder(client, location.bucket, prefix, '/');
      return folders.map((name) => name.slice(prefix.length).replace(/\/$/, ''));
    },
    exists: (key) => objectExists(client, location.bucket, full(key)),
    read: (key) => readObject(client, location.bucket, full(key)),
    write: (key, body) => uploadObject(client, location.bucket, full(key), body),
    remove: (keys) => deleteObjects(client, location.bucket, keys.map(full)),
    at: (key) => {
      const parts = location.prefix ? location.prefix.split('/') : [];
      for (const part of key.split('/').filter(Boolean)) {
        if (part === '..') parts.pop();
        else parts.push(part);
      }
      return s3Place(client, { bucket: location.bucket, prefix: parts.join('/') });
    },
  };
}

/** `s3://bucket/prefix` as a Place; the bucket is checked first, so a missing one is one line before anything else. */
export async function openS3Place(spec: string, s3: () => Promise<S3Client>): Promise<Place> {
  const location = parseS3Url(spec);
  const client = await s3();
  await checkBucket(client, location.bucket);
  return s3Place(client, location);
}
