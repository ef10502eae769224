/**
 * import and copy into a table they create: made without its stream, loaded, then given the stream the file
 * asks for (as AWS's ImportTable does), so loading makes no stream records (DynamoDB Local slows every other
 * stream table once one holds ~40,000). Into an existing stream table, a large load warns once.
 */
import { CreateTableCommand, DescribeTableCommand, type DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DescribeStreamCommand, DynamoDBStreamsClient, GetRecordsCommand, GetShardIteratorCommand } from '@aws-sdk/client-dynamodb-streams';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { messagesTableInput } from '../src/patterns/table.js';
import { prepareLoadTarget } from '../src/transfer/stream-hold.js';
import { dynamoUrl, run, tableName, testClient } from './helpers/cli.js';

const client = testClient();
const streams = new DynamoDBStreamsClient({
  endpoint: dynamoUrl(),
  region: 'us-east-1',
  credentials: { accessKeyId: 'cruddurlocal', secretAccessKey: 'cruddurlocal' },
});

/** Every record the table's stream holds, from its start. */
async function streamRecords(on: DynamoDBClient, table: string): Promise<number> {
  const { Table } = await on.send(new DescribeTableCommand({ TableName: table }));
  const StreamArn = Table!.LatestStreamArn!;
  const { StreamDescription } = await streams.send(new DescribeStreamCommand({ StreamArn }));
  let count = 0;
  for (const shard of StreamDescription?.Shards ?? []) {
    const { ShardIterator } = await streams.send(new GetShardIteratorCommand({ StreamArn, ShardId: shard.ShardId!, ShardIteratorType: 'TRIM_HORIZON' }));
    const { Records = [] } = await streams.send(new GetRecordsCommand({ ShardIterator: ShardIterator! }));
    count += Records.length;
  }
  return count;
}

function exportFile(table: string, items: number): string {
  const header = { format: 'cruddur-ddb-export', version: 1, table: messagesTableInput(table) };
  const lines = [JSON.stringify(header)];
  for (let i = 0; i < items; i++)
    lines.push(
      JSON.stringify({
        Item: {
          pk: { S: `MSG#hold-${i % 7}` },
          sk: { S: `2026-01-01T00:00:${String(i % 60).padStart(2, '0')}.${String(i).padStart(6, '0')}+00:00` },
          message: { S: `m${i}` },
        },
      }),
    );
  const file = join(mkdtempSync(join(tmpdir(), 'cruddur-hold-')), 'items.ndjson');
  writeFileSync(file, lines.join('\n') + '\n');
  return file;
}

describe('loading a table before its stream', () => {
  it('import into a new table: the stream is on after the load and holds no record of it', async () => {
    const table = tableName('hold');
    const file = exportFile(table, 60);
    const result = await run(['import', file, '--table', table]);
    expect(result.code, result.stderr).toBe(0);
    const { Table } = await client.send(new DescribeTableCommand({ TableName: table }));
    expect(Table?.ItemCount).toBe(60);
    expect(Table?.StreamSpecification).toEqual({ StreamEnabled: true, StreamViewType: 'NEW_IMAGE' });
    expect(await streamRecords(client, table)).toBe(0);
    // Written after the load, an item makes a record as usual: the stream works.
    const put = await run(['put', table, '--item', JSON.stringify({ pk: 'X#after', sk: 'x' })]);
    expect(put.code, put.stderr).toBe(0);
    expect(await streamRecords(client, table)).toBe(1);
  });

  it('copy into a new table: the same; the source keeps its records', async () => {
    const source = tableName('hold-src');
    expect((await run(['import', exportFile(source, 30), '--table', source])).code).toBe(0);
    const target = tableName('hold-dst');
    const result = await run(['copy', '--from', dynamoUrl(), '--to', dynamoUrl(), source, '--to-table', target]);
    expect(result.code, result.stderr).toBe(0);
    const { Table } = await client.send(new DescribeTableCommand({ TableName: target }));
    expect(Table?.ItemCount).toBe(30);
    expect(Table?.StreamSpecification?.StreamEnabled).toBe(true);
    expect(await streamRecords(client, target)).toBe(0);
  });

  it('import into an existing stream table: loaded as it is, no warning below the threshold', async () => {
    const table = tableName('hold-own');
    await client.send(new CreateTableCommand(messagesTableInput(table)));
    const result = await run(['import', exportFile(table, 20), '--table', table]);
    expect(result.code, result.stderr).toBe(0);
    expect(result.stderr).not.toContain('has a stream');
    expect(await streamRecords(client, table)).toBe(20);
  });

  it('a large load into an existing stream table of DynamoDB Local warns once, with the way out; AWS and stream-less tables never', async () => {
    const table = tableName('hold-warn');
    await client.send(new CreateTableCommand(messagesTableInput(table)));
    const said: string[] = [];
    const say = (line: string) => said.push(line);
    const target = await prepareLoadTarget(client, table, messagesTableInput(table), {
      local: true,
      say,
      wayOut: 'import into a new table (--table NAME)',
      warnAt: 5,
    });
    expect(target.created).toBe(false);
    target.written(3);
    expect(said).toEqual([]);
    target.written(3);
    target.written(25);
    expect(said).toHaveLength(1);
    expect(said[0]).toMatch(/^Note: \S+ has a stream, and DynamoDB Local slows .* import into a new table \(--table NAME\)/);
    const onAws = await prepareLoadTarget(client, table, messagesTableInput(table), { local: false, say, wayOut: '', warnAt: 5 });
    onAws.written(100);
    const { StreamSpecification: _, ...plain } = messagesTableInput(tableName('hold-plain'));
    await client.send(new CreateTableCommand(plain));
    const noStream = await prepareLoadTarget(client, plain.TableName!, plain, { local: true, say, wayOut: '', warnAt: 5 });
    noStream.written(100);
    expect(said).toHaveLength(1);
  });
});
