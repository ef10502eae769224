/**
 * S3 through the SDK's own client: `s3://bucket/prefix` locations, and a client built from the same
 * settings as the DynamoDB one. Loaded lazily, like src/aws/clients.ts, by the commands that read or
 * write S3 (export/import in AWS's layout, the managed export and import).
 */
import type { Readable } from 'node:stream';
import { DeleteObjectsCommand, GetObjectCommand, HeadBucketCommand, HeadObjectCommand, ListObjectsV2Command, S3Client } from '@aws-sdk/client-s3';
import { Upload } from '@aws-sdk/lib-storage';
import { CliError, UsageError } from '../core/errors.js';
import { clientOptions, isUnreachable, type AwsSettings } from './clients.js';

export interface S3Location {
  bucket: string;
  /** The key prefix without a leading slash; '' for the bucket's root, else ending without a slash. */
  prefix: string;
}

export const isS3Url = (value: string): boolean => /^s3:\/\//i.test(value);

/** Bucket names: 3–63 lowercase letters, digits, dots and hyphens (AWS's rules, the part a client can check). */
const BUCKET = /^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/;

/** `s3://bucket/some/prefix/` → { bucket, prefix: 'some/prefix' }; a URL without a valid bucket is a usage error. */
export function parseS3Url(url: string): S3Location {
  const match = /^s3:\/\/([^/]*)\/?(.*)$/i.exec(url);
  const bucket = match?.[1] ?? '';
  if (!match || !bucket) throw new UsageError('s3.bad_url', `"${url}" names no bucket`, 'Write it as s3://bucket/prefix');
  if (!BUCKET.test(bucket))
    throw new UsageError('s3.bad_url', `"${bucket}" is not an S3 bucket name`, 'Bucket names are 3-63 lowercase letters, digits, dots and hyphens');
  return { bucket, prefix: match[2]!.replace(/\/+$/, '') };
}

/** The key of `name` under a location's prefix. */
export const keyUnder = (location: S3Location, name: string): string => (location.prefix ? `${location.prefix}/${name}` : name);

/**
 * A client for S3: AWS's own endpoint in prod; with an endpoint (AWS_ENDPOINT_URL_S3, or the
 * AWS_ENDPOINT_URL every service shares), path-style addressing, as local S3 servers (s3rver,
 * moto_server) need, and checksums only where an operation requires them (local servers reject the
 * SDK's newer default trailers).
 */
export function createS3Client(settings: AwsSettings, endpoint: string | undefined): S3Client {
  return new S3Client({
    ...clientOptions(settings, endpoint),
    ...(endpoint ? { forcePathStyle: true, requestChecksumCalculation: 'WHEN_REQUIRED', responseChecksumValidation: 'WHEN_REQUIRED' } : {}),
  });
}

/** Whether a bucket exists: HeadBucket's 404 says no; a 403 (it exists, but this caller may not list it) says yes. */
export async function bucketExists(client: S3Client, bucket: string): Promise<boolean> {
  try {
    await client.send(new HeadBucketCommand({ Bucket: bucket }));
    return true;
  } catch (error) {
    const status = (error as { $metadata?: { httpStatusCode?: number } }).$metadata?.httpStatusCode;
    const name = (error as { name?: string }).name;
    if (status === 404 || name === 'NotFound' || name === 'NoSuchBucket') return false;
    if (status === 403) return true;
    throw error;
  }
}

/** An object's body as text, or undefined when there is no such key. */
export async function readObjectText(client: S3Client, bucket: string, key: string): Promise<string | undefined> {
  try {
    const answer = await client.send(new GetObjectCommand({ Bucket: bucket, Key: key }));
    return await answer.Body!.transformToString('utf8');
  } catch (error) {
    const name = (error as { name?: string }).name;
    if (name === 'NoSuchKey' || (error as { $metadata?: { httpStatusCode?: number } }).$metadata?.httpStatusCode === 404) return undefined;
    throw error;
  }
}

/** The "folders" right under `prefix` (ending in /), as ListObjectsV2 with a delimiter names them; at most `limit`. */
export async function listFolders(client: S3Client, bucket: string, prefix: string, limit = 1000): Promise<string[]> {
  const folders: string[] = [];
  let token: string | undefined;
  do {
    const page = await client.send(new ListObjectsV2Command({ Bucket: bucket, Prefix: prefix, Delimiter: '/', ContinuationToken: token }));
    for (const common of page.CommonPrefixes ?? []) if (common.Prefix) folders.push(common.Prefix);
    token = page.NextContinuationToken;
  } while (token && folders.length < limit);
  return folders.slice(0, limit);
}

