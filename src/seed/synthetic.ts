/**
 * `seed --synthetic N`: N messages spread over conversations among generated users, for load tests.
 * Everything comes from a seeded generator and fixed times, so the same N and --seed-value write the
 * same items (and a second run overwrites rather than adds).
 *
 * The items are produced one conversation at a time, as the writer asks for them, never all at once:
 * memory stays the same for N = 10,000 and N = 10,000,000 (the documented maximum).
 */
import type { Item, Participant } from '../patterns/items.js';
import { skTime } from '../patterns/time.js';
import { conversationItems, type SeedConversation, type SeedMessage } from './data.js';
import { seededRandom, uuidFromName } from './ids.js';

/** Messages a conversation (the last one takes what is left), and conversations a user. */
const MESSAGES_PER_CONVERSATION = 200;
const CONVERSATIONS_PER_USER = 4;
/** Synthetic time starts here and moves on one second a message (unique keys, in order). */
const START = Date.UTC(2025, 11, 31, 12, 0, 0);

const WORDS = ('ship deploy table stream lambda query cursor page seed batch retry token cache build test review merge ' +
  'coffee lunch tomorrow tonight later now great thanks sure maybe done broken fixed slow fast again').split(' ');

export interface SyntheticPlan {
  messages: number;
  conversations: number;
  users: number;
  /** Items written: every message plus two group items a conversation. */
  items: number;
}

export function syntheticPlan(messageCount: number): SyntheticPlan {
  const conversations = Math.max(1, Math.ceil(messageCount / MESSAGES_PER_CONVERSATION));
  const users = Math.max(2, Math.ceil((conversations * 2) / CONVERSATIONS_PER_USER));
  return { messages: messageCount, conversations, users, items: messageCount + 2 * conversations };
}

/** The generated user number `i` (computed, not stored: 10,000,000 messages make 25,000 users). */
export function syntheticUser(seedValue: string, i: number): Participant {
  return { uuid: uuidFromName(`synthetic:${seedValue}:user:${i}`), handle: `user${i}`, displayName: `Test User ${i}` };
}

/** A generated conversation and its two people. */
export interface SyntheticConversation {
  conversation: SeedConversation;
  people: [Participant, Participant];
}

/**
 * Every conversation, lazily: its messages are a contiguous block of times (one second apart), with
 * senders and words drawn from the seeded generator. Keys are unique by construction: every message has
 * its own second, so no two group items of one owner share a time.
 */
export function* syntheticConversations(messageCount: number, seedValue: string): Generator<SyntheticConversation> {
  const plan = syntheticPlan(messageCount);
  const random = seededRandom(`${seedValue}:${messageCount}`);
  const pick = <T>(list: readonly T[]): T => list[Math.floor(random() * list.length)]!;
  for (let c = 0; c < plan.conversations; c++) {
    const first = c * MESSAGES_PER_CONVERSATION;
    const end = Math.min(messageCount, first + MESSAGES_PER_CONVERSATION);
    if (end <= first) return;
    const a = c % plan.users;
    // Never the same person twice in one conversation.
    const b = (a + 1 + Math.floor(random() * (plan.users - 1))) % plan.users;
    const people: [Participant, Participant] = [syntheticUser(seedValue, a), syntheticUser(seedValue, b)];
    const messages: SeedMessage[] = [];
    for (let i = first; i < end; i++) {
      const length = 3 + Math.floor(random() * 10);
      const text = Array.from({ length }, () => pick(WORDS)).join(' ');
      messages.push({ handle: pick(people).handle, sk: skTime(new Date(START + i * 1000)), text });
    }
    yield {
      conversation: {
        source: `synthetic #${c}`,
        messageGroupUuid: uuidFromName(`synthetic:${seedValue}:${messageCount}:conversation:${c}`),
        handles: [people[0].handle, people[1].handle],
        messages,
      },
      people,
    };
  }
}

/** Every item, lazily (messages, then the conversation's two group items): for the benchmarks' writers. */
export function* syntheticItems(messageCount: number, seedValue: string): Generator<Item> {
  for (const { conversation, people } of syntheticConversations(messageCount, seedValue)) {
    yield* conversationItems(conversation, new Map(people.map((person) => [person.handle, person])));
  }
}
