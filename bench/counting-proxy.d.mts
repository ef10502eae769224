/** Types of bench/counting-proxy.mjs, for the TypeScript tests that use it. */
export interface ScanSeen {
  table: string;
  index: string | undefined;
  limit: number | undefined;
  scanned: number;
}

export interface CountingStats {
  /** Calls per operation: { Query: 12, BatchWriteItem: 4, ... }. */
  calls: Record<string, number>;
  /** The ScannedCount of every Query and Scan answer, summed. */
  itemsRead: number;
  scans: ScanSeen[];
}

export interface CountingProxy {
  url: string;
  stats: CountingStats;
  reset(): void;
  close(): Promise<void>;
}

export function startCountingProxy(target: string): Promise<CountingProxy>;
