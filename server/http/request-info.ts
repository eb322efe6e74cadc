import { randomUUID } from 'node:crypto';

/**
 * Set by server/main.ts from the socket (or, with MESHWARD_TRUST_PROXY, from the load
 * balancer's X-Forwarded-For) after dropping any value the client sent.
 */
export const CLIENT_IP_HEADER = 'x-meshward-client-ip';

export function clientIp(headers: Headers): string | null {
  return headers.get(CLIENT_IP_HEADER)?.slice(0, 64) || null;
}

export function requestId(headers: Headers): string {
  const given = headers.get('x-request-id');
  return given && /^[\w.\-:]{1,128}$/.test(given) ? given : randomUUID();
}

/**
 * Whether a state-changing request comes from this console's own pages. Browsers send
 * Origin on every POST; a missing or foreign Origin, or a cross-site fetch, is refused.
 */
export function isSameOrigin(headers: Headers, publicUrl?: string): boolean {
  const site = headers.get('sec-fetch-site');
  if (site && site !== 'same-origin' && site !== 'none') return false;
  const origin = headers.get('origin');
  if (!origin) return false;
  if (publicUrl) return origin === new URL(publicUrl).origin;
  const host = headers.get('x-forwarded-host') ?? headers.get('host');
  if (!host) return false;
  const proto = headers.get('x-forwarded-proto') ?? 'http';
  return origin === `${proto}://${host}`;
}
