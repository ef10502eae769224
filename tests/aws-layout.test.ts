/**
 * AWS's export layout (src/transfer/aws-layout/): `import` and `copy --from` of hand-made exports that
 * follow AWS's docs (tests/fixtures/aws-export/make.mjs), a full and an incremental one; `export
 * --layout aws` to a folder and to a real S3 (s3rver); and every bad input as one line with nothing
 * written.
 */
import { cpSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, truncateSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createHash } from 'node:crypto';
import { gunzipSync, gzipSync } from 'node:zlib';
import { GetObjectCommand, ListObjectsV2Command } from '@aws-sdk/client-s3';
import { DescribeTableCommand, ScanCommand } from '@aws-sdk/client-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { messagesTableInput } from '../src/patterns/table.js';
import { createMessagesTable, oneLineError, run, tableName, testClient } from './helpers/cli.js';
import { startS3, type TestS3 } from './helpers/s3rver.js';

const FIXTURES = new URL('./fixtures/aws-export/', import.meta.url).pathname;
const FULL = join(FIXTURES, 'full');
const INCREMENTAL = join(FIXTURES, 'incremental');
const FULL_ID = '01764800000000-a1b2c3d4';
const INCREMENTAL_ID = '01764900000000-e5f6a7b8';
const BUCKET = 'cruddur-exports';

let work: string;
let shapeFile: string;
let s3: TestS3;
const client = testClient();

beforeAll(async () => {
  work = mkdtempSync(join(tmpdir(), 'cruddur-aws-layout-'));
  shapeFile = join(work, 'cruddur-table.json');
  writeFileSync(shapeFile, JSON.stringify({ format: 'cruddur-ddb-table', version: 1, table: messagesTableInput('cruddur-messages') }) + '\n');
  s3 = await startS3([BUCKET]);
});
afterAll(async () => {
  client.destroy();
  await s3?.stop();
  rmSync(work, { recursive: true, force: true });
});

async function items(table: string) {
  const found: Array<Record<string, { S?: string; N?: string }>> = [];
  let start: Record<string, never> | undefined;
  do {
    const page = await client.send(new ScanCommand({ TableName: table, ExclusiveStartKey: start }));
    found.push(...((page.Items ?? []) as never[]));
    start = page.LastEvaluatedKey as never;
  } while (start);
  return found;
}
const byKey = (list: Awaited<ReturnType<typeof items>>) => new Map(list.map((item) => [`${item.pk!.S} ${item.sk!.S}`, item]));

async function tableExists(table: string) {
  try {
    await client.send(new DescribeTableCommand({ TableName: table }));
    return true;
  } catch {
    return false;
  }
}

/** A copy of a fixture to break. */
function copyOf(fixture: string): string {
  const to = mkdtempSync(join(work, 'copy-'));
  cpSync(fixture, to, { recursive: true });
  return to;
}
const dataFiles = (root: string, id: string) =>
  readdirSync(join(root, 'AWSDynamoDB', id, 'data'))
    .sort()
    .map((name) => join(root, 'AWSDynamoDB', id, 'data', name));

