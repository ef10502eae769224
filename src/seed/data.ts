/** What the seed writes, from either source (the files in seed/ or --synthetic), as table items. */
import { groupItemPair, messageItem, type Item, type Participant } from '../patterns/items.js';
import { DEFAULT_TIME_RULE, toRuleTime, type TimeRule } from '../patterns/time.js';
import { uuidFromName } from './ids.js';

export interface SeedMessage {
  handle: string;
  /** Fixed-width time (the sk). */
  sk: string;
  text: string;
  /** Line in its file (seed files only), for errors. */
  line?: number;
}

export interface SeedConversation {
  /** Where it came from, for messages: a file name, or "synthetic #n". */
  source: string;
  messageGroupUuid: string;
  handles: [string, string];
  /** Oldest first. */
  messages: SeedMessage[];
}

export interface SeedData {
  users: Participant[];
  conversations: SeedConversation[];
}

/**
 * Both group items (at the last message) and every message of a conversation, their sks written in the time
 * rule's form (default: the fixed-width UTC form the seed holds).
 */
export function conversationItems(conversation: SeedConversation, users: Map<string, Participant>, rule: TimeRule = DEFAULT_TIME_RULE): Item[] {
  const [a, b] = conversation.handles.map((handle) => users.get(handle)!);
  const last = conversation.messages.at(-1);
  if (!a || !b || !last) return [];
  const sk = (utc: string) => (rule.form === 'utc' ? utc : toRuleTime(utc, rule));
  const items = groupItemPair(a, b, { messageGroupUuid: conversation.messageGroupUuid, message: last.text, sk: sk(last.sk) });
  for (const message of conversation.messages) {
    items.push(
      messageItem({
        messageGroupUuid: conversation.messageGroupUuid,
        // Derived from the group and the seed's own UTC time, so editing other lines leaves this id alone, and
        // a seed written in another time form or zone (another sk) is still the same message.
        messageUuid: uuidFromName(`message:${conversation.messageGroupUuid}:${message.sk}`),
        sender: users.get(message.handle)!,
        message: message.text,
        sk: sk(message.sk),
      }),
    );
  }
  return items;
}


/** DynamoDB's item size, counted once for every writer (seed, import, put): src/transfer/item-checks.ts. */
export { itemSize, MAX_ITEM_BYTES } from '../transfer/item-checks.js';
