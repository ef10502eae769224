/**
 * The two item kinds of the messages table, exactly as the Cruddur backend (boto3) writes them
 * (DESIGN.md, "The data model"), and their JSON shapes as the backend returns them.
 *
 * - message group (one per participant): pk `GRP#<owner>`, sk last message time, message_group_uuid,
 *   message (the last one), user_uuid / user_display_name / user_handle of the OTHER participant;
 * - message: pk `MSG#<group>`, sk created time, message_uuid, message, user_uuid / user_display_name /
 *   user_handle of the sender.
 * Every attribute is a string (S).
 */
import type { AttributeValue } from '@aws-sdk/client-dynamodb';
import { groupPk, messagePk } from './keys.js';

export type Item = Record<string, AttributeValue>;

/** A person in a conversation. */
export interface Participant {
  uuid: string;
  displayName: string;
  handle: string;
}

/** The backend's JSON for a message group: the other participant, and the last message. */
export interface MessageGroupJson {
  uuid: string;
  display_name: string;
  handle: string;
  message: string;
  created_at: string;
}

/** The backend's JSON for a message: its uuid, the sender, the text and the time. */
export interface MessageJson {
  uuid: string;
  display_name: string;
  handle: string;
  message: string;
  created_at: string;
}

export interface GroupItemFields {
  owner: Participant;
  other: Participant;
  messageGroupUuid: string;
  /** The last message of the conversation. */
  message: string;
  /** The last message's time, fixed-width (keys.ts skTime). */
  sk: string;
}

/** The group item `owner` sees: it names the other participant. */
export function groupItem(fields: GroupItemFields): Item {
  return {
    pk: { S: groupPk(fields.owner.uuid) },
    sk: { S: fields.sk },
    message_group_uuid: { S: fields.messageGroupUuid },
    message: { S: fields.message },
    user_uuid: { S: fields.other.uuid },
    user_display_name: { S: fields.other.displayName },
    user_handle: { S: fields.other.handle },
  };
}

/** Both group items of a conversation between `a` and `b`. */
export function groupItemPair(a: Participant, b: Participant, fields: Omit<GroupItemFields, 'owner' | 'other'>): [Item, Item] {
  return [groupItem({ ...fields, owner: a, other: b }), groupItem({ ...fields, owner: b, other: a })];
}

export interface MessageItemFields {
  messageGroupUuid: string;
  messageUuid: string;
  sender: Participant;
  message: string;
  /** Created time, fixed-width (keys.ts skTime). */
  sk: string;
}

export function messageItem(fields: MessageItemFields): Item {
  return {
    pk: { S: messagePk(fields.messageGroupUuid) },
    sk: { S: fields.sk },
    message_uuid: { S: fields.messageUuid },
    message: { S: fields.message },
    user_uuid: { S: fields.sender.uuid },
    user_display_name: { S: fields.sender.displayName },
    user_handle: { S: fields.sender.handle },
  };
}

const text = (item: Item, name: string): string => item[name]?.S ?? '';

/** A group item as the backend's JSON (created_at is the stored sk, whatever ISO form it has). */
export function toMessageGroupJson(item: Item): MessageGroupJson {
  return {
    uuid: text(item, 'message_group_uuid'),
    display_name: text(item, 'user_display_name'),
    handle: text(item, 'user_handle'),
    message: text(item, 'message'),
    created_at: text(item, 'sk'),
  };
}

export function toMessageJson(item: Item): MessageJson {
  return {
    uuid: text(item, 'message_uuid'),
    display_name: text(item, 'user_display_name'),
    handle: text(item, 'user_handle'),
    message: text(item, 'message'),
    created_at: text(item, 'sk'),
  };
}
