/**
 * `cruddur-ddb stream` through the built binary, and its runner in-process, against the real stream of
 * DynamoDB Local: messages written through the patterns library, group items moved by the handler.
 */
import { CreateTableCommand, DescribeTableCommand, type DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBStreamsClient } from '@aws-sdk/client-dynamodb-streams';
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { createMessage, createMessageGroup, listMessageGroups, type Participant } from '../src/patterns/index.js';
import { processRecords, type DynamoDBStreamRecord } from '../src/patterns/stream.js';
import { Checkpoint } from '../src/stream/checkpoint.js';
import { runStream, type RunnerOptions } from '../src/stream/runner.js';
import { readyShards } from '../src/stream/shards.js';
import { CLI, cleanEnv, dynamoUrl, oneLineError, run, tableName, testClient } from './helpers/cli.js';
import { event } from './helpers/stream.js';
import { scaled } from './helpers/time-scale.js';

const client = testClient();
const andrew: Participant = { uuid: '4f1c2d3e-0000-4000-8000-000000000001', displayName: 'Andrew Brown', handle: 'andrewbrown' };
const bayko: Participant = { uuid: '4f1c2d3e-0000-4000-8000-000000000002', displayName: 'Andrew Bayko', handle: 'bayko' };
const londo: Participant = { uuid: '4f1c2d3e-0000-4000-8000-000000000003', displayName: 'Londo Mollari', handle: 'londo' };
const at = (second: number) => `2026-11-25T04:00:${String(second).padStart(2, '0')}.000000+00:00`;

/** A table made by schema-load, two conversations, and more messages in each. */
async function tableWithConversations(): Promise<{ table: string; first: string; second: string }> {
  const table = tableName('runner');
  expect((await run(['schema-load', table])).code).toBe(0);
  const first = (await createMessageGroup(client, table, { sender: andrew, recipient: bayko, message: 'hi bayko', createdAt: at(0) })).message_group_uuid;
  const second = (await createMessageGroup(client, table, { sender: londo, recipient: andrew, message: 'hi andrew', createdAt: at(1) })).message_group_uuid;
  await createMessage(client, table, { messageGroupUuid: first, sender: bayko, message: 'hello andrew', createdAt: at(5) });
  await createMessage(client, table, { messageGroupUuid: first, sender: andrew, message: 'latest of first', createdAt: at(7) });
  await createMessage(client, table, { messageGroupUuid: second, sender: andrew, message: 'latest of second', createdAt: at(6) });
  return { table, first, second };
}

/** Each of a user's conversations as [other handle, time, last message], newest first. */
async function inbox(table: string, user: Participant): Promise<string[][]> {
  const { items } = await listMessageGroups(client, table, user.uuid);
  return items.map((group) => [group.handle, group.created_at, group.message]);
}

const stream = (table: string, dir: string, ...args: string[]) => run(['stream', '--table', table, '--checkpoint-dir', dir, '-o', 'json', ...args]);
const scratch = () => mkdtempSync(join(tmpdir(), 'cruddur-stream-'));

