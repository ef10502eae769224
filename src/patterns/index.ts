/**
 * The messages table's access patterns, for this CLI and for a backend (`import ... from 'cruddur-ddb'`).
 * Every export is named on purpose; helpers the library uses inside stay inside. Nothing here imports
 * from outside src/patterns. The Lambda handler has its own entry (src/lambda/messaging-stream.ts).
 * See README.md, "The data model", and docs/direct-messages.md, "The library".
 */
export { MESSAGE_GROUP_INDEX, BILLING_MODES, messagesTableInput, shapeDifferences, type Billing } from './table.js';
export { groupPk, messagePk } from './keys.js';
export { skTime, toSkTime, parseTime, isSkTime } from './time.js';
export { InvalidCursorError } from './cursor.js';
export {
  groupItem,
  groupItemPair,
  messageItem,
  plainGroupItem,
  plainMessageItem,
  plainItem,
  typedItem,
  toMessageGroupJson,
  toMessageJson,
  type Item,
  type PlainItem,
  type Participant,
  type MessageGroupJson,
  type MessageJson,
  type GroupItemFields,
  type MessageItemFields,
} from './items.js';
export {
  DEFAULT_PAGE_SIZE,
  listMessageGroupsInput,
  listMessageGroups,
  listMessagesInput,
  listMessages,
  conversationsOf,
  messagePagesOf,
  messagesInOrder,
  type Page,
  type PageOptions,
  type MessagePageOptions,
} from './queries.js';
export {
  createMessageInput,
  createMessage,
  createMessageGroupInput,
  createMessageGroup,
  type CreatedMessage,
  type NewMessage,
  type NewMessageGroup,
} from './writes.js';
export { findConversation, findConversationInput } from './conversation-between.js';
export { sendMessage, SendMessageError, type SendMessageInput, type SentMessage, type UserRef } from './send-message.js';
export {
  moveConversation,
  moveGroupItemsInput,
  planMove,
  distrustAfter,
  FUTURE_ALLOWANCE_MS,
  type LatestMessage,
  type MoveOutcome,
  type MoveRule,
  type MovePlan,
} from './move-group.js';
export {
  DEFAULT_TIME_RULE,
  TIME_FORMS,
  isTimeZone,
  instantOf,
  isTime,
  compareTimes,
  formatInstant,
  toRuleTime,
  nowInRule,
  isCanonicalTime,
  sortByInstant,
  type TimeForm,
  type TimeRule,
} from './time.js';
export { transactWithFreeKeys, MAX_GROUP_KEY_ATTEMPTS } from './group-transaction.js';
export { planConversationRepair, FINDING_KINDS, type FindingKind, type Finding, type NewestMessage, type ConversationRepairPlan } from './repair-plan.js';
export { GROUPS_SCAN_INPUT, repairTable, type RepairOptions, type RepairReport } from './repair.js';
export { processRecords, latestPerConversation, type StreamDeps, type BatchResult, type ConversationUpdate } from './stream.js';
export type { DynamoDBStreamEvent, DynamoDBStreamRecord, StreamBatchResponse, StreamImage, StreamRecordData } from './stream-event.js';
