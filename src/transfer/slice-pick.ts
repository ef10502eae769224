/**
 * Who a `copy --users` slice is of (docs: "A slice of prod"):
 *   - named users: a uuid is taken as it is; a handle is looked up in public.users when the source
 *     side has a PostgreSQL URL, else found as the `user_handle` of a group item (a Scan of the index,
 *     which holds group items only, stopped as soon as every handle is found);
 *   - a count N with PostgreSQL: public.users in a fixed spread order (md5 of the uuid), keeping the
 *     first N who have a conversation. Each one's probe is the Query of their group items the slice
 *     needs anyway; a user without conversations costs one empty Query;
 *   - a count N without PostgreSQL: the owners of the first group items of a Scan of the index, pages
 *     of N items, stopped at N owners: about N items read, whatever the table's size.
 * Either way no Scan touches the table's messages.
 */
import { paginateScan } from '@aws-sdk/client-dynamodb';
import { CliError } from '../core/errors.js';
import { redactUrl } from '../core/environment.js';
import { GROUP_PREFIX } from '../patterns/keys.js';
import { MESSAGE_GROUP_INDEX } from '../patterns/table.js';
import { findUsersByHandle, usersInSpreadOrder } from '../postgres/users.js';
import { groupsOfUsers, type PickedUser, type SliceReader } from './slice.js';
import type { UsersSpec } from './slice-users.js';
import type { Item } from './typed-json.js';

export interface Picked {
  users: PickedUser[];
  /** How they were picked, for the progress line ("from public.users at …"). */
  how: string;
}

/** Public.users rows probed for a count at most, over the count: a database of people who never wrote a message ends the search. */
const PROBE_FACTOR = 50;

export async function pickUsers(reader: SliceReader, spec: UsersSpec, postgresUrl: string | undefined): Promise<Picked> {
  if (spec.kind === 'named') return namedUsers(reader, spec.handles, spec.uuids, postgresUrl);
  return postgresUrl ? countFromPostgres(reader, spec.count, postgresUrl) : countFromIndex(reader, spec.count);
}

/** A Scan of the index (group items only), page by page, metered; stop by breaking out. */
function scanIndex(reader: SliceReader, pageSize: number, projection: string) {
  return paginateScan({ client: reader.client, pageSize }, { TableName: reader.table, IndexName: MESSAGE_GROUP_INDEX, ProjectionExpression: projection });
}

async function namedUsers(reader: SliceReader, handles: string[], uuids: string[], postgresUrl: string | undefined): Promise<Picked> {
  const found = new Map<string, string>(); // handle -> uuid
  if (handles.length > 0 && postgresUrl) {
    for (const [handle, user] of await findUsersByHandle(postgresUrl, handles)) found.set(handle, user.uuid);
  } else if (handles.length > 0) {
    const wanted = new Set(handles);
    scan: for await (const page of scanIndex(reader, 1000, 'user_uuid, user_handle')) {
      reader.onRead(page.ScannedCount ?? 0);
      for (const item of page.Items ?? []) {
        const handle = item.user_handle?.S;
        if (handle && item.user_uuid?.S && wanted.delete(handle)) found.set(handle, item.user_uuid.S);
        if (wanted.size === 0) break scan;
      }
    }
  }
  const unknown = handles.filter((handle) => !found.has(handle));
  if (unknown.length > 0) {
    const where = postgresUrl ? `public.users at ${redactUrl(postgresUrl)}` : `any group item of ${reader.table}`;
    throw new CliError('copy.unknown_user', `No user ${unknown.map((h) => `@${h}`).join(', ')} in ${where}`, {
      hint: 'Check the handle, or give the user uuid instead',
    });
  }
  const named = [...[...found].map(([handle, uuid]) => ({ uuid, handle })), ...uuids.map((uuid) => ({ uuid, handle: undefined }))];
  // One user named twice (by handle and by uuid) is one user.
  const unique = [...new Map(named.map((user) => [user.uuid, user])).values()];
  const groups = await groupsOfUsers(
    reader,
    unique.map((user) => user.uuid),
  );
  return {
    users: unique.map((user) => ({ ...user, groups: groups.get(user.uuid) ?? [] })),
    how:
      handles.length === 0
        ? 'by uuid'
        : postgresUrl
          ? `by handle in public.users at ${redactUrl(postgresUrl)}`
          : `by handle in the group items of ${reader.table}`,
  };
}

async function countFromPostgres(reader: SliceReader, count: number, url: string): Promise<Picked> {
  const users: PickedUser[] = [];
  let after: string | null = null;
  let probed = 0;
  while (users.length < count && probed < count * PROBE_FACTOR) {
    // Exactly as many as are still wanted: a user with conversations is never read and then dropped.
    const batch = await usersInSpreadOrder(url, after, count - users.length);
    if (batch.length === 0) break;
    after = batch.at(-1)!.order;
    probed += batch.length;
    const groups = await groupsOfUsers(
      reader,
      batch.map((user) => user.uuid),
    );
    for (const user of batch) {
      const items = groups.get(user.uuid) ?? [];
      if (items.length > 0) users.push({ uuid: user.uuid, handle: user.handle, groups: items });
    }
  }
  if (users.length === 0) throw noUsers(reader.table, `none of the ${probed} users of public.users at ${redactUrl(url)} read has a conversation there`);
  return { users, how: `from public.users at ${redactUrl(url)} (spread order, users with conversations)` };
}

async function countFromIndex(reader: SliceReader, count: number): Promise<Picked> {
  const owners: string[] = [];
  const seen = new Set<string>();
  // A group item names the other participant's handle: the owners' handles, where their partner's item was read too.
  const handles = new Map<string, string>();
  // Pages of `count` items: two group items per conversation, so one page usually names enough owners.
  scan: for await (const page of scanIndex(reader, Math.min(count, 1000), 'pk, user_uuid, user_handle')) {
    reader.onRead(page.ScannedCount ?? 0);
    for (const item of (page.Items ?? []) as Item[]) {
      if (item.user_uuid?.S && item.user_handle?.S) handles.set(item.user_uuid.S, item.user_handle.S);
      const pk = item.pk?.S;
      if (!pk?.startsWith(GROUP_PREFIX) || seen.has(pk)) continue;
      seen.add(pk);
      owners.push(pk.slice(GROUP_PREFIX.length));
      if (owners.length === count) break scan;
    }
  }
  if (owners.length === 0) throw noUsers(reader.table, 'it has no group items');
  const groups = await groupsOfUsers(reader, owners);
  return {
    users: owners.map((uuid) => ({ uuid, handle: handles.get(uuid), groups: groups.get(uuid) ?? [] })),
    how: `from the first group items of index ${MESSAGE_GROUP_INDEX} (no PostgreSQL URL for the source)`,
  };
}

const noUsers = (table: string, why: string) =>
  new CliError('copy.no_users', `No user to pick from ${table}: ${why}`, { hint: 'Name users instead (--users handle,…), or copy the whole table' });
