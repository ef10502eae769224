/** What the seed writes, from either source (the files in seed/ or --synthetic), as table items. */
import { groupItemPair, messageItem, type Item, type Participant } from '../patterns/items.js';
import { uuidFromName } from './ids.js';

export interface SeedMessage {
  handle: string;
  /** Fixed-width time (the sk). */
  sk: string;
  text: string;
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

/** Both group items (at the last message) and every message of a conversation. */
export function conversationItems(conversation: SeedConversation, users: Map<string, Participant>): Item[] {
  const [a, b] = conversation.handles.map((handle) => users.get(handle)!);
  const last = conversation.messages.at(-1);
  if (!a || !b || !last) return [];
  const items = groupItemPair(a, b, { messageGroupUuid: conversation.messageGroupUuid, message: last.text, sk: last.sk });
  for (const message of conversation.messages) {
    items.push(
      messageItem({
        messageGroupUuid: conversation.messageGroupUuid,
        // Derived from the group and the time, so editing other lines leaves this id alone.
        messageUuid: uuidFromName(`message:${conversation.messageGroupUuid}:${message.sk}`),
        sender: users.get(message.handle)!,
        message: message.text,
        sk: message.sk,
      }),
    );
  }
  return items;
}

export function itemCount(data: SeedData): number {
  return data.conversations.reduce((sum, c) => sum + c.messages.length + 2, 0);
}
