/**
 * `export --managed` and `import --managed` against moto_server (tests/helpers/moto.ts): the PITR check,
 * --enable-pitr, the export started, waited on and summed up, the client token (a re-run finds the first
 * export), ImportTable from an export in AWS's documented layout (hand-made here, as moto's own exports
 * have no manifests), the stream turned on after it, and every refusal before anything is started.
 */
import { createHash } from 'node:crypto';
import { gzipSync } from 'node:zlib';
import {
  CreateTableCommand,
  DescribeContinuousBackupsCommand,
  DescribeTableCommand,
  DynamoDBClient,
  ListExportsCommand,
  PutItemCommand,
  ScanCommand,
  UpdateContinuousBackupsCommand,
} from '@aws-sdk/client-dynamodb';
import { CreateBucketCommand, PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { messagesTableInput } from '../src/patterns/table.js';
import { oneLineError, run, tableName } from './helpers/cli.js';
import { messagesShapeWithLsi } from './helpers/shapes.js';
import { describeWithMoto, startMoto, startTokenProxy, type Moto } from './helpers/moto.js';

const KEYS = { AWS_ACCESS_KEY_ID: 'motokey', AWS_SECRET_ACCESS_KEY: 'motosecret', AWS_REGION: 'us-east-1' };
const BUCKET = 'cruddur-exports';

it("--managed's flags without --managed are refused, not ignored (no moto needed: nothing is called)", async () => {
  const result = await run(['export', '--incremental', '--from', '2026-11-24T00:00:00Z', '--no-wait', '-f', '/dev/null']);
  expect(result.code).toBe(2);
  expect(oneLineError(result)).toBe(
    'error[flag.conflict]: --incremental, --from, --no-wait need --managed. Add --managed s3://bucket/prefix, or leave them out',
  );
});

describeWithMoto()('managed export and import (moto_server)', () => {
  let moto: Moto;
  let dynamo: DynamoDBClient;
  let s3: S3Client;
  /** The CLI against moto: DynamoDB and S3 on one endpoint, as AWS_ENDPOINT_URL says. */
  const cli = (args: string[], env: Record<string, string> = {}) => run(args, { local: false, env: { ...KEYS, AWS_ENDPOINT_URL: moto.url, ...env } });

  beforeAll(async () => {
    moto = await startMoto();
    const config = { endpoint: moto.url, region: 'us-east-1', credentials: { accessKeyId: 'motokey', secretAccessKey: 'motosecret' } };
    dynamo = new DynamoDBClient(config);
    s3 = new S3Client({ ...config, forcePathStyle: true });
    await s3.send(new CreateBucketCommand({ Bucket: BUCKET }));
  });

  afterAll(async () => {
    dynamo?.destroy();
    s3?.destroy();
    await moto?.stop();
  });

  /** A messages table holding what the real backend writes: local times without offset, other offsets. */
  async function messagesTable(pitr: boolean): Promise<{ table: string; arn: string }> {
    const table = tableName('managed');
    const created = await dynamo.send(new CreateTableCommand(messagesTableInput(table)));
    const put = (item: Record<string, string>) =>
      dynamo.send(new PutItemCommand({ TableName: table, Item: Object.fromEntries(Object.entries(item).map(([k, v]) => [k, { S: v }])) }));
    await put({ pk: 'MSG#g1', sk: '2026-11-25T03:07:49.788804', message_uuid: 'm1', message: 'naive local time, as create_message writes' });
    await put({ pk: 'MSG#g1', sk: '2026-11-25T03:09:00-05:00', message_uuid: 'm2', message: 'with an offset' });
    await put({ pk: 'GRP#u1', sk: '2026-11-25T03:09:00-05:00', message_group_uuid: 'g1', message: 'with an offset' });
    if (pitr)
      await dynamo.send(new UpdateContinuousBackupsCommand({ TableName: table, PointInTimeRecoverySpecification: { PointInTimeRecoveryEnabled: true } }));
    return { table, arn: created.TableDescription!.TableArn! };
  }

  const exportsOf = async (arn: string) => (await dynamo.send(new ListExportsCommand({ TableArn: arn }))).ExportSummaries ?? [];

  it('refuses with one line when point-in-time recovery is off, starting nothing', async () => {
    const { table, arn } = await messagesTable(false);
    const result = await cli(['export', '--managed', `s3://${BUCKET}/off`, table]);
    expect(result.code).toBe(1);
    expect(oneLineError(result)).toMatch(/^error\[managed\.pitr_off\]: Point-in-time recovery is off on .*--enable-pitr/);
    expect(await exportsOf(arn)).toEqual([]);
  });

  it('--enable-pitr says the cost, turns it on, exports, waits and sums up', async () => {
    const { table, arn } = await messagesTable(false);
    const result = await cli(['export', '--managed', `s3://${BUCKET}/full/`, table, '--enable-pitr', '-o', 'json']);
    expect(result.stderr).toMatch(/--enable-pitr turns it on, billed about \$0\.20 per GB-month/);
    expect(result.code).toBe(0);
    const pitr = await dynamo.send(new DescribeContinuousBackupsCommand({ TableName: table }));
    expect(pitr.ContinuousBackupsDescription?.PointInTimeRecoveryDescription?.PointInTimeRecoveryStatus).toBe('ENABLED');
    const summary = JSON.parse(result.stdout) as Record<string, unknown>;
    expect(summary).toMatchObject({ table, status: 'COMPLETED', type: 'FULL_EXPORT', items: 3 });
    expect(summary.manifest).toMatch(new RegExp(`^s3://${BUCKET}/full/AWSDynamoDB/[^/]+/manifest-summary\\.json$`));
    expect(result.stderr).toMatch(/^Exported 3 items of .* manifest: s3:\/\//m);
    expect(await exportsOf(arn)).toHaveLength(1);
  });

  it('a re-run sends the same client token and gets the first export, not a second (AWS honours the token; a proxy does here)', async () => {
    const { table, arn } = await messagesTable(true);
    const proxy = await startTokenProxy(moto.url);
    try {
      const env = { AWS_ENDPOINT_URL_DYNAMODB: proxy.url };
      const first = await cli(['export', '--managed', `s3://${BUCKET}/again`, table, '-o', 'json'], env);
      const second = await cli(['export', '--managed', `s3://${BUCKET}/again`, table, '-o', 'json'], env);
      expect([first.code, second.code]).toEqual([0, 0]);
      expect(proxy.tokens).toHaveLength(2);
      expect(proxy.tokens[0]).toBe(proxy.tokens[1]);
      expect(JSON.parse(second.stdout).exportArn).toBe(JSON.parse(first.stdout).exportArn);
      expect(await exportsOf(arn)).toHaveLength(1);
      // Another destination is another export, with its own token.
      const elsewhere = await cli(['export', '--managed', `s3://${BUCKET}/elsewhere`, table, '--no-wait', '-o', 'json'], env);
      expect(elsewhere.code).toBe(0);
      expect(proxy.tokens[2]).not.toBe(proxy.tokens[0]);
      expect(await exportsOf(arn)).toHaveLength(2);
      expect(proxy.calls.filter((call) => call === 'DescribeExport').length).toBeGreaterThanOrEqual(2);
    } finally {
      await proxy.close();
    }
  });

  it('--no-wait starts the export and returns its ARN without waiting', async () => {
    const { table } = await messagesTable(true);
    const proxy = await startTokenProxy(moto.url);
    try {
      const result = await cli(['export', '--managed', `s3://${BUCKET}/nowait`, table, '--no-wait', '-o', 'json'], { AWS_ENDPOINT_URL_DYNAMODB: proxy.url });
      expect(result.code).toBe(0);
      expect(JSON.parse(result.stdout).exportArn).toMatch(/^arn:aws:dynamodb:/);
      expect(result.stderr).toMatch(/the same command again waits for it/);
      expect(proxy.calls).toContain('ExportTableToPointInTime');
      expect(proxy.calls).not.toContain('DescribeExport');
    } finally {
      await proxy.close();
    }
  });

  it('--at asks for the table as it was then', async () => {
    const { table } = await messagesTable(true);
    // moto's point-in-time window starts when PITR is turned on: --at must fall after that and before now.
    await new Promise((resolve) => setTimeout(resolve, 2500));
    const when = new Date(Date.now() - 500);
    const proxy = await startTokenProxy(moto.url);
    try {
      const atIso = when.toISOString().slice(0, 19) + 'Z';
      const result = await cli(['export', '--managed', `s3://${BUCKET}/at`, table, '--at', atIso, '-o', 'json'], { AWS_ENDPOINT_URL_DYNAMODB: proxy.url });
      expect(result.code).toBe(0);
      expect(proxy.starts[0]).toMatchObject({ ExportType: 'FULL_EXPORT', ExportTime: Math.floor(when.getTime() / 1000), S3Prefix: 'at' });
    } finally {
      await proxy.close();
    }
  });

  it('refuses a missing bucket, an s3:// URL without one, and times AWS would refuse, each in one line and before any export', async () => {
    const { table, arn } = await messagesTable(true);
    const cases: Array<[string[], string, number]> = [
      [['--managed', 's3://no-such-bucket-here/x'], 'managed.no_bucket', 1],
      [['--managed', 's3:///x'], 's3.bad_url', 2],
      [['--managed', `s3://${BUCKET}/t`, '--incremental', '--from', '2026-11-25T00:00:00Z', '--to', '2026-11-25T00:05:00Z'], 'managed.bad_window', 2],
      [['--managed', `s3://${BUCKET}/t`, '--at', '2999-01-01T00:00:00Z'], 'managed.bad_window', 2],
      [['--managed', `s3://${BUCKET}/t`, '--from', '2026-11-25T00:00:00Z'], 'flag.conflict', 2],
      [['--managed', `s3://${BUCKET}/t`, '--incremental', '--from', '2026-11-25T00:00:00Z'], 'flag.conflict', 2],
    ];
    for (const [flags, code, exit] of cases) {
      const result = await cli(['export', table, ...flags]);
      expect(result.code, flags.join(' ')).toBe(exit);
      expect(oneLineError(result)).toMatch(new RegExp(`^error\\[${code.replace('.', '\\.')}\\]: `));
    }
    expect(await exportsOf(arn)).toEqual([]);
  });

  it('in prod, asks before it costs: no terminal and no --yes refuses, and no export is started', async () => {
    const { table, arn } = await messagesTable(true);
    const result = await cli(['export', '--managed', `s3://${BUCKET}/prod`, table, '--env', 'prod', '--endpoint-url', moto.url]);
    expect(result.code).toBe(1);
    expect(oneLineError(result)).toMatch(/^error\[prod\.unconfirmed\]: Refusing to start an export of .* to s3:\/\/cruddur-exports\/prod/);
    expect(await exportsOf(arn)).toEqual([]);
  });

  /**
   * An export in AWS's documented layout ("DynamoDB table export output format"), as AWS writes it:
   * `_started`, gzip data files of `{"Item":…}` lines, manifest-files.json, manifest-summary.json, and
   * our shape file beside them. AWS also writes an empty data file for an empty partition; moto's
   * ImportTable fails on one ("object of type 'Variable' has no len()"), so none is written here.
   */
  async function awsLayoutExport(prefix: string, options: { finished?: boolean; lsi?: boolean } = {}): Promise<{ prefix: string; folder: string }> {
    const id = `01764800000000-${createHash('sha1').update(prefix).digest('hex').slice(0, 8)}`;
    const folder = `${prefix}/AWSDynamoDB/${id}`;
    const put = (key: string, body: string | Buffer) => s3.send(new PutObjectCommand({ Bucket: BUCKET, Key: key, Body: body }));
    const item = (pk: string, sk: string, extra: Record<string, string> = {}) =>
      JSON.stringify({ Item: Object.fromEntries(Object.entries({ pk, sk, ...extra }).map(([k, v]) => [k, { S: v }])) });
    const files = [
      [item('MSG#g1', '2026-11-25T03:07:49.788804', { message: 'naive' }), item('MSG#g1', '2026-11-25T03:09:00-05:00', { message: 'offset' })],
      [item('GRP#u1', '2026-11-25T03:09:00-05:00', { message_group_uuid: 'g1' }), item('GRP#u2', '2026-11-25T08:09:00+00:00', { message_group_uuid: 'g1' })],
    ];
    await put(`${folder}/_started`, '');
    const urls = { prefix: `s3://${BUCKET}/${prefix}`, folder: `s3://${BUCKET}/${folder}` };
    if (options.finished === false) return urls;
    const manifest: string[] = [];
    for (const [index, lines] of files.entries()) {
      const key = `${folder}/data/part${index}abcdefgh.json.gz`;
      const data = gzipSync(lines.map((line) => line + '\n').join(''));
      await put(key, data);
      const md5 = createHash('md5').update(data);
      manifest.push(JSON.stringify({ itemCount: lines.length, md5Checksum: md5.copy().digest('base64'), etag: md5.digest('hex'), dataFileS3Key: key }));
    }
    await put(`${folder}/manifest-files.json`, manifest.join('\n') + '\n');
    await put(
      `${folder}/manifest-summary.json`,
      JSON.stringify({
        version: '2020-06-30',
        exportArn: `arn:aws:dynamodb:us-east-1:123456789012:table/source/export/${id}`,
        startTime: '2026-11-25T10:00:00.000Z',
        endTime: '2026-11-25T10:06:00.000Z',
        tableArn: 'arn:aws:dynamodb:us-east-1:123456789012:table/source',
        tableId: '00000000-0000-0000-0000-000000000000',
        exportTime: '2026-11-25T10:00:00.000Z',
        s3Bucket: BUCKET,
        s3Prefix: prefix,
        s3SseAlgorithm: 'AES256',
        s3SseKmsKeyId: null,
        manifestFilesS3Key: `${folder}/manifest-files.json`,
        billedSizeBytes: 400,
        itemCount: 4,
        outputFormat: 'DYNAMODB_JSON',
        exportType: 'FULL_EXPORT',
      }),
    );
    const shape = options.lsi ? messagesShapeWithLsi('source', 'by-message-uuid') : messagesTableInput('source');
    await put(`${folder}/cruddur-table.json`, JSON.stringify({ format: 'cruddur-ddb-table', version: 1, table: shape }) + '\n');
    return urls;
  }

  it('imports an export in AWS layout into a new table with its GSI, turns the stream on, says what was left out and to run repair', async () => {
    const { folder } = await awsLayoutExport('layout-ok', { lsi: true });
    const table = tableName('imported');
    const proxy = await startTokenProxy(moto.url);
    const result = await cli(['import', '--managed', folder, '--table', table, '-o', 'json'], { AWS_ENDPOINT_URL_DYNAMODB: proxy.url }).finally(() =>
      proxy.close(),
    );
    expect(proxy.starts[0]).toMatchObject({
      InputFormat: 'DYNAMODB_JSON',
      InputCompressionType: 'GZIP',
      S3BucketSource: { S3Bucket: BUCKET, S3KeyPrefix: `${folder.slice(`s3://${BUCKET}/`.length)}/data/` },
      TableCreationParameters: { TableName: table, BillingMode: 'PAY_PER_REQUEST' },
    });
    expect(proxy.calls.indexOf('UpdateTable')).toBeGreaterThan(proxy.calls.lastIndexOf('DescribeImport'));
    expect(result.stderr).toMatch(/Left out of .*: local secondary index by-message-uuid \(ImportTable cannot create them\)/);
    expect(result.code).toBe(0);
    expect(JSON.parse(result.stdout)).toMatchObject({ table, status: 'COMPLETED', items: 4, errors: 0, exportItems: 4, stream: 'NEW_IMAGE' });
    expect(result.stderr).toMatch(/The stream of .* is on \(NEW_IMAGE\)\. Imported items never passed through it: run `cruddur-ddb repair --table /);
    const described = (await dynamo.send(new DescribeTableCommand({ TableName: table }))).Table!;
    expect(described.GlobalSecondaryIndexes?.map((index) => index.IndexName)).toEqual(['message-group-sk-index']);
    expect(described.LocalSecondaryIndexes ?? []).toEqual([]);
    expect(described.StreamSpecification).toMatchObject({ StreamEnabled: true, StreamViewType: 'NEW_IMAGE' });
    const items = (await dynamo.send(new ScanCommand({ TableName: table }))).Items ?? [];
    expect(items.map((i) => i.sk!.S).sort()).toEqual([
      '2026-11-25T03:07:49.788804',
      '2026-11-25T03:09:00-05:00',
      '2026-11-25T03:09:00-05:00',
      '2026-11-25T08:09:00+00:00',
    ]);
  });

  it('also finds the export under the prefix it was written to, and takes --shape from an export file header', async () => {
    await awsLayoutExport('layout-prefix');
    const table = tableName('imported');
    const { writeFileSync, mkdtempSync } = await import('node:fs');
    const dir = mkdtempSync('/tmp/managed-shape-');
    writeFileSync(`${dir}/header.ndjson`, JSON.stringify({ format: 'cruddur-ddb-export', version: 1, table: messagesTableInput('x') }) + '\n');
    const result = await cli(['import', '--managed', `s3://${BUCKET}/layout-prefix/`, '--table', table, '--shape', `${dir}/header.ndjson`, '-o', 'json']);
    expect(result.code).toBe(0);
    expect(JSON.parse(result.stdout)).toMatchObject({ items: 4 });
  });

  it('refuses, each in one line and before ImportTable: a table that exists, no --table, an unfinished export, a missing bucket, no export there', async () => {
    const { table: existing } = await messagesTable(false);
    const done = (await awsLayoutExport('layout-refusals')).folder;
    const running = (await awsLayoutExport('layout-running', { finished: false })).prefix;
    const proxy = await startTokenProxy(moto.url);
    try {
      const env = { AWS_ENDPOINT_URL_DYNAMODB: proxy.url };
      const cases: Array<[string[], string, number]> = [
        [['--managed', done, '--table', existing], 'managed.table_exists', 1],
        [['--managed', done], 'managed.no_table', 2],
        [['--managed', running, '--table', tableName('new')], 'managed.in_progress', 1],
        [['--managed', 's3://no-such-bucket-here/x', '--table', tableName('new')], 'managed.no_bucket', 1],
        [['--managed', `s3://${BUCKET}/nothing-here`, '--table', tableName('new')], 'managed.no_export', 1],
        [['--managed', 's3://', '--table', tableName('new')], 's3.bad_url', 2],
      ];
      for (const [flags, code, exit] of cases) {
        const result = await cli(['import', ...flags], env);
        expect(result.code, flags.join(' ')).toBe(exit);
        expect(oneLineError(result)).toMatch(new RegExp(`^error\\[${code.replace('.', '\\.')}\\]: `));
      }
      expect(proxy.calls).not.toContain('ImportTable');
    } finally {
      await proxy.close();
    }
  });
});
