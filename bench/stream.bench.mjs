/**
 * The messaging stream: (1) writes per batch: 100 new messages across 5 conversations must cost about
 * 5 group moves (TransactWriteItems), not 100, measured against the same 100 messages handled one record
 * at a time; (2) how long `cruddur-ddb stream --once` takes to apply 1,000 new messages, against the
 * same command with nothing new to read (its fixed cost: start-up, DescribeTable, DescribeStream).
 */
import { BatchWriteItemCommand, CreateTableCommand } from '@aws-sdk/client-dynamodb';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { CLI, fmt, localClient, localEnv, measure, report, startDynamo, verdict } from './lib.mjs';

// This process's own SDK clients need not warn about Node 20 (the CLI silences it itself).
process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';

const CONVERSATIONS = 5;

function counted(url) {
  const client = localClient(url);
  const counts = { TransactWriteItemsCommand: 0, QueryCommand: 0 };
  client.middlewareStack.add(
    (next, context) => (args) => {
      if (context.commandName in counts) counts[context.commandName]++;
      return next(args);
    },
    { step: 'initialize', name: 'count-requests' },
  );
  return { client, counts, reset: () => Object.keys(counts).forEach((key) => (counts[key] = 0)) };
}

async function tableWithConversations(client, patterns, table) {
  await client.send(new CreateTableCommand(patterns.messagesTableInput(table)));
  const groups = [];
  for (let i = 0; i < CONVERSATIONS; i++) {
    const sender = { uuid: `00000000-0000-4000-8000-00000000000${i}`, displayName: `Sender ${i}`, handle: `sender${i}` };
    const recipient = { uuid: `00000000-0000-4000-8000-00000000010${i}`, displayName: `Recipient ${i}`, handle: `recipient${i}` };
    const created = await patterns.createMessageGroup(client, table, { sender, recipient, message: 'hi', createdAt: '2026-01-01T00:00:00Z' });
    groups.push({ uuid: created.message_group_uuid, sender });
  }
  return groups;
}

/** `count` message items, round-robin over the groups, each later than the one before. */
function messages(patterns, groups, count, startMs) {
  return Array.from({ length: count }, (_, i) => {
    const group = groups[i % groups.length];
    return patterns.messageItem({
      messageGroupUuid: group.uuid,
      messageUuid: `m-${startMs}-${i}`,
      sender: group.sender,
      message: `message ${i}`,
      sk: patterns.skTime(new Date(startMs + i)),
    });
  });
}

/** Lambda-shaped INSERT records for message items. */
const asRecords = (items) =>
  items.map((item, i) => ({
    eventID: `e${i}`,
    eventName: 'INSERT',
    eventVersion: '1.1',
    eventSource: 'aws:dynamodb',
    awsRegion: 'us-east-1',
    dynamodb: { Keys: { pk: item.pk, sk: item.sk }, NewImage: item, SequenceNumber: String(1000 + i), SizeBytes: 200, StreamViewType: 'NEW_IMAGE' },
    eventSourceARN: 'arn:aws:dynamodb:us-east-1:000000000000:table/bench/stream/x',
  }));

async function writeAll(client, table, items) {
  for (let i = 0; i < items.length; i += 25) {
    await client.send(new BatchWriteItemCommand({ RequestItems: { [table]: items.slice(i, i + 25).map((Item) => ({ PutRequest: { Item } })) } }));
  }
}

export async function run() {
  const patterns = await import('../dist/patterns/index.js');
  const { processRecords } = await import('../dist/patterns/stream.js');
  const dynamo = await startDynamo();
  const dir = mkdtempSync(join(tmpdir(), 'cruddur-bench-stream-'));
  try {
    const { client, counts, reset } = counted(dynamo.url);

    // 1. Writes per batch.
    const batchTable = 'bench-stream-batch';
    const groups = await tableWithConversations(client, patterns, batchTable);
    const batch = asRecords(messages(patterns, groups, 100, Date.parse('2026-02-01T00:00:00Z')));
    reset();
    let started = performance.now();
    const batched = await processRecords(batch, { client, table: batchTable });
    const batchedMs = performance.now() - started;
    const batchedCounts = { ...counts };
    // The same 100 messages one record per invocation (later times, so every one really moves).
    const single = asRecords(messages(patterns, groups, 100, Date.parse('2026-03-01T00:00:00Z')));
    reset();
    started = performance.now();
    for (const record of single) await processRecords([record], { client, table: batchTable });
    const singleMs = performance.now() - started;
    const singleCounts = { ...counts };
    if (batched.batchItemFailures.length) throw new Error('the batch had failures');
    report(
      'stream: writes for a batch of 100 message inserts across 5 conversations',
      [
        {
          way: 'one batch of 100 (processRecords)',
          TransactWriteItems: batchedCounts.TransactWriteItemsCommand,
          'GSI queries': batchedCounts.QueryCommand,
          ms: fmt(batchedMs, 0),
        },
        {
          way: '100 single-record batches (baseline)',
          TransactWriteItems: singleCounts.TransactWriteItemsCommand,
          'GSI queries': singleCounts.QueryCommand,
          ms: fmt(singleMs, 0),
        },
      ],
      [
        `Goal: about 5 group moves per batch, not 100: ${verdict(batchedCounts.TransactWriteItemsCommand <= CONVERSATIONS)} (${batchedCounts.TransactWriteItemsCommand} transactions, ${fmt(singleCounts.TransactWriteItemsCommand / batchedCounts.TransactWriteItemsCommand, 0)}x fewer than one per record).`,
      ],
    );

    // 2. `stream --once` applying 1,000 new messages, three rounds; the checkpoint carries over.
    const table = 'bench-stream-runner';
    const runnerGroups = await tableWithConversations(client, patterns, table);
    const env = localEnv(dynamo.url, { DDB_MESSAGE_TABLE: table });
    const once = (...extra) => measure(process.execPath, [CLI, 'stream', '--once', '--checkpoint-dir', dir, '-o', 'json', ...extra], { env });
    await once(); // drains the groups' creation, so each round reads only its own messages
    const rows = [];
    const idle = [];
    for (let round = 0; round < 3; round++) idle.push(await once());
    const mid = (values) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];
    rows.push({
      run: 'stream --once, nothing new (fixed cost)',
      messages: 0,
      ms: fmt(mid(idle.map((r) => r.ms)), 0),
      'peak MB': fmt(mid(idle.map((r) => r.peakMb)), 0),
    });
    for (const batchSize of ['100', '1000']) {
      const timings = [];
      for (let round = 0; round < 3; round++) {
        await writeAll(client, table, messages(patterns, runnerGroups, 1000, Date.parse(`2026-04-0${round + 1}T00:00:00Z`) + Number(batchSize) * 1e7));
        timings.push(await once('--batch-size', batchSize));
      }
      const ms = mid(timings.map((r) => r.ms));
      rows.push({ run: `stream --once --batch-size ${batchSize}`, messages: 1000, ms: fmt(ms, 0), 'peak MB': fmt(mid(timings.map((r) => r.peakMb)), 0) });
    }
    const fixed = mid(idle.map((r) => r.ms));
    const perMessage = (Number(rows[1].ms) - fixed) / 1000;
    report('stream: `stream --once` applying 1,000 new messages (median of 3 rounds)', rows, [
      `Above the fixed cost: ${fmt(perMessage, 2)} ms per message at --batch-size 100, ${fmt((Number(rows[2].ms) - fixed) / 1000, 2)} ms at 1000 (DynamoDB Local, 5 conversations).`,
    ]);
  } finally {
    rmSync(dir, { recursive: true, force: true });
    await dynamo.stop();
  }
}
