/** describe and ttl (status, enable, disable, sweep) against the real DynamoDB Local; the sweep's deletes reach the stream. */
import { BatchWriteItemCommand, DescribeTableCommand } from '@aws-sdk/client-dynamodb';
import { DescribeStreamCommand, DynamoDBStreamsClient, GetRecordsCommand, GetShardIteratorCommand } from '@aws-sdk/client-dynamodb-streams';
import { beforeAll, describe, expect, it } from 'vitest';
import { createMessagesTable, dynamoUrl, oneLineError, run, testClient } from './helpers/cli.js';

let table: string;
beforeAll(async () => {
  table = await createMessagesTable('ttl');
});

describe('describe', () => {
  it('gives scripts one object with keys, the index, the stream, TTL and counts', async () => {
    const result = await run(['describe', table, '-o', 'json']);
    expect(result.code).toBe(0);
    const d = JSON.parse(result.stdout);
    expect(d).toMatchObject({ table, keys: { partition: 'pk', sort: 'sk' }, attributes: { pk: 'S', sk: 'S', message_group_uuid: 'S' } });
    expect(d.globalIndexes[0]).toMatchObject({
      name: 'message-group-sk-index',
      keys: { partition: 'message_group_uuid', sort: 'sk' },
      projection: 'ALL',
      status: 'ACTIVE',
    });
    expect(d.stream.viewType).toBe('NEW_IMAGE');
    expect(d.ttl).toEqual({ status: 'DISABLED', attribute: null });
    expect(typeof d.itemCount).toBe('number');
  });

  it('gives people one table, and names a missing table', async () => {
    const people = await run(['describe', table, '-o', 'table']);
    expect(people.stdout).toMatch(/^GSI message-group-sk-index +message_group_uuid \(S\) \+ sk \(S\); ALL; ACTIVE/m);
    const missing = await run(['describe', 'no-such-table']);
    expect(missing.code).toBe(1);
    expect(oneLineError(missing)).toMatch(/^error\[table\.not_found\]: /);
  });
});

async function streamRemoves(): Promise<number> {
  const client = testClient();
  const arn = (await client.send(new DescribeTableCommand({ TableName: table }))).Table!.LatestStreamArn!;
  client.destroy();
  const streams = new DynamoDBStreamsClient({
    endpoint: dynamoUrl(),
    region: 'us-east-1',
    credentials: { accessKeyId: 'cruddurlocal', secretAccessKey: 'cruddurlocal' },
  });
  let removes = 0;
  try {
    const shards = (await streams.send(new DescribeStreamCommand({ StreamArn: arn }))).StreamDescription!.Shards ?? [];
    for (const shard of shards) {
      let iterator = (await streams.send(new GetShardIteratorCommand({ StreamArn: arn, ShardId: shard.ShardId, ShardIteratorType: 'TRIM_HORIZON' })))
        .ShardIterator;
      while (iterator) {
        const page = await streams.send(new GetRecordsCommand({ ShardIterator: iterator }));
        removes += (page.Records ?? []).filter((r) => r.eventName === 'REMOVE').length;
        if (!page.Records?.length) break;
        iterator = page.NextShardIterator;
      }
    }
  } finally {
    streams.destroy();
  }
  return removes;
}

describe('ttl', () => {
  it('turns TTL on and off and says so', async () => {
    const on = await run(['ttl', 'enable', 'expires_at', table, '-o', 'json']);
    expect(on.code).toBe(0);
    expect(JSON.parse(on.stdout)).toMatchObject({ status: 'ENABLED', attribute: 'expires_at' });
    expect(JSON.parse((await run(['ttl', 'status', table, '-o', 'json'])).stdout)).toMatchObject({ status: 'ENABLED', attribute: 'expires_at' });
    // Again: no change, not DynamoDB's "already enabled"; another attribute is refused.
    expect(JSON.parse((await run(['ttl', 'enable', 'expires_at', table, '-o', 'json'])).stdout)).toMatchObject({ status: 'ENABLED', changed: false });
    const other = await run(['ttl', 'enable', 'other', table]);
    expect(other.code).toBe(2);
    expect(oneLineError(other)).toMatch(/^error\[ttl\.other_attribute\]: .*expires_at/);
    expect(JSON.parse((await run(['ttl', 'disable', table, '-o', 'json'])).stdout)).toMatchObject({ status: 'DISABLED' });
  });

  it('sweeps only the expired items, in batches, and the stream sees each delete', async () => {
    const now = Math.floor(Date.now() / 1000);
    const client = testClient();
    const items = Array.from({ length: 60 }, (_, i) => ({
      pk: { S: `NOTE#${i}` },
      sk: { S: 'x' },
      // 0..39 expired an hour ago; 40..49 expire tomorrow; 50..54 have a string (TTL ignores it); 55..59 expired 6 years ago (AWS ignores them).
      ...(i < 40
        ? { expires_at: { N: String(now - 3600) } }
        : i < 50
          ? { expires_at: { N: String(now + 86400) } }
          : i < 55
            ? { expires_at: { S: String(now - 3600) } }
            : { expires_at: { N: String(now - 6 * 365 * 86400) } }),
    }));
    for (let i = 0; i < items.length; i += 25) {
      await client.send(new BatchWriteItemCommand({ RequestItems: { [table]: items.slice(i, i + 25).map((Item) => ({ PutRequest: { Item } })) } }));
    }
    client.destroy();
    const before = await streamRemoves();
    const noAttribute = await run(['ttl', 'sweep', table]);
    expect(noAttribute.code).toBe(2);
    expect(oneLineError(noAttribute)).toMatch(/^error\[ttl\.no_attribute\]: /);
    const dry = await run(['ttl', 'sweep', table, '--attribute', 'expires_at', '--dry-run', '-o', 'json']);
    expect(JSON.parse(dry.stdout)).toMatchObject({ expired: 40, deleted: 0 });
    const swept = await run(['ttl', 'sweep', table, '--attribute', 'expires_at', '--concurrency', '2', '-o', 'json']);
    expect(swept.code).toBe(0);
    expect(JSON.parse(swept.stdout)).toMatchObject({ expired: 40, deleted: 40 });
    const left = JSON.parse((await run(['scan', table, '-o', 'json'])).stdout) as Array<{ pk: string }>;
    expect(left).toHaveLength(20);
    expect(await streamRemoves()).toBe(before + 40);
  });

  it('refuses a prod sweep without --yes, before any call', async () => {
    const result = await run(['ttl', 'sweep', table, '--attribute', 'expires_at', 'prod'], { env: { AWS_ENDPOINT_URL_DYNAMODB: 'http://127.0.0.1:9' } });
    expect(result.code).toBe(1);
    expect(oneLineError(result)).toMatch(/^error\[prod\.unconfirmed\]: .*--yes/);
  });
});
