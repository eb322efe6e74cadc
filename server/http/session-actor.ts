import type { Db } from '@/db/client';
import { can, rolesPhrase, type Permission } from '@/lib/permissions';
import type { SessionRef } from '@/server/auth/actor';
import { loadActor } from '@/server/auth/actor';
import { mustChangePassword, PASSWORD_CHANGE_REQUIRED } from '@/server/auth/password-change';
import type { Ctx } from '@/server/context';
import { clientIp, requestId } from './request-info';

/**
 * requirePermission for the route handlers a browser calls with its session cookie (downloads: search
 * export, report files), answered the way tRPC answers its procedures: 401 when not signed in,
 * 403 when signed in without the permission, both as JSON.
 */

/** Where a request's session comes from: the Auth.js cookie in the console, a fixed one in tests. */
export type SessionSource = () => Promise<SessionRef | null>;

/** The session cookie of the request being handled, as the tRPC context reads it (server/trpc-context.ts). */
export const cookieSession: SessionSource = async () => {
  // loaded on first use: Auth.js needs Next's request scope, which unit tests of handlers do not have
  const { auth, sessionRef } = await import('@/server/auth/authjs');
  return sessionRef(await auth());
};

export interface SessionGateDeps {
  db: Db;
  session: SessionSource;
  now?: () => Date;
}

export type SessionGate = { ok: true; ctx: Ctx } | { ok: false; response: Response };

/**
 * The acting person of `req` if their role holds `permission` (lib/permissions.ts): the session is checked against the database
 * on every request (revoked, expired, disabled, role changed), as for tRPC. A request another
 * site started (Sec-Fetch-Site) is refused: a download link on a foreign page must not run an
 * export in a signed-in analyst's name.
 */
export async function requireSessionPermission(req: Request, deps: SessionGateDeps, permission: Permission): Promise<SessionGate> {
  const now = deps.now ?? (() => new Date());
  const ref = await deps.session();
  const actor = ref ? await loadActor({ db: deps.db, now }, ref) : null;
  if (!actor) return { ok: false, response: jsonError(401, 'Sign in to continue') };
  if (mustChangePassword(actor)) return { ok: false, response: jsonError(403, PASSWORD_CHANGE_REQUIRED) };
  if (!can(actor.role, permission)) return { ok: false, response: jsonError(403, `This needs ${rolesPhrase(permission)}`) };
  const site = req.headers.get('sec-fetch-site');
  if (site && site !== 'same-origin' && site !== 'none') return { ok: false, response: jsonError(403, 'Cross-site request refused: start it from the console') };
  return { ok: true, ctx: { db: deps.db, now, actor, requestId: requestId(req.headers), sourceIp: clientIp(req.headers) } };
}

/** `{ "error": message, …extra }` with `status`, never cached. */
export function jsonError(status: number, error: string, extra: Record<string, unknown> = {}): Response {
  return Response.json({ error, ...extra }, { status, headers: { 'cache-control': 'no-store' } });
}
