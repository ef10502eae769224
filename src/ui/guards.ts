/**
 * What the page's server says and checks on every answer, beyond its routes: the page may not be
 * framed by another site (clickjacking), runs only its own scripts and styles (a CSP it works under),
 * a write comes only from the page itself (Origin), and the live connections are bounded.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';

/**
 * The page loads /app.js, /render.js, /api.js and /style.css from itself, talks to /api/* (fetch and
 * EventSource) and has a `data:` icon: nothing else is allowed, no inline script or style, no framing.
 */
export const CONTENT_SECURITY_POLICY = [
  "default-src 'none'",
  "script-src 'self'",
  "style-src 'self'",
  "img-src 'self' data:",
  "connect-src 'self'",
  "base-uri 'none'",
  "form-action 'none'",
  "frame-ancestors 'none'",
].join('; ');

export const SECURITY_HEADERS: Record<string, string> = {
  'content-security-policy': CONTENT_SECURITY_POLICY,
  // For browsers that predate frame-ancestors.
  'x-frame-options': 'DENY',
  'x-content-type-options': 'nosniff',
  'referrer-policy': 'no-referrer',
  'cross-origin-opener-policy': 'same-origin',
  'cross-origin-resource-policy': 'same-origin',
};

export function setSecurityHeaders(response: ServerResponse): void {
  for (const [name, value] of Object.entries(SECURITY_HEADERS)) response.setHeader(name, value);
}

/**
 * A write must come from the page itself: a browser names the page that sends (Origin, and
 * Sec-Fetch-Site in current browsers), and it must be this server under the Host it was opened at.
 * A request without either header is not a browser's (curl, a script on this machine): no page of
 * another site can send it, so it passes, as it did before.
 */
export function foreignOrigin(request: IncomingMessage): string | undefined {
  const origin = request.headers.origin;
  const site = request.headers['sec-fetch-site'];
  if (site !== undefined && site !== 'same-origin' && site !== 'none') return `a ${site} page`;
  if (origin === undefined) return undefined;
  return origin === `http://${request.headers.host ?? ''}` ? undefined : origin;
}

/** Pages open at once, each holding one Server-Sent Events connection: enough for any person, far below a file-descriptor limit. */
export const MAX_LIVE_CONNECTIONS = 64;
