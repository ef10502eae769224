/** The pure parts of the managed export and import: the client token, the time checks, ImportTable's table, the manifests, the shape file. */
import { describe, expect, it } from 'vitest';
import { checkTimes, exportClientToken, exportInput, manifestKey, type ManagedExportRequest } from '../../src/transfer/managed.js';
import { importTableParams, parseSummary } from '../../src/transfer/managed-import.js';
import { PassThrough } from 'node:stream';
import { elapsed, size, waitFor, type WaitOptions } from '../../src/transfer/managed-wait.js';
import { waitShowing } from '../../src/kit/status-line.js';
import { CliError, EXIT } from '../../src/core/errors.js';
import { readShape, writeShape } from '../../src/transfer/aws-layout/shape.js';
import { messagesTableInput } from '../../src/patterns/table.js';
import { messagesShapeWithLsi } from '../helpers/shapes.js';

const base: ManagedExportRequest = { tableArn: 'arn:aws:dynamodb:us-east-1:1:table/t', bucket: 'b', prefix: 'p' };
const at = (iso: string) => new Date(iso);

describe('the export client token', () => {
  it('is the same for the same request, and differs when anything the export does differs', () => {
    expect(exportClientToken({ ...base })).toBe(exportClientToken({ ...base }));
    const others = [
      { ...base, prefix: 'q' },
      { ...base, bucket: 'c' },
      { ...base, tableArn: 'arn:aws:dynamodb:us-east-1:1:table/u' },
      { ...base, at: at('2026-11-25T00:00:00Z') },
      { ...base, incremental: { from: at('2026-11-25T00:00:00Z'), to: at('2026-11-25T01:00:00Z'), viewType: 'NEW_IMAGE' as const } },
      { ...base, incremental: { from: at('2026-11-25T00:00:00Z'), to: at('2026-11-25T01:00:00Z'), viewType: 'NEW_AND_OLD_IMAGES' as const } },
    ].map(exportClientToken);
    expect(new Set([exportClientToken(base), ...others]).size).toBe(others.length + 1);
    expect(exportClientToken(base)).toMatch(/^[0-9a-f]{64}$/);
  });

  it('goes into the request with the export type and its window', () => {
    const window = { from: at('2026-11-25T00:00:00Z'), to: at('2026-11-25T01:00:00Z'), viewType: 'NEW_IMAGE' as const };
    expect(exportInput({ ...base, incremental: window })).toMatchObject({
      ExportType: 'INCREMENTAL_EXPORT',
      ExportFormat: 'DYNAMODB_JSON',
      IncrementalExportSpecification: { ExportFromTime: window.from, ExportToTime: window.to, ExportViewType: 'NEW_IMAGE' },
      ClientToken: exportClientToken({ ...base, incremental: window }),
    });
    expect(exportInput({ ...base, prefix: '' })).not.toHaveProperty('S3Prefix');
  });
});

describe('times AWS would refuse are refused first', () => {
  const now = at('2026-11-25T12:00:00Z');
  const pitr = { enabled: true, earliest: at('2026-11-20T00:00:00Z') };
  const window = (from: string, to: string) => ({ ...base, incremental: { from: at(from), to: at(to), viewType: 'NEW_IMAGE' as const } });
  it.each([
    ['under 15 minutes', window('2026-11-25T00:00:00Z', '2026-11-25T00:14:59Z')],
    ['over 24 hours', window('2026-11-24T00:00:00Z', '2026-11-25T00:00:01Z')],
    ['ending before it starts', window('2026-11-25T01:00:00Z', '2026-11-25T00:00:00Z')],
    ['ending in the future', window('2026-11-25T11:00:00Z', '2026-11-25T12:30:00Z')],
    ['starting before PITR', window('2026-11-19T23:00:00Z', '2026-11-20T01:00:00Z')],
    ['--at in the future', { ...base, at: at('2026-11-25T12:00:01Z') }],
    ['--at before PITR', { ...base, at: at('2026-11-19T00:00:00Z') }],
  ])('%s', (_, request) => {
    expect(() => checkTimes(request, now, pitr)).toThrow(expect.objectContaining({ code: 'managed.bad_window', exitCode: 2 }));
  });
  it('takes 15 minutes and 24 hours exactly', () => {
    expect(() => checkTimes(window('2026-11-25T00:00:00Z', '2026-11-25T00:15:00Z'), now, pitr)).not.toThrow();
    expect(() => checkTimes(window('2026-11-24T00:00:00Z', '2026-11-25T00:00:00Z'), now, pitr)).not.toThrow();
  });
});