describe('cruddur-ddb stream --once', () => {
  it('moves every conversation to its latest message, and a second run changes nothing', async () => {
    const { table } = await tableWithConversations();
    const dir = scratch();
    const first = await stream(table, dir, '--once');
    expect(first.code).toBe(0);
    expect(JSON.parse(first.stdout)).toMatchObject({ table, messages: 5, moved: 2, failedRecords: 0 });
    expect(first.stderr).toMatch(/shardId-\S+: \d+ records, 5 messages, conversations moved 2, unchanged 0, failed records 0/);
    expect(await inbox(table, andrew)).toEqual([
      ['bayko', at(7), 'latest of first'],
      ['londo', at(6), 'latest of second'],
    ]);
    expect(await inbox(table, bayko)).toEqual([['andrewbrown', at(7), 'latest of first']]);

    const before = (await run(['scan', table, '-o', 'json'])).stdout;
    const second = await stream(table, dir, '--once');
    expect(second.code).toBe(0);
    expect(JSON.parse(second.stdout)).toMatchObject({ messages: 0, moved: 0, failedRecords: 0 });
    expect((await run(['scan', table, '-o', 'json'])).stdout).toBe(before);
  });

  it('keeps its place: after a restart only the new records are applied', async () => {
    const { table, first } = await tableWithConversations();
    const dir = scratch();
    expect((await stream(table, dir, '--once')).code).toBe(0);
    const [file] = (await import('node:fs')).readdirSync(dir);
    const saved = JSON.parse(readFileSync(join(dir, file!), 'utf8'));
    expect(Object.values(saved.shards)[0]).toMatchObject({ sequenceNumber: expect.stringMatching(/^\d+$/) });

    await createMessage(client, table, { messageGroupUuid: first, sender: bayko, message: 'one more', createdAt: at(30) });
    const again = await stream(table, dir, '--once');
    expect(JSON.parse(again.stdout)).toMatchObject({ messages: 1, moved: 1 });
    expect((await inbox(table, andrew))[0]).toEqual(['bayko', at(30), 'one more']);
    // Without the checkpoint everything is replayed, and still nothing moves backwards.
    const replay = await stream(table, scratch(), '--once');
    expect(JSON.parse(replay.stdout)).toMatchObject({ messages: 6, moved: 0 });
    expect((await inbox(table, andrew))[0]).toEqual(['bayko', at(30), 'one more']);
  });

  it('--from latest skips what was written before its first run', async () => {
    const { table } = await tableWithConversations();
    const result = await stream(table, scratch(), '--once', '--from', 'latest');
    expect(result.code).toBe(0);
    expect(JSON.parse(result.stdout)).toMatchObject({ records: 0, moved: 0 });
    expect((await inbox(table, bayko))[0]).toEqual(['andrewbrown', at(0), 'hi bayko']);
  });

  it('says how to enable the stream of a table without one', async () => {
    const table = tableName('nostream');
    await client.send(
      new CreateTableCommand({
        TableName: table,
        AttributeDefinitions: [{ AttributeName: 'pk', AttributeType: 'S' }],
        KeySchema: [{ AttributeName: 'pk', KeyType: 'HASH' }],
        BillingMode: 'PAY_PER_REQUEST',
      }),
    );
    const result = await stream(table, scratch(), '--once');
    expect(result.code).toBe(1);
    // -o json: the error is one JSON object a script can branch on.
    const error = JSON.parse(oneLineError(result)) as { code: string; message: string; hint: string };
    expect(error.code).toBe('stream.disabled');
    expect(error.message).toBe(`Table "${table}" has no stream enabled`);
    expect(error.hint).toMatch(`update-table --table-name ${table} --stream-specification StreamEnabled=true,StreamViewType=NEW_IMAGE`);
  });

  it('rejects a bad --batch-size and a checkpoint file that is not one', async () => {
    const bad = await run(['stream', '--once', '--batch-size', '5000']);
    expect(bad.code).toBe(2);
    expect(oneLineError(bad)).toMatch(/--batch-size must be a whole number from 1 to 1000/);

    const { table } = await tableWithConversations();
    const dir = scratch();
    expect((await stream(table, dir, '--once')).code).toBe(0);
    const [file] = (await import('node:fs')).readdirSync(dir);
    writeFileSync(join(dir, file!), '{ not json');
    const broken = await stream(table, dir, '--once');
    expect(broken.code).toBe(1);
    expect(oneLineError(broken)).toMatch(/checkpoint .* is not valid .*Delete it to start again/);
  });
});

describe('cruddur-ddb stream (following)', () => {
  it('applies messages as they arrive and stops cleanly on SIGTERM', async () => {
    const { table, first } = await tableWithConversations();
    const child = spawn(process.execPath, [CLI, 'stream', '--table', table, '--checkpoint-dir', scratch(), '-o', 'json'], { env: cleanEnv({}, true) });
    let stderr = '';
    let stdout = '';
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    const exited = new Promise<number | null>((resolve) => child.on('close', resolve));
    const waitFor = async (check: () => Promise<boolean>) => {
      for (let i = 0; i < scaled(100) && !(await check()); i++) await new Promise((resolve) => setTimeout(resolve, 100));
    };
    await waitFor(async () => (await inbox(table, bayko))[0]?.[1] === at(7));
    await createMessage(client, table, { messageGroupUuid: first, sender: bayko, message: 'while following', createdAt: at(40) });
    await waitFor(async () => (await inbox(table, bayko))[0]?.[1] === at(40));
    expect((await inbox(table, bayko))[0]).toEqual(['andrewbrown', at(40), 'while following']);
    child.kill('SIGTERM');
    expect(await exited).toBe(0);
    expect(stderr).toMatch(/SIGTERM: stopping after the current batch/);
    const summary = JSON.parse(stdout);
    expect(summary).toMatchObject({ messages: 6, moved: 3, failedRecords: 0 });
    // Said once, and in the words of the JSON keys: every count of the summary appears by its name and value.
    const done = stderr.match(/^Done: .*$/gm) ?? [];
    expect(done).toHaveLength(1);
    for (const key of ['records', 'batches', 'messages', 'moved', 'unchanged', 'older', 'distrusted', 'missing', 'unusable', 'failedRecords'])
      expect(done[0]).toMatch(new RegExp(`\\b${key}\\b[^,]* ${summary[key]}(,|\\.$)`));
  });
});

