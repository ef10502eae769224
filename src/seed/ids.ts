/**
 * Deterministic ids and randomness for the seed, so running it twice writes the same keys (and so
 * overwrites rather than duplicates).
 */
import { createHash } from 'node:crypto';

/** A fixed namespace for Cruddur seed data (any constant would do; this one is ours). */
const NAMESPACE = Buffer.from('6f1c2b7e4d3a4e0f9b8a7c6d5e4f3a2b', 'hex');

/** A name-based uuid in the RFC 9562 version-5 layout (SHA-1 of namespace + name). */
export function uuidFromName(name: string): string {
  const hash = createHash('sha1').update(NAMESPACE).update(name, 'utf8').digest();
  hash[6] = (hash[6]! & 0x0f) | 0x50; // version 5
  hash[8] = (hash[8]! & 0x3f) | 0x80; // RFC variant
  const hex = hash.subarray(0, 16).toString('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}

/** A small seeded generator (mulberry32): the same seed value gives the same sequence. */
export function seededRandom(seedValue: string): () => number {
  let state = createHash('sha256').update(seedValue).digest().readUInt32LE(0);
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
