/**
 * Runs a transaction of group-item deletes and puts (the stream's move, `repair`, `seed`) and gives a put
 * whose key is taken a free one. A group item's key is (`GRP#<owner>`, time): two conversations of one owner
 * that get a message in the same instant want the same key, and the second put fails its
 * `attribute_not_exists(pk)` condition. Such a put is retried one microsecond later (in the same time form,
 * as `createMessage` does for messages), in the same all-or-nothing transaction, so a conversation never
 * stalls behind another one's key.
 */
import { TransactWriteItemsCommand, type DynamoDBClient, type TransactWriteItemsCommandInput } from '@aws-sdk/client-dynamodb';
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
export function takenPutIndexes(input: TransactWriteItemsCommandInput, error: unknown): number[] | undefined {
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
export function withNextKeys(input: TransactWriteItemsCommandInput, indexes: readonly number[]): TransactWriteItemsCommandInput {
  const items = (input.TransactItems ?? []).map((action, index) => {
    if (!indexes.includes(index) || !action.Put?.Item?.sk?.S) return action;
    const Item = { ...action.Put.Item, sk: { S: nextMicrosecondLike(action.Put.Item.sk.S) } };
    return { ...action, Put: { ...action.Put, Item } };
  });
  return { ...input, TransactItems: items };
}

/** Sends the transaction, moving taken put keys on by a microsecond; returns what was finally written. */
export async function transactWithFreeKeys(client: DynamoDBClient, input: TransactWriteItemsCommandInput): Promise<TransactWriteItemsCommandInput> {
  let current = input;
  for (let attempt = 1; ; attempt++) {
    try {
      await client.send(new TransactWriteItemsCommand(current));
      return current;
    } catch (error) {
      const taken = takenPutIndexes(current, error);
      if (!taken || attempt >= MAX_GROUP_KEY_ATTEMPTS) throw error;
      current = withNextKeys(current, taken);
    }
  }
}
