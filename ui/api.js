// The page's calls to the server (src/ui/server.ts). Each list call returns one page:
// { items, cursor, query, raw }.

async function call(path, init) {
  const response = await fetch(path, init);
  const body = await response.json().catch(() => ({ message: `${response.status} ${response.statusText}` }));
  if (!response.ok) throw new Error(body.message ?? `HTTP ${response.status}`);
  return body;
}

const withCursor = (path, cursor) => (cursor ? `${path}?cursor=${encodeURIComponent(cursor)}` : path);

export const info = () => call('/api/info');
export const users = (cursor) => call(withCursor('/api/users', cursor));
export const conversations = (user, cursor) => call(withCursor(`/api/users/${encodeURIComponent(user)}/conversations`, cursor));
export const messages = (group, cursor) => call(withCursor(`/api/conversations/${encodeURIComponent(group)}/messages`, cursor));
export const send = (from, to, text) =>
  call('/api/send', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ from, to, text }) });
const post = (path, body) => call(path, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
export const query = (request) => post('/api/query', request);
export const putItem = (item, force) => post('/api/item/put', { item, force });
export const deleteItem = (pk, sk) => post('/api/item/delete', { pk, sk });
export const handle = (text) => call(`/api/handles/${encodeURIComponent(text)}`);
export const start = (from, toHandle, text) =>
  call('/api/conversations', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ from, to: toHandle, text }) });