describe("import of AWS's layout", () => {
  it("reads a full export written to the letter of the docs, with the real backend's times and duplicate group items", async () => {
    const table = tableName('aws-full');
    const result = await run(['import', FULL, '--table', table, '--shape', shapeFile, '-o', 'json']);
    expect(result.stderr).toContain(`Checked 3 data files of export ${FULL_ID}: 9 records`);
    expect(result.code).toBe(0);
    const summary = JSON.parse(result.stdout);
    expect(summary).toMatchObject({ table, exportId: FULL_ID, exportType: 'FULL_EXPORT', created: true, records: 9, items: 9, deleted: 0 });
    const all = byKey(await items(table));
    expect(all.size).toBe(9);
    expect(all.get('MSG#6fd7060e-c610-5e79-b5f3-167bc0fa37bb 2026-11-30T09:14:00.000000')?.message?.S).toBe('Are you coming to the bootcamp?');
    expect(all.get('GRP#5ae290ed-55d1-47a0-bc6d-fe2bc2700399 2026-11-30T09:16:00.000000-05:00')).toBeDefined();
    expect(all.get('GRP#5ae290ed-55d1-47a0-bc6d-fe2bc2700399 2026-11-30T09:15:30.120000')).toBeDefined();
    expect(all.get('MSG#numbers 2026-11-30T00:00:00.000000+00:00')?.count?.N).toBe('12345678901234567890123456789012345678');
    // A re-run writes the same items again and changes nothing.
    expect((await run(['import', FULL, '--table', table, '-o', 'json'])).code).toBe(0);
    expect((await items(table)).length).toBe(9);
  });

  it('applies an incremental export: new images put, a missing NewImage deleted, the last write of a key wins', async () => {
    const table = tableName('aws-incr');
    expect((await run(['import', FULL, '--table', table, '--shape', shapeFile])).code).toBe(0);
    const result = await run(['import', INCREMENTAL, '--table', table, '-o', 'json']);
    expect(result.code, result.stderr).toBe(0);
    expect(JSON.parse(result.stdout)).toMatchObject({ exportType: 'INCREMENTAL_EXPORT', records: 5, items: 3, deleted: 1, created: false });
    const all = byKey(await items(table));
    expect(all.size).toBe(9 - 1 + 2);
    expect(all.get('MSG#6fd7060e-c610-5e79-b5f3-167bc0fa37bb 2026-11-30T09:15:30.120000')?.message?.S).toBe('Yes! See you at 6?');
    expect(all.get('MSG#6fd7060e-c610-5e79-b5f3-167bc0fa37bb 2026-12-02T08:05:00.000000-05:00')?.message?.S).toBe('Final text');
    expect(all.get('MSG#6fd7060e-c610-5e79-b5f3-167bc0fa37bb 2026-12-02T08:00:00.000000')).toBeDefined();
    expect(all.get('GRP#5ae290ed-55d1-47a0-bc6d-fe2bc2700399 2026-11-30T09:15:30.120000')).toBeUndefined();
  });

  it('reads the newest of several exports under one folder, and says so', async () => {
    const root = mkdtempSync(join(work, 'several-'));
    cpSync(join(FULL, 'AWSDynamoDB'), join(root, 'AWSDynamoDB'), { recursive: true });
    cpSync(join(INCREMENTAL, 'AWSDynamoDB'), join(root, 'AWSDynamoDB'), { recursive: true });
    const table = await createMessagesTable('aws-several');
    const result = await run(['import', root, '--table', table, '-o', 'json']);
    expect(result.code, result.stderr).toBe(0);
    expect(result.stderr).toContain(`2 exports under ${root}; reading the newest, ${INCREMENTAL_ID}`);
    // It also takes one export's own folder.
    const one = await run(['import', join(FULL, 'AWSDynamoDB', FULL_ID), '--table', table, '-o', 'json']);
    expect(JSON.parse(one.stdout)).toMatchObject({ exportId: FULL_ID, items: 9 });
  });

  it('copies an export into another DynamoDB with --anonymize', async () => {
    const table = await createMessagesTable('aws-copy');
    const result = await run(['copy', '--from', FULL, '--to', 'local', '--to-table', table, '--anonymize', '-o', 'json']);
    expect(result.code, result.stderr).toBe(0);
    expect(JSON.parse(result.stdout)).toMatchObject({ from: FULL, toTable: table, anonymized: true, items: 9 });
    const handles = (await items(table)).map((item) => item.user_handle?.S).filter(Boolean);
    expect(handles.length).toBeGreaterThan(0);
    expect(handles).not.toContain('andrewbrown');
  });
});

