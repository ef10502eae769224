/**
 * S3 through the SDK's own client: `s3://bucket/prefix` locations, and a client built from the same
 * settings as the DynamoDB one. Loaded lazily, like src/aws/clients.ts, by the commands that read or
 * write S3 (export/import in AWS's layout, the managed export and import).
 */
import { GetObjectCommand, HeadBucketCommand, ListObjectsV2Command, S3Client } from '@aws-sdk/client-s3';
import { UsageError } from '../core/errors.js';
import { clientOptions, type AwsSettings } from './clients.js';

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
