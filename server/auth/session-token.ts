import type { Role } from '@/db/schema';

export interface SessionClaims {
  uid?: unknown;
  role?: unknown;
  /** sign-in time, epoch milliseconds */
  signedInAt?: unknown;
  [key: string]: unknown;
}

/**
 * The session token's lifecycle: stamped at sign-in, refused once it is older than the
 * session lifetime however often it was refreshed. Returns null to end the session.
 */
export function refreshSessionClaims<T extends SessionClaims>(
  token: T,
  user: { id?: string; role?: Role } | undefined,
  nowMs: number,
  maxAgeS: number,
): T | null {
  if (user) {
    token.uid = user.id;
    token.role = user.role;
    token.signedInAt = nowMs;
  }
  if (typeof token.signedInAt !== 'number' || typeof token.uid !== 'string') return null;
  if (nowMs - token.signedInAt > maxAgeS * 1000 || token.signedInAt > nowMs + 60_000) return null;
  return token;
}
