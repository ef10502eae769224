/**
 * `seed --synthetic N`: N messages spread over conversations among generated users, for load tests.
 * Everything comes from a seeded generator and fixed times, so the same N and --seed-value write the
 * same items (and a second run overwrites rather than adds).
 */
import type { Participant } from '../patterns/items.js';
import { skTime } from '../patterns/keys.js';
import type { SeedConversation, SeedData } from './data.js';
import { seededRandom, uuidFromName } from './ids.js';

/** About this many messages a conversation, and conversations a user. */
const MESSAGES_PER_CONVERSATION = 200;
const CONVERSATIONS_PER_USER = 4;
/** Synthetic time starts here and moves on one second a message (unique keys, in order). */
const START = Date.UTC(2025, 11, 31, 12, 0, 0);

const WORDS = ('ship deploy table stream lambda query cursor page seed batch retry token cache build test review merge ' +
  'coffee lunch tomorrow tonight later now great thanks sure maybe done broken fixed slow fast again').split(' ');

export function syntheticData(messageCount: number, seedValue: string): SeedData {
  const random = seededRandom(`${seedValue}:${messageCount}`);
  const pick = <T>(list: readonly T[]): T => list[Math.floor(random() * list.length)]!;
  const conversationCount = Math.max(1, Math.ceil(messageCount / MESSAGES_PER_CONVERSATION));
  const userCount = Math.max(2, Math.ceil((conversationCount * 2) / CONVERSATIONS_PER_USER));
  const users: Participant[] = Array.from({ length: userCount }, (_, i) => ({
    uuid: uuidFromName(`synthetic:${seedValue}:user:${i}`),
    handle: `user${i}`,
    displayName: `Test User ${i}`,
  }));
  const conversations: SeedConversation[] = Array.from({ length: conversationCount }, (_, i) => {
    const a = i % userCount;
    // Never the same person twice in one conversation.
    const b = (a + 1 + Math.floor(random() * (userCount - 1))) % userCount;
    return {
      source: `synthetic #${i}`,
      messageGroupUuid: uuidFromName(`synthetic:${seedValue}:${messageCount}:conversation:${i}`),
      handles: [users[a]!.handle, users[b]!.handle],
      messages: [],
    };
  });
  for (let i = 0; i < messageCount; i++) {
    const conversation = pick(conversations);
    const length = 3 + Math.floor(random() * 10);
    const text = Array.from({ length }, () => pick(WORDS)).join(' ');
    conversation.messages.push({ handle: pick(conversation.handles), sk: skTime(new Date(START + i * 1000)), text });
  }
  return { users, conversations: conversations.filter((c) => c.messages.length > 0) };
}