describe('bad exports: one line each, nothing written', () => {
  async function refused(root: string, code: string, text: RegExp, exit = 1) {
    const table = tableName('aws-bad');
    const result = await run(['import', root, '--table', table, '--shape', shapeFile]);
    expect(result.code, result.stderr).toBe(exit);
    expect(oneLineError(result)).toMatch(new RegExp(`^error\\[${code.replace('.', '\\.')}\\]: `));
    expect(oneLineError(result)).toMatch(text);
    expect(await tableExists(table)).toBe(false);
  }

  it('a data file whose MD5 differs from the manifest (same records, other bytes)', async () => {
    const root = copyOf(FULL);
    const file = dataFiles(root, FULL_ID)[2]!;
    writeFileSync(file, gzipSync(gunzipSync(readFileSync(file)), { level: 1 }));
    await refused(root, 'aws_export.mismatch', /tqwdeg7u3m6uxeb4ykcgcn6lyi\.json\.gz has MD5 .* but manifest-files\.json says/);
  });

  it('a data file with fewer records than the manifest counts', async () => {
    const root = copyOf(FULL);
    const file = dataFiles(root, FULL_ID)[0]!;
    const lines = gunzipSync(readFileSync(file)).toString().split('\n').filter(Boolean);
    const body = gzipSync(lines.slice(1).join('\n') + '\n');
    writeFileSync(file, body);
    // The manifest's MD5 is made to match, so the count is what differs.
    const manifest = join(root, 'AWSDynamoDB', FULL_ID, 'manifest-files.json');
    const md5 = createHash('md5').update(body).digest('base64');
    writeFileSync(
      manifest,
      readFileSync(manifest, 'utf8').replace(/"md5Checksum":"[^"]*"(,"etag":"[^"]*","dataFileS3Key":"[^"]*k3fv2)/, `"md5Checksum":"${md5}"$1`),
    );
    await refused(root, 'aws_export.mismatch', /k3fv2xq5ym4ejbnwhsr7pbq2de\.json\.gz holds 4 records, but manifest-files\.json says 5/);
  });

  it('a truncated data file', async () => {
    const root = copyOf(FULL);
    const file = dataFiles(root, FULL_ID)[2]!;
    truncateSync(file, Math.floor(readFileSync(file).length / 2));
    await refused(root, 'aws_export.bad_data', /tqwdeg7u3m6uxeb4ykcgcn6lyi\.json\.gz is truncated or not gzip/);
  });

  it('a folder with no manifest, and an export still in progress', async () => {
    const empty = mkdtempSync(join(work, 'empty-'));
    await refused(empty, 'aws_export.not_found', /No export in AWS's layout under/);
    const running = mkdtempSync(join(work, 'running-'));
    mkdirSync(join(running, 'AWSDynamoDB', '01765000000000-00000000'), { recursive: true });
    writeFileSync(join(running, 'AWSDynamoDB', '01765000000000-00000000', '_started'), '');
    await refused(running, 'aws_export.in_progress', /has _started but no manifest-summary\.json/);
  });

  it('no shape for a table that does not exist', async () => {
    const table = tableName('aws-noshape');
    const result = await run(['import', FULL, '--table', table]);
    expect(oneLineError(result)).toMatch(/^error\[aws_export\.no_shape\]: /);
    expect(await tableExists(table)).toBe(false);
  });

  it('an s3:// URL without a bucket, and a bucket that does not exist', async () => {
    const noBucket = await run(['import', 's3:///exports', '--table', tableName('aws-s3')], { env: s3.env });
    expect(noBucket.code).toBe(2);
    expect(oneLineError(noBucket)).toMatch(/^error\[s3\.bad_url\]: /);
    const missing = await run(['import', 's3://no-such-bucket/exports', '--table', tableName('aws-s3')], { env: s3.env });
    expect(missing.code).toBe(1);
    expect(oneLineError(missing)).toMatch(/^error\[s3\.no_bucket\]: Bucket "no-such-bucket" does not exist/);
  });
});