describe("ImportTable's table", () => {
  it('keeps keys, GSIs and billing; leaves out the LSIs (and the attributes only they used) and the stream, and says so', () => {
    const shape = messagesShapeWithLsi('source', 'lsi-1');
    const { params, leftOut } = importTableParams(shape, 'target');
    expect(params.TableName).toBe('target');
    expect(params.GlobalSecondaryIndexes?.map((index) => index.IndexName)).toEqual(['message-group-sk-index']);
    expect(params.AttributeDefinitions?.map((d) => d.AttributeName).sort()).toEqual(['message_group_uuid', 'pk', 'sk']);
    expect(params).not.toHaveProperty('LocalSecondaryIndexes');
    expect(params).not.toHaveProperty('StreamSpecification');
    expect(leftOut).toContain('local secondary index lsi-1 (ImportTable cannot create them)');
  });
});

describe("AWS's manifest summary", () => {
  it('takes a full DynamoDB JSON export and refuses what ImportTable cannot read', () => {
    expect(parseSummary('{"itemCount":3,"outputFormat":"DYNAMODB_JSON","exportType":"FULL_EXPORT"}', 'm').itemCount).toBe(3);
    for (const text of ['{"outputFormat":"ION"}', '{"exportType":"INCREMENTAL_EXPORT"}', 'not json'])
      expect(() => parseSummary(text, 'm')).toThrow(expect.objectContaining({ code: 'managed.bad_manifest' }));
  });

  it("names the manifest where AWS does, and where moto leaves it out, by AWS's documented place", () => {
    expect(manifestKey({ ExportManifest: 'p/AWSDynamoDB/x/manifest-summary.json' })).toBe('p/AWSDynamoDB/x/manifest-summary.json');
    expect(manifestKey({ ExportArn: 'arn:aws:dynamodb:us-east-1:1:table/t/export/0176-ab', S3Prefix: 'p/' })).toBe(
      'p/AWSDynamoDB/0176-ab/manifest-summary.json',
    );
  });
});

describe('the shape file', () => {
  it('reads what writeShape writes, and an export header line', () => {
    const table = messagesTableInput('t');
    const written = writeShape({ ...table, BillingModeSummary: { BillingMode: 'PAY_PER_REQUEST' } } as never);
    expect(readShape(written, 'f').input.KeySchema).toEqual(table.KeySchema);
    expect(readShape(JSON.stringify({ format: 'cruddur-ddb-export', version: 1, table }) + '\n{"Item":{}}\n', 'f').input.TableName).toBe('t');
    for (const text of [
      '',
      '{"format":"other"}',
      '{"format":"cruddur-ddb-table","version":2,"table":{}}',
      '{"format":"cruddur-ddb-table","version":1,"table":{}}',
    ])
      expect(() => readShape(text, 'f')).toThrow(expect.objectContaining({ code: 'aws_export.bad_shape' }));
  });
});

it('says waits and sizes for people', () => {
  expect([elapsed(12_000), elapsed(187_000), elapsed(3_720_000)]).toEqual(['12s', '3m07s', '1h02m']);
  expect([size(812), size(3.4 * 1024 ** 2), size(undefined)]).toEqual(['812 B', '3.40 MB', '?']);
});

describe('waiting on a managed job', () => {
  it('asks until the answer is final, telling each answer', async () => {
    const answers = ['IN_PROGRESS', 'IN_PROGRESS', 'COMPLETED'];
    const seen: unknown[] = [];
    const final = await waitFor(
      async () => answers.shift()!,
      (status) => status === 'COMPLETED',
      { signal: new AbortController().signal, onAnswer: (answer) => seen.push(answer), pauses: [0] },
    );
    expect(final).toBe('COMPLETED');
    expect(seen).toEqual(['IN_PROGRESS', 'IN_PROGRESS', 'COMPLETED']);
  });

  it("Ctrl-C stops the wait (not the job) with the caller's error, exit 130", async () => {
    const context = {
      stderr: new PassThrough(),
      stderrIsTTY: false,
      say: () => undefined,
      // Ctrl-C 50 ms into a wait whose next question is 10 s away.
      onSignal: (handler: (signal: NodeJS.Signals) => void) => (setTimeout(() => handler('SIGINT'), 50), () => undefined),
    };
    const wait = (options: WaitOptions) =>
      waitFor(
        async () => 'IN_PROGRESS',
        () => false,
        { ...options, pauses: [10] },
      );
    const stopped = () => new CliError('managed.wait_stopped', 'Stopped waiting', { exitCode: EXIT.cancelled });
    await expect(waitShowing(context, wait, () => undefined, stopped)).rejects.toMatchObject({ code: 'managed.wait_stopped', exitCode: 130 });
  });
});
