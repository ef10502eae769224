import { join } from 'node:path';

/** The local store's settings, SDK-free so `local`'s definition (and its --help) can show them. */

/** Where `local` keeps DynamoDB Local's data: see store.ts. */
export type StoreKind = 'snapshot' | 'disk' | 'memory';

/** A snapshot every this many seconds by default (`local --snapshot-every`). */
export const SNAPSHOT_EVERY_SECONDS = 60;

/** How `local`'s first line says where the data is kept. */
export function storeWords(kind: StoreKind, dataDir: string | undefined, everySeconds: number): string {
  if (kind === 'memory' || !dataDir) return 'in memory, nothing kept';
  if (kind === 'disk') return `data in ${dataDir}, on disk at every write`;
  const when = everySeconds > 0 ? `every ${everySeconds} s and at stop` : 'at stop';
  return `in memory, kept in ${join(dataDir, 'snapshot')} ${when}`;
}
