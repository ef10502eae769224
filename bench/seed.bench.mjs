/**
 * `cruddur-ddb seed --synthetic 20000` against DynamoDB Local, vs in the same run:
 *   (a) one PutItem per item in sequence (what the old seed script did), and
 *   (b) the raw ceiling: a bare BatchWriteItem loop at the best concurrency found here.
 * Goals: >= 10x (a) and >= 0.9x (b) in items/s.
 *
 * Every writer is its own node process (start-up and SDK load included), and every measurement gets a
 * fresh, empty DynamoDB Local: its in-memory store (with the table's stream) gets slower as it fills,
 * so reusing one server would favour whichever writer ran first.
 */
import { CreateTableCommand } from '@aws-sdk/client-dynamodb';
import { rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { CLI, fmt, localClient, localEnv, measure, report, startDynamo, verdict } from './lib.mjs';

const N = 20000;
/** The sequential baseline writes the same items too (slow: about a minute). */
const PUT_N = N;
const WRITERS = fileURLToPath(new URL('./seed-writers.mjs', import.meta.url));
const OLD_SCRIPT = fileURLToPath(new URL('./seed-old-script.py', import.meta.url));
const TABLE = 'cruddur-messages';

/** Runs `args(url)` (a node script and its arguments; or, with `command`, that command's arguments) against a fresh DynamoDB Local holding an empty messages table. */
async function onFreshDynamo(args, command = process.execPath) {
  const dynamo = await startDynamo();
  try {
    const { messagesTableInput } = await import('../dist/patterns/index.js');
    const client = localClient(dynamo.url);
    await client.send(new CreateTableCommand(messagesTableInput(TABLE)));
    client.destroy();
    return await measure(command, args(dynamo.url), { env: localEnv(dynamo.url) });
  } finally {
    await dynamo.stop();
  }
}

export async function run() {
  // items = N messages + 2 group items per conversation (N/200 conversations)
  const itemsFor = (n) => n + 2 * Math.ceil(n / 200);
  const rate = (n, ms) => itemsFor(n) / (ms / 1000);
  const row = (writer, n, r) => ({ writer, items: itemsFor(n), seconds: fmt(r.ms / 1000), 'items/s': fmt(rate(n, r.ms), 0), 'peak MB': fmt(r.peakMb, 0) });

  const ceilings = [];
  for (const concurrency of [2, 4, 8, 16, 32]) {
    const r = await onFreshDynamo((url) => [WRITERS, 'batch', url, TABLE, String(N), String(concurrency)]);
    ceilings.push({ concurrency, ...r, rate: rate(N, r.ms) });
  }
  const ceiling = ceilings.reduce((a, b) => (a.rate > b.rate ? a : b));

  const ours = [];
  for (let i = 0; i < 2; i++) ours.push(await onFreshDynamo(() => [CLI, 'seed', '--synthetic', String(N), '--table', TABLE]));
  const mine = ours.reduce((a, b) => (a.ms < b.ms ? a : b));
  const mineRate = rate(N, mine.ms);
  const sequential = await onFreshDynamo((url) => [WRITERS, 'put', url, TABLE, String(PUT_N)]);
  const seqRate = rate(PUT_N, sequential.ms);

  // The old script itself was Python: the same items through boto3's put_item, for reference.
  const { syntheticItems } = await import('../dist/seed/synthetic.js');
  const itemsFile = join(tmpdir(), `cruddur-seed-bench-${process.pid}.json`);
  writeFileSync(itemsFile, JSON.stringify([...syntheticItems(PUT_N, 'cruddur')]));
  let boto3;
  try {
    boto3 = await onFreshDynamo((url) => [OLD_SCRIPT, url, TABLE, itemsFile], 'python3');
  } catch (error) {
    console.error(`boto3 baseline skipped: ${error.message}`);
  } finally {
    rmSync(itemsFile, { force: true });
  }

  const vsSequential = mineRate / seqRate;
  const vsCeiling = mineRate / ceiling.rate;
  report(
    `seed --synthetic ${N} vs sequential PutItem and the bare BatchWriteItem ceiling`,
    [
      row(`cruddur-ddb seed --synthetic ${N} (default --concurrency 8), best of 2`, N, mine),
      ...ceilings.map((c) => row(`bare BatchWriteItem loop, ${c.concurrency} in flight${c === ceiling ? ' (ceiling)' : ''}`, N, c)),
      row(`(a) one PutItem at a time, same SDK (the old script's pattern)`, PUT_N, sequential),
      ...(boto3 ? [row('one put_item at a time through Python boto3 (the old script itself)', PUT_N, boto3)] : []),
    ],
    [
      `Goal >= 10x sequential PutItem: ${fmt(vsSequential, 1)}x, ${verdict(vsSequential >= 10)}. Goal >= 0.9x the ceiling: ${fmt(vsCeiling, 2)}x, ${verdict(vsCeiling >= 0.9)}.`,
      `Why (a) is out of reach here: the bare BatchWriteItem ceiling itself is only ${fmt(ceiling.rate / seqRate, 1)}x sequential PutItem on DynamoDB Local, whose per-item work (not per-request overhead) dominates; no BatchWriteItem writer can reach 10x on it.`,
      ...(boto3 ? [`For reference, vs the old script's own Python boto3 put_item loop: ${fmt(mineRate / rate(PUT_N, boto3.ms), 1)}x.`] : []),
      'Each writer is a separate node process (start-up and SDK load included) writing the same generated items into a fresh DynamoDB Local (in memory) with an empty table.',
    ],
  );
}
