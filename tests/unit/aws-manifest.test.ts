/** The pure parts of AWS's export layout: the manifests, the records of a data file, export ids, the shape file. */
import { describe, expect, it } from 'vitest';
import { exportId, parseFiles, parseSummary } from '../../src/transfer/aws-layout/manifest.js';
import { parseRecord } from '../../src/transfer/aws-layout/records.js';
import { readShape, writeShape } from '../../src/transfer/aws-layout/shape.js';
import { LineError } from '../../src/transfer/format.js';
import { messagesTableInput } from '../../src/patterns/table.js';

const summary = { manifestFilesS3Key: 'p/AWSDynamoDB/x/manifest-files.json', itemCount: 3, outputFormat: 'DYNAMODB_JSON' };

describe('manifests', () => {
  it('reads a summary and refuses what the reader cannot use, naming the file', () => {
    expect(parseSummary(JSON.stringify(summary), 's.json').itemCount).toBe(3);
    expect(() => parseSummary(JSON.stringify({ ...summary, outputFormat: 'ION' }), 's.json')).toThrow(/s\.json: outputFormat is "ION"; only DYNAMODB_JSON/);
    expect(() => parseSummary(JSON.stringify({ ...summary, itemCount: -1 }), 's.json')).toThrow(/no itemCount/);
    expect(() => parseSummary('{', 's.json')).toThrow(/^s\.json: not JSON/);
  });

  it('reads manifest-files.json line by line, naming the bad line', () => {
    const line = { itemCount: 2, md5Checksum: 'abc=', etag: 'e', dataFileS3Key: 'k.json.gz' };
    expect(parseFiles(`${JSON.stringify(line)}\n\n${JSON.stringify(line)}\n`, 'f.json')).toHaveLength(2);
    expect(() => parseFiles(`${JSON.stringify(line)}\n{"itemCount":1}\n`, 'f.json')).toThrow(/^f\.json:2: expected/);
  });

  it('makes ids as AWS does: 14 digits of milliseconds, then 8 hex digits, so they sort by time', () => {
    expect(exportId(1693685827463, '2d8752fdaa')).toBe('01693685827463-2d8752fd');
    expect(exportId(999, 'ffffffff') < exportId(1000, '00000000')).toBe(true);
  });
});

describe('records of a data file', () => {
  it('full exports: {"Item"} lines only', () => {
    expect(parseRecord('{"Item":{"pk":{"S":"a"}}}', false)).toEqual({ kind: 'put', item: { pk: { S: 'a' } } });
    expect(() => parseRecord('{"Keys":{"pk":{"S":"a"}}}', false)).toThrow(LineError);
  });

  it('incremental exports: the timestamp typed or bare, a missing NewImage is a delete', () => {
    const put = parseRecord(
      '{"Metadata":{"WriteTimestampMicros":{"N":"1680109764000000"}},"Keys":{"pk":{"S":"a"}},"NewImage":{"pk":{"S":"a"},"v":{"N":"1"}}}',
      true,
    );
    expect(put).toMatchObject({ kind: 'change', micros: 1680109764000000n, newImage: { v: { N: '1' } } });
    const gone = parseRecord('{"Metadata":{"WriteTimestampMicros":1},"Keys":{"pk":{"S":"a"}},"OldImage":{"pk":{"S":"a"}}}', true);
    expect(gone).toMatchObject({ kind: 'change', newImage: undefined, micros: 1n });
    expect(() => parseRecord('{"Metadata":{"WriteTimestampMicros":"soon"},"Keys":{}}', true)).toThrow(/WriteTimestampMicros/);
    expect(() => parseRecord('{"Item":{"pk":{"S":"a"}}}', true)).toThrow(/an incremental export/);
  });
});

describe('cruddur-table.json', () => {
  it('round-trips a table shape, and takes our export header too', () => {
    const input = messagesTableInput('t-1');
    const text = writeShape({ ...input, TableStatus: 'ACTIVE' } as never);
    expect(readShape(text, 'x').input).toMatchObject({ TableName: 't-1', KeySchema: input.KeySchema });
    const header = JSON.stringify({ format: 'cruddur-ddb-export', version: 1, table: { ...input, Tags: [{ Key: 'a', Value: 'b' }] } });
    expect(readShape(header, 'x').leftOut).toEqual(['Tags']);
    expect(() => readShape('{"format":"other"}', 'x.json')).toThrow(/^x\.json: neither a cruddur-ddb-table file nor a cruddur-ddb-export header/);
  });
});
