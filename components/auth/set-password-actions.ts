'use server';

import { headers } from 'next/headers';
import type { Ctx } from '@/server/context';
import { isDomainError } from '@/server/errors';
import { clientIp, requestId } from '@/server/http/request-info';
import { getRuntime } from '@/server/runtime';
import { inspectPasswordLink, usePasswordLink } from '@/server/users/links';
import { setPasswordWithLinkInput } from '@/server/users/schemas';

async function publicCtx(): Promise<Ctx> {
  const rt = await getRuntime();
  const h = await headers();
  return { db: rt.database.db, now: () => new Date(), actor: null, requestId: requestId(h), sourceIp: clientIp(h) };
}

export type LinkCheck = { ok: true; email: string; expiresAt: string } | { ok: false; error: string };

/** Whose account a link is for, or why it cannot be used (no password involved yet). */
export async function checkPasswordLinkAction(token: string): Promise<LinkCheck> {
  const r = await inspectPasswordLink(await publicCtx(), String(token ?? ''));
  return r.ok ? { ok: true, email: r.email, expiresAt: r.expiresAt.toISOString() } : r;
}

export type SetPasswordResult = { ok: true; email: string } | { ok: false; error: string; field?: 'password' };

/** Sets the password from a one-time link. Anyone holding the link may call this: the link is the credential. */
export async function setPasswordWithLinkAction(token: string, password: string): Promise<SetPasswordResult> {
  const parsed = setPasswordWithLinkInput.safeParse({ token, password });
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    return { ok: false, error: issue?.message ?? 'Check the password', field: issue?.path[0] === 'password' ? 'password' : undefined };
  }
  try {
    return { ok: true, ...(await usePasswordLink(await publicCtx(), parsed.data)) };
  } catch (e) {
    if (isDomainError(e)) return { ok: false, error: e.message };
    throw e;
  }
}
