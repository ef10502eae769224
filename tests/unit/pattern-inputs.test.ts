/** The access-pattern library's pure input builders: no network. */
import { describe, expect, it } from 'vitest';
import { createMessageGroupInput, InvalidCursorError, listMessageGroupsInput, listMessagesInput, type Participant } from '../../src/patterns/index.js';

const andrew: Participant = { uuid: '7f3a0c42-5d1e-4b8a-9c2f-0a1b2c3d4e5f', displayName: 'Andrew Brown', handle: 'andrewbrown' };
const bayko: Participant = { uuid: '1c2d3e4f-5a6b-4c7d-8e9f-a0b1c2d3e4f5', displayName: 'Andrew Bayko', handle: 'bayko' };

describe('input builders (no network)', () => {
  it('queries a partition newest first with no year filter, and pages with an opaque cursor', () => {
    const input = listMessageGroupsInput('t', 'u-1', { limit: 5 });
    expect(input).toMatchObject({
      KeyConditionExpression: 'pk = :pk',
      ScanIndexForward: false,
      Limit: 5,
      ExpressionAttributeValues: { ':pk': 'GRP#u-1' },
    });
    expect(input.ExclusiveStartKey).toBeUndefined();
    expect(JSON.stringify(input)).not.toMatch(/begins_with/);
    const messages = listMessagesInput('t', 'g-1', { since: '2026-01-01T00:00:00.000000+00:00' });
    expect(messages.KeyConditionExpression).toBe('pk = :pk AND sk >= :since');
    expect(listMessagesInput('t', 'g-1', { since: 'a', until: 'b' }).KeyConditionExpression).toBe('pk = :pk AND sk BETWEEN :since AND :until');
    expect(() => listMessagesInput('t', 'g-1', { limit: 0 })).toThrow(RangeError);
  });

  it('refuses a cursor that is garbage or from another list', () => {
    const cursor = Buffer.from(JSON.stringify({ pk: 'MSG#g-1', sk: '2026-01-01T00:00:00.000000+00:00' })).toString('base64url');
    expect(listMessagesInput('t', 'g-1', { cursor }).ExclusiveStartKey).toEqual({ pk: 'MSG#g-1', sk: '2026-01-01T00:00:00.000000+00:00' });
    expect(() => listMessagesInput('t', 'g-2', { cursor })).toThrow(InvalidCursorError);
    expect(() => listMessagesInput('t', 'g-1', { cursor: 'not json!' })).toThrow(InvalidCursorError);
  });

  it('puts both group items and the first message in one conditional transaction', () => {
    const input = createMessageGroupInput('t', {
      sender: andrew,
      recipient: bayko,
      message: 'hi',
      createdAt: '2026-11-25T03:07:49.788804+00:00',
      messageGroupUuid: 'g',
      messageUuid: 'm',
    });
    expect(input.TransactItems).toHaveLength(3);
    expect(input.TransactItems?.map((t) => t.Put?.Item?.pk)).toEqual([`GRP#${andrew.uuid}`, `GRP#${bayko.uuid}`, 'MSG#g']);
    expect(input.TransactItems?.every((t) => t.Put?.ConditionExpression === 'attribute_not_exists(pk)')).toBe(true);
  });
});
