/**
 * A real S3 (s3rver, npm) on a free port of 127.0.0.1, on a folder of its own, in a child process
 * (tests/helpers/s3rver-server.mjs: a test that blocks on spawnSync must not block its S3 too).
 * s3rver checks signatures with its one account, S3RVER/S3RVER: the tool gets those keys through
 * AWS_ACCESS_KEY_ID / AWS_SECRET_ACCESS_KEY (DynamoDB Local and cognito-local take any alphanumeric key).
 */
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { S3Client } from '@aws-sdk/client-s3';

export interface TestS3 {
  url: string;
  /** The tool's environment for this S3. */
  env: Record<string, string>;
  client: S3Client;
  stop(): Promise<void>;
}

export const S3RVER_KEYS = { AWS_ACCESS_KEY_ID: 'S3RVER', AWS_SECRET_ACCESS_KEY: 'S3RVER' };
const SERVER = fileURLToPath(new URL('./s3rver-server.mjs', import.meta.url));

export async function startS3(buckets: string[]): Promise<TestS3> {
  const directory = mkdtempSync(join(tmpdir(), 'cruddur-s3rver-'));
  const child = spawn(process.execPath, [SERVER, directory, ...buckets], { stdio: ['ignore', 'pipe', 'inherit'] });
  const exited = once(child, 'exit');
  let output = '';
  const port = await new Promise<number>((resolve, reject) => {
    child.stdout.on('data', (chunk: Buffer) => {
      output += chunk.toString();
      if (output.includes('\n')) resolve(Number(output.trim()));
    });
    child.once('exit', (code) => reject(new Error(`s3rver exited with ${code} before it listened`)));
  });
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
      child.kill('SIGTERM');
      await exited;
      rmSync(directory, { recursive: true, force: true });
    },
  };
}