describe('readyShards (pure)', () => {
  it('starts a child only once its parent is finished or trimmed away', async () => {
    const dir = scratch();
    const checkpoint = await Checkpoint.load(dir, 'arn:test');
    const closed = { SequenceNumberRange: { StartingSequenceNumber: '1', EndingSequenceNumber: '9' } };
    const shards = [
      { ShardId: 'old', ParentShardId: 'trimmed-long-ago', ...closed },
      { ShardId: 'child', ParentShardId: 'old' },
      { ShardId: 'grandchild', ParentShardId: 'child' },
    ];
    const ids = () => readyShards(shards, checkpoint, new Set()).map((shard) => shard.ShardId);
    expect(ids()).toEqual(['old']);
    expect(readyShards(shards, checkpoint, new Set(['old']))).toEqual([]);
    await checkpoint.save('old', { done: true });
    expect(ids()).toEqual(['child']);
    await checkpoint.save('child', { sequenceNumber: '12' });
    expect(ids()).toEqual(['child']);
    // The file a restart reads says the same.
    const reloaded = await Checkpoint.load(dir, 'arn:test');
    expect(readyShards(shards, reloaded, new Set()).map((shard) => shard.ShardId)).toEqual(['child']);
    expect(reloaded.place('child')).toEqual({ sequenceNumber: '12' });
  });
});

describe('the runner in-process', () => {
  const streams = new DynamoDBStreamsClient({ endpoint: dynamoUrl(), region: 'us-east-1', credentials: { accessKeyId: 'x', secretAccessKey: 'x' } });
  const streamArn = async (table: string) => (await client.send(new DescribeTableCommand({ TableName: table }))).Table!.LatestStreamArn!;
  const options = async (table: string, apply: RunnerOptions['apply']): Promise<RunnerOptions> => ({
    streams,
    streamArn: await streamArn(table),
    region: 'us-east-1',
    checkpoint: await Checkpoint.load(scratch(), await streamArn(table)),
    from: 'trim-horizon',
    once: true,
    batchSize: 100,
    signal: new AbortController().signal,
    apply,
    say: () => {},
  });
  const deps = (table: string, c: DynamoDBClient = client) => ({ client: c, table });

  it('hands the handler records shaped exactly like the Lambda event', async () => {
    const { table } = await tableWithConversations();
    const seen: DynamoDBStreamRecord[] = [];
    await runStream(await options(table, async (records) => (seen.push(...records), processRecords(records, deps(table)))));
    const documented = event.Records[0]!;
    const record = seen.find((r) => r.dynamodb?.Keys?.pk?.S?.startsWith('MSG#'))!;
    expect(Object.keys(record).sort()).toEqual(Object.keys(documented).sort());
    expect(Object.keys(record.dynamodb!).sort()).toEqual(Object.keys(documented.dynamodb!).sort());
    expect(record).toMatchObject({ eventName: 'INSERT', eventSource: 'aws:dynamodb', eventVersion: '1.1', eventSourceARN: await streamArn(table) });
    expect(record.dynamodb).toMatchObject({ ApproximateCreationDateTime: expect.any(Number), StreamViewType: 'NEW_IMAGE', SequenceNumber: expect.any(String) });
  });

  it('checkpoints before the first failed record, reads it again, and gives up after three tries with --once', async () => {
    const { table } = await tableWithConversations();
    const batches: { first: string; failed: string }[] = [];
    const failing = await options(table, async (records) => {
      const result = await processRecords(records, deps(table));
      const failed = records.find((r) => r.dynamodb?.Keys?.pk?.S?.startsWith('MSG#'))!.dynamodb!.SequenceNumber!;
      batches.push({ first: records[0]!.dynamodb!.SequenceNumber!, failed });
      return { ...result, batchItemFailures: [{ itemIdentifier: failed }] };
    });
    await expect(runStream(failing)).rejects.toMatchObject({ code: 'stream.records_failed' });
    expect(batches).toHaveLength(3);
    // The first batch began before the failed record; every retry began at it.
    expect(batches[0]!.first).not.toBe(batches[0]!.failed);
    expect(batches[1]).toEqual({ first: batches[0]!.failed, failed: batches[0]!.failed });
    expect(batches[2]).toEqual(batches[1]);
    // The checkpoint holds the record just before the failed one.
    const saved = JSON.parse(readFileSync(failing.checkpoint.path, 'utf8')) as { shards: Record<string, { sequenceNumber: string }> };
    const place = Object.values(saved.shards)[0]!.sequenceNumber;
    expect(BigInt(place) < BigInt(batches[0]!.failed)).toBe(true);
    expect(BigInt(place) >= BigInt(batches[0]!.first)).toBe(true);

    // The next run picks up at the failed record and, now succeeding, applies the rest.
    const healthy = { ...(await options(table, (records) => processRecords(records, deps(table)))), checkpoint: failing.checkpoint };
    const totals = await runStream(healthy);
    expect(totals.failedRecords).toBe(0);
    expect(totals.messages).toBeGreaterThan(0);
    expect((await inbox(table, andrew))[0]).toEqual(['bayko', at(7), 'latest of first']);
  });
});

describe('stream --help', () => {
  it('has examples and every option', async () => {
    const help = await run(['stream', '--help']);
    expect(help.code).toBe(0);
    expect(help.stdout).toMatch(/Examples:\n {2}\$ cruddur-ddb stream/);
    for (const option of ['--from', '--once', '--checkpoint-dir', '--batch-size']) expect(help.stdout).toContain(option);
  });
});
