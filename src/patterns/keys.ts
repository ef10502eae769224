/**
 * Keys of the messages table (README.md, "The data model"), shared by the access patterns, the seed and
 * the stream handler, so every writer produces the same strings as the Flask backend. Times (what goes
 * in `sk`) are src/patterns/time.ts's.
 */

export const GROUP_PREFIX = 'GRP#';
export const MESSAGE_PREFIX = 'MSG#';

/** pk of a user's message-group items: `GRP#<owner user_uuid>`. */
export const groupPk = (userUuid: string): string => `${GROUP_PREFIX}${userUuid}`;
/** pk of a conversation's messages: `MSG#<message_group_uuid>`. */
export const messagePk = (messageGroupUuid: string): string => `${MESSAGE_PREFIX}${messageGroupUuid}`;

/** The message group uuid of a `MSG#` pk, or undefined for any other pk. */
export function groupUuidOfMessagePk(pk: string): string | undefined {
  return pk.startsWith(MESSAGE_PREFIX) ? pk.slice(MESSAGE_PREFIX.length) : undefined;
}
