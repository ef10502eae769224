/**
 * `copy --users`: who the slice is of. A count (`--users 20`: the tool picks) or a list of people
 * (`--users andrewbrown,@bayko,5ae290ed-…`: handles, with or without `@`, and user uuids, mixed).
 * Pure and SDK-free, so the command's definition parses it and a bad value is a usage error (exit 2)
 * before anything is read.
 */
import { UsageError } from '../core/errors.js';
import { UUID_PATTERN } from '../core/checks.js';

export type UsersSpec = { kind: 'count'; count: number } | { kind: 'named'; handles: string[]; uuids: string[] };

/** A slice is for a developer's laptop: a count above this is a full copy in disguise. */
export const MAX_SLICE_USERS = 10_000;

const HINT = 'Give a count (--users 20) or handles and uuids separated by commas (--users andrewbrown,bayko)';

export function parseUsers(text: string): UsersSpec {
  const value = text.trim();
  if (/^[0-9]+$/.test(value)) {
    const count = Number(value);
    if (count < 1 || count > MAX_SLICE_USERS)
      throw new UsageError('copy.bad_users', `--users must be a count from 1 to ${MAX_SLICE_USERS}, got "${text}"`, HINT);
    return { kind: 'count', count };
  }
  const handles = new Set<string>();
  const uuids = new Set<string>();
  for (const piece of value.split(',')) {
    const name = piece.trim();
    if (UUID_PATTERN.test(name)) {
      uuids.add(name.toLowerCase());
      continue;
    }
    const handle = name.replace(/^@/, '');
    // A handle is one word: a space or an empty piece is a quoting or comma mistake worth naming.
    if (handle === '' || /\s/.test(handle)) throw new UsageError('copy.bad_users', `--users "${text}" holds an empty or spaced name ("${piece}")`, HINT);
    handles.add(handle);
  }
  if (handles.size + uuids.size > MAX_SLICE_USERS) throw new UsageError('copy.bad_users', `--users names more than ${MAX_SLICE_USERS} users`, HINT);
  return { kind: 'named', handles: [...handles], uuids: [...uuids] };
}
