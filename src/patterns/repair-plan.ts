/**
 * `repair`'s planner (pure): given ONE conversation's group items and its newest message (by instant under
 * the time rule), what is wrong and the one transaction that heals it. Target: exactly one group item per
 * owner, at the newest message's sk, with its text. The conditions are the stream handler's: a delete needs
 * the item still there (attribute_exists), a new key must be free (attribute_not_exists; a taken one moves on
 * a microsecond, see group-transaction.ts), so a concurrent writer makes the transaction fail and be re-read,
 * never overwritten.
 */
import type { TransactWriteCommandInput } from '@aws-sdk/lib-dynamodb';
import { MAX_GROUP_KEY_ATTEMPTS } from './group-transaction.js';
import { plainGroupItem, type Participant, type PlainItem } from './items.js';
import { GROUP_PREFIX } from './keys.js';
import { compareTimes, instantOf } from './time.js';

export type FindingKind = 'behind' | 'ahead' | 'duplicate' | 'missing';
export const FINDING_KINDS: readonly FindingKind[] = ['behind', 'ahead', 'duplicate', 'missing'];

export interface Finding {
  kind: FindingKind;
  /** The owner's uuid (the GRP# pk without its prefix). */
  owner: string;
  /** The group item's sk (absent for 'missing'). */
  sk?: string;
}

export interface NewestMessage {
  sk: string;
  message: string;
}

export interface ConversationRepairPlan {
  findings: Finding[];
  /** The fix, or undefined when nothing is wrong or nothing can be done. */
  input: TransactWriteCommandInput | undefined;
  /** Problems no write can fix, in words (e.g. a missing item for an owner whose name no item records). */
  unfixable: string[];
}

/** A transaction holds at most 100 actions (https://docs.aws.amazon.com/amazondynamodb/latest/APIReference/API_TransactWriteItems.html). */
const MAX_ACTIONS = 100;

const ownerOf = (item: PlainItem): string => (item.pk ?? '').slice(GROUP_PREFIX.length);

/**
 * Whether a group item is where the stream would leave it: same text, at the message's instant or a few
 * microseconds after (a key taken by another conversation moves on by one microsecond at a time).
 */
function inPlace(item: PlainItem, newest: NewestMessage, zone: string): boolean {
  if (item.message !== newest.message) return false;
  try {
    const gap = instantOf(item.sk!, zone) - instantOf(newest.sk, zone);
    return gap >= 0n && gap <= BigInt(MAX_GROUP_KEY_ATTEMPTS);
  } catch {
    return item.sk === newest.sk;
  }
}

/**
 * Plans the repair of one conversation. `people` holds what the messages say about their senders (uuid ->
 * name and handle), so an owner's missing item can name the other participant.
 */
export function planConversationRepair(
  table: string,
  messageGroupUuid: string,
  groupItems: readonly PlainItem[],
  newest: NewestMessage | undefined,
  people: ReadonlyMap<string, Participant>,
  zone = 'UTC',
): ConversationRepairPlan {
  const findings: Finding[] = [];
  const unfixable: string[] = [];
  const actions: NonNullable<TransactWriteCommandInput['TransactItems']> = [];
  // No message at all: the group items point at nothing we could move them to; leave them.
  if (!newest || groupItems.length === 0) return { findings, input: undefined, unfixable };

  const byOwner = new Map<string, PlainItem[]>();
  for (const item of groupItems) {
    const owner = ownerOf(item);
    byOwner.set(owner, [...(byOwner.get(owner) ?? []), item]);
  }
  // Both people: every owner, and everyone an item names as the other participant.
  const participants = new Set<string>([...byOwner.keys(), ...groupItems.map((item) => item.user_uuid ?? '').filter(Boolean)]);

  for (const [owner, items] of byOwner) {
    const newestFirst = [...items].sort((a, b) => compareTimes(b.sk!, a.sk!, zone));
    const keep = newestFirst.find((item) => inPlace(item, newest, zone)) ?? newestFirst[0]!;
    for (const extra of newestFirst) if (extra !== keep) findings.push({ kind: 'duplicate', owner, sk: extra.sk! });
    const ok = inPlace(keep, newest, zone);
    if (!ok) findings.push({ kind: compareTimes(keep.sk!, newest.sk, zone) > 0 ? 'ahead' : 'behind', owner, sk: keep.sk! });
    const atTarget = (item: PlainItem) => item.sk === newest.sk;
    for (const item of items) {
      if ((ok && item === keep) || (!ok && atTarget(item))) continue;
      actions.push({ Delete: { TableName: table, Key: { pk: item.pk!, sk: item.sk! }, ConditionExpression: 'attribute_exists(pk)' } });
    }
    if (!ok) {
      const existing = items.find(atTarget);
      const Item = { ...keep, sk: newest.sk, message: newest.message };
      // An item already at the target key is overwritten in place (a delete and a put of one key cannot share a transaction).
      actions.push({ Put: { TableName: table, Item, ConditionExpression: existing ? 'attribute_exists(pk)' : 'attribute_not_exists(pk)' } });
    }
  }

  for (const owner of participants) {
    if (byOwner.has(owner)) continue;
    findings.push({ kind: 'missing', owner });
    // The missing item names the other participant; its owner's name comes from the other's item or the messages.
    const template = groupItems.find((item) => item.user_uuid === owner);
    const otherUuid = template ? ownerOf(template) : undefined;
    const other = otherUuid ? people.get(otherUuid) : undefined;
    const ownerPerson: Participant = {
      uuid: owner,
      displayName: template?.user_display_name ?? people.get(owner)?.displayName ?? '',
      handle: template?.user_handle ?? people.get(owner)?.handle ?? '',
    };
    if (!other) {
      unfixable.push(`conversation ${messageGroupUuid}: no group item for ${owner}, and no message from the other participant says their name`);
      continue;
    }
    const Item = plainGroupItem({ owner: ownerPerson, other, messageGroupUuid, message: newest.message, sk: newest.sk });
    actions.push({ Put: { TableName: table, Item, ConditionExpression: 'attribute_not_exists(pk)' } });
  }

  if (actions.length > MAX_ACTIONS) {
    unfixable.push(`conversation ${messageGroupUuid}: ${actions.length} changes are more than one transaction holds (${MAX_ACTIONS})`);
    return { findings, input: undefined, unfixable };
  }
  return { findings, input: actions.length ? { TransactItems: actions } : undefined, unfixable };
}
