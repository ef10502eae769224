/** The local store's settings, SDK-free so `local`'s definition (and its --help) can show them. */

/** Where `local` keeps DynamoDB Local's data: see store.ts. */
export type StoreKind = 'snapshot' | 'disk' | 'memory';

/** A snapshot every this many seconds by default (`local --snapshot-every`). */
export const SNAPSHOT_EVERY_SECONDS = 60;
