/**
 * What the backend needs of a message or group item (DESIGN.md, the data model): `sk` is a time, a
 * group item carries `message_group_uuid` (the GSI is built from it), a message item does not (it would
 * land in the GSI and show as a conversation). A hand-made put or update that breaks this warns and
 * needs --force.
 */
import { UUID_PATTERN } from '../core/checks.js';
import type { Item } from '../transfer/typed-json.js';
import { isTime } from '../patterns/time.js';

export function modelProblems(item: Item, zone: string): string[] {
  const pk = item.pk?.S;
  if (pk === undefined) return [];
  const kind = pk.startsWith('MSG#') ? 'message' : pk.startsWith('GRP#') ? 'group' : undefined;
  if (!kind) return [];
  const problems: string[] = [];
  const sk = item.sk?.S;
  if (sk === undefined || !isTime(sk, zone))
    problems.push(`a ${kind} item's sk must be a time (like 2026-11-25T03:07:49.788804+00:00), got ${sk === undefined ? 'none' : `"${sk}"`}`);
  const group = item.message_group_uuid;
  if (kind === 'group' && (group?.S === undefined || !UUID_PATTERN.test(group.S)))
    problems.push('a group item needs message_group_uuid (a uuid): the conversations index is built from it');
  if (kind === 'message' && group !== undefined)
    problems.push('a message item must not carry message_group_uuid: it would show in the conversations index as a group');
  return problems;
}
