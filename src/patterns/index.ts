/**
 * The messages table's access patterns, for this CLI and for a backend (`import ... from 'cruddur-ddb'`).
 * See DESIGN.md, "The data model" and "Access patterns".
 */
export * from './keys.js';
export * from './table.js';
export * from './cursor.js';
export * from './items.js';
export * from './queries.js';
export * from './writes.js';
export * from './conversation-between.js';
export * from './move-group.js';
export * from './time.js';
export * from './group-transaction.js';
export * from './repair-plan.js';
export * from './repair.js';
export * from './stream-event.js';
export * from './stream.js';
