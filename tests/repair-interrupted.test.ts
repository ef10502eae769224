/**
 * `repair` stopped mid-run (issue 22, "not tried yet"): Ctrl-C (SIGINT) or killed outright (SIGKILL) while it
 * works through 150 damaged conversations, then run again. Each conversation is healed by one
 * transaction, so whatever moment it stopped at, the re-run must finish the job and nothing may be doubled:
 * exactly two group items per conversation, every message once, and a third run finds nothing to do.
 */
import { BatchWriteItemCommand, ScanCommand } from '@aws-sdk/client-dynamodb';
import { spawn } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { groupItemPair, messageItem, skTime, type Item, type Participant } from '../src/patterns/index.js';
import { CLI, cleanEnv, createMessagesTable, run, testClient } from './helpers/cli.js';
import { scaled } from './helpers/time-scale.js';

const client = testClient();
const CONVERSATIONS = 150;
const person = (i: number): Participant => ({ uuid: `8d000000-0000-4000-8000-${String(i).padStart(12, '0')}`, displayName: `User ${i}`, handle: `user${i}` });
const T1 = skTime(new Date('2026-11-20T15:00:00Z'));
const T2 = skTime(new Date('2026-11-20T15:01:00Z'));

/** CONVERSATIONS conversations of two messages each, both group items left at the first (behind). */
async function damagedTable(): Promise<string> {
  const table = await createMessagesTable('repair-stop');
  const items: Item[] = [];
  for (let c = 0; c < CONVERSATIONS; c++) {
    const [a, b] = [person(2 * c), person(2 * c + 1)];
    const messageGroupUuid = randomUUID();
    items.push(...groupItemPair(a, b, { messageGroupUuid, message: 'first', sk: T1 }));
    items.push(messageItem({ messageGroupUuid, messageUuid: randomUUID(), sender: a, message: 'first', sk: T1 }));
    items.push(messageItem({ messageGroupUuid, messageUuid: randomUUID(), sender: b, message: 'second', sk: T2 }));
  }
  for (let i = 0; i < items.length; i += 25)
    await client.send(new BatchWriteItemCommand({ RequestItems: { [table]: items.slice(i, i + 25).map((Item) => ({ PutRequest: { Item } })) } }));
  return table;
}

/** The group items, as [sk, message] counts. */
async function groupCounts(table: string): Promise<{ total: number; healed: number }> {
  let total = 0;
  let healed = 0;
  let ExclusiveStartKey: Record<string, unknown> | undefined;
  do {
    const page = await client.send(new ScanCommand({ TableName: table, IndexName: 'message-group-sk-index', ExclusiveStartKey: ExclusiveStartKey as never }));
    for (const item of page.Items ?? []) {
      total++;
      if (item.sk?.S === T2 && item.message?.S === 'second') healed++;
    }
    ExclusiveStartKey = page.LastEvaluatedKey;
  } while (ExclusiveStartKey);
  return { total, healed };
}

async function allItems(table: string): Promise<number> {
  let count = 0;
  let ExclusiveStartKey: Record<string, unknown> | undefined;
  do {
    const page = await client.send(new ScanCommand({ TableName: table, Select: 'COUNT', ExclusiveStartKey: ExclusiveStartKey as never }));
    count += page.Count ?? 0;
    ExclusiveStartKey = page.LastEvaluatedKey;
  } while (ExclusiveStartKey);
  return count;
}

describe('repair stopped mid-run, then run again', () => {
  it.each(['SIGINT', 'SIGKILL'] as const)(
    '%s mid-run: the re-run heals the rest, nothing is doubled, a third run finds nothing',
    async (signal) => {
      const table = await damagedTable();
      const child = spawn(process.execPath, [CLI, 'repair', '--table', table, '--concurrency', '2', '-o', 'json'], { env: cleanEnv({}, true) });
      let stderr = '';
      child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
      const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
        child.on('close', (code, sig) => resolve({ code, signal: sig })),
      );
      // Stop it once some conversations are healed and most are not.
      let healedAtStop = 0;
      for (let i = 0; i < scaled(600); i++) {
        healedAtStop = (await groupCounts(table)).healed;
        if (healedAtStop >= 20) break;
        await new Promise((resolve) => setTimeout(resolve, 50));
      }
      child.kill(signal);
      const stopped = await exited;
      expect(healedAtStop, 'repair was stopped before it healed anything').toBeGreaterThanOrEqual(20);
      // It did not get to the end: the case is a real interruption.
      expect(stopped.code === 0, stderr).toBe(false);
      const mid = await groupCounts(table);
      expect(mid.total).toBe(2 * CONVERSATIONS);
      expect(mid.healed).toBeLessThan(2 * CONVERSATIONS);
      // One transaction a conversation: never one of its two items healed without the other.
      expect(mid.healed % 2).toBe(0);

      const again = await run(['repair', '--table', table, '-o', 'json']);
      expect(again.code, again.stderr).toBe(0);
      const report = JSON.parse(again.stdout) as { conversations: number; repaired: number; failed: number; found: Record<string, number> };
      expect(report).toMatchObject({ conversations: CONVERSATIONS, failed: 0, found: { duplicate: 0, missing: 0, ahead: 0 } });
      // What the first run had done is not done again; what it had not, is.
      expect(report.repaired).toBe(CONVERSATIONS - mid.healed / 2);
      expect(await groupCounts(table)).toEqual({ total: 2 * CONVERSATIONS, healed: 2 * CONVERSATIONS });
      expect(await allItems(table)).toBe(4 * CONVERSATIONS);

      const third = await run(['repair', '--table', table, '-o', 'json']);
      expect(JSON.parse(third.stdout)).toMatchObject({ repaired: 0, found: { behind: 0, ahead: 0, duplicate: 0, missing: 0 } });
    },
    240_000,
  );
});