// --- Objects: listing, reading and streaming writes (AWS's export layout reads and writes through these). ---

/** S3's answer for a bucket that is not there (or an S3 that does not answer), as one line naming it. */
function bucketMissing(error: unknown, bucket: string): never {
  // Said here: the entry would name DynamoDB's endpoint for a refused connection.
  if (isUnreachable(error))
    throw new CliError('endpoint.unreachable', `S3 is not answering (bucket ${bucket})`, {
      hint: 'Check AWS_ENDPOINT_URL_S3 (or AWS_ENDPOINT_URL) and your network',
      cause: error,
    });
  const name = (error as { name?: string; Code?: string }).name ?? '';
  if (name === 'NoSuchBucket' || (error as { $metadata?: { httpStatusCode?: number } }).$metadata?.httpStatusCode === 404) {
    throw new CliError('s3.no_bucket', `Bucket "${bucket}" does not exist`, {
      hint: 'Check the s3:// URL (and AWS_ENDPOINT_URL_S3 for a local S3)',
      cause: error,
    });
  }
  throw error;
}

/**
 * The keys under `prefix` (a "folder": end it with '/'), one level deep with `delimiter` '/':
 * `folders` are the common prefixes below it, `keys` the objects at that level. All pages.
 */
export async function listUnder(client: S3Client, bucket: string, prefix: string, delimiter?: string): Promise<{ keys: string[]; folders: string[] }> {
  const keys: string[] = [];
  const folders: string[] = [];
  let token: string | undefined;
  do {
    let page;
    try {
      page = await client.send(new ListObjectsV2Command({ Bucket: bucket, Prefix: prefix, Delimiter: delimiter, ContinuationToken: token }));
    } catch (error) {
      bucketMissing(error, bucket);
    }
    for (const object of page.Contents ?? []) if (object.Key) keys.push(object.Key);
    for (const folder of page.CommonPrefixes ?? []) if (folder.Prefix) folders.push(folder.Prefix);
    token = page.IsTruncated ? page.NextContinuationToken : undefined;
  } while (token);
  return { keys, folders };
}

/** An object's bytes as a stream (read as they arrive: a data file of any size costs a buffer, not its size). */
export async function readObject(client: S3Client, bucket: string, key: string): Promise<Readable> {
  try {
    const answer = await client.send(new GetObjectCommand({ Bucket: bucket, Key: key }));
    return answer.Body as Readable;
  } catch (error) {
    if ((error as { name?: string }).name === 'NoSuchKey') throw new CliError('s3.no_object', `s3://${bucket}/${key} does not exist`, { cause: error });
    return bucketMissing(error, bucket);
  }
}

/** Whether an object exists (HEAD). */
export async function objectExists(client: S3Client, bucket: string, key: string): Promise<boolean> {
  try {
    await client.send(new HeadObjectCommand({ Bucket: bucket, Key: key }));
    return true;
  } catch (error) {
    if ((error as { name?: string }).name === 'NotFound' || (error as { name?: string }).name === 'NoSuchKey') return false;
    return bucketMissing(error, bucket);
  }
}

/** Fails with one line when the bucket is not there (before an export writes anything). */
export async function checkBucket(client: S3Client, bucket: string): Promise<void> {
  try {
    await client.send(new HeadBucketCommand({ Bucket: bucket }));
  } catch (error) {
    bucketMissing(error, bucket);
  }
}

/**
 * Streams `body` into an object through lib-storage's Upload: one PutObject for a small body,
 * a multipart upload of 5 MB parts for a large one, never more than `queueSize` parts in memory,
 * so an object of any size costs the same. Returns the ETag S3 gave it (quotes removed).
 */
export async function uploadObject(client: S3Client, bucket: string, key: string, body: Readable | string): Promise<string> {
  const upload = new Upload({ client, params: { Bucket: bucket, Key: key, Body: body }, queueSize: 1, partSize: 5 * 1024 * 1024 });
  try {
    const done = await upload.done();
    return (done.ETag ?? '').replace(/"/g, '');
  } catch (error) {
    return bucketMissing(error, bucket);
  }
}

/** Removes objects (a failed export's half-written files); errors are left to the caller's first one. */
export async function deleteObjects(client: S3Client, bucket: string, keys: string[]): Promise<void> {
  for (let start = 0; start < keys.length; start += 1000) {
    // DeleteObjects takes at most 1,000 keys (https://docs.aws.amazon.com/AmazonS3/latest/API/API_DeleteObjects.html).
    const chunk = keys.slice(start, start + 1000);
    await client.send(new DeleteObjectsCommand({ Bucket: bucket, Delete: { Objects: chunk.map((Key) => ({ Key })), Quiet: true } }));
  }
}
