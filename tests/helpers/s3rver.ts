/**
 * A real S3 (s3rver, npm) on a free port of 127.0.0.1, on a folder of its own, for the tests that
 * read or write S3. s3rver checks signatures with its one account, S3RVER/S3RVER: the tool gets those
 * keys through AWS_ACCESS_KEY_ID / AWS_SECRET_ACCESS_KEY (DynamoDB Local takes any alphanumeric key).
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { S3Client } from '@aws-sdk/client-s3';
// s3rver ships no types.
// @ts-expect-error no declaration file
import S3rver from 's3rver';

export interface TestS3 {
  url: string;
  /** The tool's environment for this S3. */
  env: Record<string, string>;
  client: S3Client;
  stop(): Promise<void>;
}

export const S3RVER_KEYS = { AWS_ACCESS_KEY_ID: 'S3RVER', AWS_SECRET_ACCESS_KEY: 'S3RVER' };

export async function startS3(buckets: string[]): Promise<TestS3> {
  const directory = mkdtempSync(join(tmpdir(), 'cruddur-s3rver-'));
  const server = new S3rver({ port: 0, address: '127.0.0.1', silent: true, directory, configureBuckets: buckets.map((name) => ({ name })) });
  const { port } = (await server.run()) as { port: number };
  const url = `http://127.0.0.1:${port}`;
  const client = new S3Client({
    endpoint: url,
    region: 'us-east-1',
    forcePathStyle: true,
    credentials: { accessKeyId: 'S3RVER', secretAccessKey: 'S3RVER' },
    requestChecksumCalculation: 'WHEN_REQUIRED',
    responseChecksumValidation: 'WHEN_REQUIRED',
  });
  return {
    url,
    env: { AWS_ENDPOINT_URL_S3: url, ...S3RVER_KEYS },
    client,
    stop: async () => {
      client.destroy();
      await server.close();
      rmSync(directory, { recursive: true, force: true });
    },
  };
}
