/**
 * The two item kinds of the messages table, exactly as the Cruddur backend (boto3) writes them
 * (README.md, "The data model"), and their JSON shapes as the backend returns them.
 *
 * - message group (one per participant): pk `GRP#<owner>`, sk last message time, message_group_uuid,
 *   message (the last one), user_uuid / user_display_name / user_handle of the OTHER participant;
 * - message: pk `MSG#<group>`, sk created time, message_uuid, message, user_uuid / user_display_name /
 *   user_handle of the sender.
 * Every attribute is a string (S). The patterns read and write plain items (`PlainItem`) through the document
 * client (doc-client.ts); the typed form (`Item`) stays for the seed's batch writer, which it shares with
 * import/copy (typed end to end: exact typed JSON, and measured faster on scan output).
 */
import type { AttributeValue } from '@aws-sdk/client-dynamodb';
import { groupPk, messagePk } from './keys.js';

export type Item = Record<string, AttributeValue>;

/** An item of the messages table as the document client reads and writes it: every attribute a string. */
export type PlainItem = Record<string, string>;

/** The typed form of a plain item (all strings), for the typed batch writer. */
export const typedItem = (item: PlainItem): Item => Object.fromEntries(Object.entries(item).map(([name, value]) => [name, { S: value }]));

/** The plain form of an item that holds only strings (others are left out). */
export const plainItem = (item: Item): PlainItem =>
  Object.fromEntries(Object.entries(item).flatMap(([name, value]) => (value.S === undefined ? [] : [[name, value.S]])));

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

/** The group item `owner` sees: it names the other participant (plain). */
export function plainGroupItem(fields: GroupItemFields): PlainItem {
  return {
    pk: groupPk(fields.owner.uuid),
    sk: fields.sk,
    message_group_uuid: fields.messageGroupUuid,
    message: fields.message,
    user_uuid: fields.other.uuid,
    user_display_name: fields.other.displayName,
    user_handle: fields.other.handle,
  };
}

/** The group item `owner` sees, typed. */
export const groupItem = (fields: GroupItemFields): Item => typedItem(plainGroupItem(fields));

/** Both group items of a conversation between `a` and `b`, typed. */
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

/** A message item (plain). */
export function plainMessageItem(fields: MessageItemFields): PlainItem {
  return {
    pk: messagePk(fields.messageGroupUuid),
    sk: fields.sk,
    message_uuid: fields.messageUuid,
    message: fields.message,
    user_uuid: fields.sender.uuid,
    user_display_name: fields.sender.displayName,
    user_handle: fields.sender.handle,
  };
}

/** A message item, typed. */
export const messageItem = (fields: MessageItemFields): Item => typedItem(plainMessageItem(fields));

const text = (item: PlainItem, name: string): string => item[name] ?? '';

/** A group item as the backend's JSON (created_at is the stored sk, whatever ISO form it has). */
export function toMessageGroupJson(item: PlainItem): MessageGroupJson {
  return {
    uuid: text(item, 'message_group_uuid'),
    display_name: text(item, 'user_display_name'),
    handle: text(item, 'user_handle'),
    message: text(item, 'message'),
    created_at: text(item, 'sk'),
  };
}

export function toMessageJson(item: PlainItem): MessageJson {
  return {
    uuid: text(item, 'message_uuid'),
    display_name: text(item, 'user_display_name'),
    handle: text(item, 'user_handle'),
    message: text(item, 'message'),
    created_at: text(item, 'sk'),
  };
}
