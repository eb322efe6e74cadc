import type { Role } from '@/lib/enums';

export interface SessionClaims {
  uid?: unknown;
  role?: unknown;
  /** the server-side session record's id (db/schema/sessions.ts) */
  sid?: unknown;
  /** sign-in time, epoch milliseconds */
  signedInAt?: unknown;
  [key: string]: unknown;
}

/**
 * The session token's lifecycle: stamped at sign-in with the user and the session record,
 * refused once it is older than the session lifetime however often it was refreshed, or
 * when it names no session record (tokens issued before sessions were recorded). Returns
 * null to end the session.
 */
export function refreshSessionClaims<T extends SessionClaims>(
  token: T,
  user: { id?: string; role?: Role; sessionId?: string } | undefined,
  nowMs: number,
  maxAgeS: number,
): T | null {
  if (user) {
    token.uid = user.id;
    token.role = user.role;
    token.sid = user.sessionId;
    token.signedInAt = nowMs;
  }
  if (typeof token.signedInAt !== 'number' || typeof token.uid !== 'string' || typeof token.sid !== 'string' || !token.sid) return null;
  if (nowMs - token.signedInAt > maxAgeS * 1000 || token.signedInAt > nowMs + 60_000) return null;
  return token;
}
