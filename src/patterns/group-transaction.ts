/**
 * Runs a transaction of group-item deletes and puts (the stream's move, `repair`, `seed`) and gives a put
 * whose key is taken a free one. A group item's key is (`GRP#<owner>`, time): two conversations of one owner
 * that get a message in the same instant want the same key, and the second put fails its
 * `attribute_not_exists(pk)` condition. Such a put is retried one microsecond later (in the same time form,
 * as `createMessage` does for messages), in the same all-or-nothing transaction, so a conversation never
 * stalls behind another one's key.
 */
import type { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { TransactWriteCommand, type TransactWriteCommandInput } from '@aws-sdk/lib-dynamodb';
import { docClient } from './doc-client.js';
import { nextMicrosecondLike } from './time.js';

/** How many successive microseconds a put tries before the transaction fails. */
export const MAX_GROUP_KEY_ATTEMPTS = 50;

type Reasons = { Code?: string }[];

function cancellationReasons(error: unknown): Reasons | undefined {
  const { name, CancellationReasons } = (error ?? {}) as { name?: string; CancellationReasons?: Reasons };
  return name === 'TransactionCanceledException' ? (CancellationReasons ?? []) : undefined;
}

/**
 * The indexes of the puts that failed only because their key is taken, or undefined when anything else
 * failed (a delete's condition, a conflict with another transaction): those mean "re-read", not "next key".
 * Pure.
 */
export function takenPutIndexes(input: TransactWriteCommandInput, error: unknown): number[] | undefined {
  const reasons = cancellationReasons(error);
  if (!reasons) return undefined;
  const taken: number[] = [];
  for (const [index, reason] of reasons.entries()) {
    if (!reason.Code || reason.Code === 'None') continue;
    if (reason.Code !== 'ConditionalCheckFailed' || !input.TransactItems?.[index]?.Put) return undefined;
    taken.push(index);
  }
  return taken.length > 0 ? taken : undefined;
}

/** The same transaction with the given puts one microsecond later. Pure. */
export function withNextKeys(input: TransactWriteCommandInput, indexes: readonly number[]): TransactWriteCommandInput {
  const items = (input.TransactItems ?? []).map((action, index) => {
    const sk: unknown = action.Put?.Item?.sk;
    if (!indexes.includes(index) || !action.Put || typeof sk !== 'string') return action;
    const Item = { ...action.Put.Item, sk: nextMicrosecondLike(sk) };
    return { ...action, Put: { ...action.Put, Item } };
  });
  return { ...input, TransactItems: items };
}

/** Sends the transaction (a document-client input: plain items), moving taken put keys on by a microsecond; returns what was finally written. */
export async function transactWithFreeKeys(client: DynamoDBClient, input: TransactWriteCommandInput): Promise<TransactWriteCommandInput> {
  let current = input;
  for (let attempt = 1; ; attempt++) {
    try {
      await docClient(client).send(new TransactWriteCommand(current));
      return current;
    } catch (error) {
      const taken = takenPutIndexes(current, error);
      if (!taken || attempt >= MAX_GROUP_KEY_ATTEMPTS) throw error;
      current = withNextKeys(current, taken);
    }
  }
}