describe('export --layout aws', () => {
  it('writes the manifests, _started, one gzip file a segment and the shape, and reads back', async () => {
    const source = tableName('aws-src');
    expect((await run(['import', FULL, '--table', source, '--shape', shapeFile])).code).toBe(0);
    const out = join(work, 'ours');
    const result = await run(['export', source, '--layout', 'aws', '-f', out, '--segments', '3', '-o', 'json']);
    expect(result.code, result.stderr).toBe(0);
    const summary = JSON.parse(result.stdout);
    expect(summary).toMatchObject({ layout: 'aws', items: 9, dataFiles: 3 });
    const folder = join(out, 'AWSDynamoDB', summary.exportId);
    expect(readdirSync(folder).sort()).toEqual(['_started', 'cruddur-table.json', 'data', 'manifest-files.json', 'manifest-summary.json']);
    const manifest = JSON.parse(readFileSync(join(folder, 'manifest-summary.json'), 'utf8'));
    expect(manifest).toMatchObject({
      itemCount: 9,
      outputFormat: 'DYNAMODB_JSON',
      exportType: 'FULL_EXPORT',
      manifestFilesS3Key: `AWSDynamoDB/${summary.exportId}/manifest-files.json`,
    });
    for (const line of readFileSync(join(folder, 'manifest-files.json'), 'utf8').trim().split('\n')) {
      const entry = JSON.parse(line);
      const bytes = readFileSync(join(out, entry.dataFileS3Key));
      expect(entry.md5Checksum).toBe(createHash('md5').update(bytes).digest('base64'));
      expect(entry.etag).toBe(createHash('md5').update(bytes).digest('hex'));
      const records = gunzipSync(bytes).toString().split('\n').filter(Boolean);
      expect(records.length).toBe(entry.itemCount);
      for (const record of records) expect(Object.keys(JSON.parse(record))).toEqual(['Item']);
    }
    // Imported back, with the shape taken from cruddur-table.json.
    const back = tableName('aws-back');
    const again = await run(['import', out, '--table', back, '-o', 'json']);
    expect(again.code, again.stderr).toBe(0);
    expect(byKey(await items(back))).toEqual(byKey(await items(source)));
  });

  it('streams to S3 (s3rver), and import and copy read it from there', async () => {
    const source = tableName('aws-s3src');
    expect((await run(['import', FULL, '--table', source, '--shape', shapeFile])).code).toBe(0);
    const result = await run(['export', source, '--layout', 'aws', '-f', `s3://${BUCKET}/exports/2026-12`, '-o', 'json'], { env: s3.env });
    expect(result.code, result.stderr).toBe(0);
    const { exportId } = JSON.parse(result.stdout);
    const listed = await s3.client.send(new ListObjectsV2Command({ Bucket: BUCKET, Prefix: `exports/2026-12/AWSDynamoDB/${exportId}/` }));
    const keys = (listed.Contents ?? []).map((object) => object.Key!);
    expect(keys).toContain(`exports/2026-12/AWSDynamoDB/${exportId}/manifest-summary.json`);
    const files = await s3.client.send(new GetObjectCommand({ Bucket: BUCKET, Key: `exports/2026-12/AWSDynamoDB/${exportId}/manifest-files.json` }));
    const first = JSON.parse((await files.Body!.transformToString()).split('\n')[0]!);
    expect(first.dataFileS3Key).toMatch(new RegExp(`^exports/2026-12/AWSDynamoDB/${exportId}/data/.+\\.json\\.gz$`));
    const imported = tableName('aws-s3in');
    const back = await run(['import', `s3://${BUCKET}/exports/2026-12`, '--table', imported, '-o', 'json'], { env: s3.env });
    expect(back.code, back.stderr).toBe(0);
    expect(JSON.parse(back.stdout)).toMatchObject({ exportId, items: 9, created: true });
    const copied = tableName('aws-s3copy');
    const copy = await run(['copy', '--from', `s3://${BUCKET}/exports/2026-12/`, '--to', 'local', '--to-table', copied, '-o', 'json'], { env: s3.env });
    expect(copy.code, copy.stderr).toBe(0);
    expect((await items(copied)).length).toBe(9);
  });

  it('to a bucket that does not exist: one line, nothing written', async () => {
    const source = await createMessagesTable('aws-nobucket');
    const result = await run(['export', source, '--layout', 'aws', '-f', 's3://no-such-bucket/x'], { env: s3.env });
    expect(result.code).toBe(1);
    expect(oneLineError(result)).toMatch(/^error\[s3\.no_bucket\]: Bucket "no-such-bucket" does not exist/);
  });

  it('refuses stdout, and -f s3:// without --layout aws', async () => {
    const noFile = await run(['export', '--layout', 'aws']);
    expect(noFile.code).toBe(2);
    expect(oneLineError(noFile)).toMatch(/^error\[flag\.conflict\]: --layout aws writes a folder/);
    const s3File = await run(['export', '-f', 's3://bucket/x']);
    expect(s3File.code).toBe(2);
    expect(oneLineError(s3File)).toMatch(/^error\[flag\.conflict\]: /);
  });
});

describe('an S3 that does not answer', () => {
  it('says S3, not DynamoDB, in one line', async () => {
    const result = await run(['import', 's3://cruddur-exports/x', '--table', tableName('aws-down')], {
      env: { ...s3.env, AWS_ENDPOINT_URL_S3: 'http://127.0.0.1:1' },
    });
    expect(result.code).toBe(1);
    expect(oneLineError(result)).toMatch(/^error\[endpoint\.unreachable\]: S3 is not answering \(bucket cruddur-exports\)/);
  });
});
