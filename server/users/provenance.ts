// Credential provenance: who could be holding an account. Whoever issued the set-password link
// an account's password came from may have used that link themselves, so the two-person rule
// treats an account and the issuer of its credential as possibly one person. Only the direct
// issuer counts: a longer chain needs an admin in the middle, and once two admins exist no
// admin's credential can come from a link its requester issued (grants, promotions re-issue).
import { and, count, eq, inArray, isNull } from 'drizzle-orm';
import type { Db } from '@/db/client';
import { settings, users } from '@/db/schema';

interface Node {
  id: string;
  email: string;
  issuedBy: string | null;
}

async function loadNodes(db: Db): Promise<Map<string, Node>> {
  const all = await db.select({ id: users.id, email: users.email, issuedBy: users.credentialIssuedBy }).from(users);
  return new Map(all.map((u) => [u.id, u]));
}

export type Relation =
  | { kind: 'same' }
  /** the approver issued the other's credential */
  | { kind: 'issued' }
  /** the approver holds a credential the other issued */
  | { kind: 'holds' };

/** How `approverId` and `otherId` may be one person, or null. */
export function relation(nodes: Map<string, Node>, approverId: string, otherId: string): Relation | null {
  if (approverId === otherId) return { kind: 'same' };
  if (nodes.get(otherId)?.issuedBy === approverId) return { kind: 'issued' };
  if (nodes.get(approverId)?.issuedBy === otherId) return { kind: 'holds' };
  return null;
}

/**
 * Why `approverId` may not approve what the accounts `editorEmails` wrote, or null. Refused when
 * the approver is an editor, issued an editor's credential, or holds a credential an editor issued.
 */
export async function twoPersonConflict(db: Db, approverId: string, editorEmails: string[]): Promise<string | null> {
  const nodes = await loadNodes(db);
  const approver = nodes.get(approverId);
  if (!approver) return 'Your account is not known to this console';
  const byEmail = new Map([...nodes.values()].map((n) => [n.email, n]));
  for (const email of editorEmails) {
    if (email === approver.email) return 'You edited this revision: someone else must approve it';
    const editor = byEmail.get(email);
    const r = editor ? relation(nodes, approverId, editor.id) : null;
    if (r?.kind === 'issued') return `You issued the password link of ${email}, who edited this revision: an admin who did not must approve it`;
    if (r?.kind === 'holds') return `Your password was set through a link ${email} issued, and ${email} edited this revision: another admin must approve it`;
  }
  return null;
}

export async function enabledAdminCount(db: Db): Promise<number> {
  const [row] = await db.select({ n: count() }).from(users).where(and(eq(users.role, 'admin'), isNull(users.disabledAt)));
  return Number(row?.n ?? 0);
}

const TWO_ADMINS_KEY = 'two_admins_since';

/**
 * Records, once, that the console has had two enabled admins. From then on making an admin
 * always needs a second admin's approval, even if one is later disabled or demoted: otherwise
 * disabling the other admin would reopen the one-admin path (the CLI stays as break-glass).
 */
export async function noteAdminCount(tx: Db, now: Date): Promise<void> {
  if ((await enabledAdminCount(tx)) >= 2) {
    await tx.insert(settings).values({ key: TWO_ADMINS_KEY, value: now.toISOString() }).onConflictDoNothing();
  }
}

/** Whether making an admin needs a second admin's approval. */
export async function adminGrantRequired(tx: Db): Promise<boolean> {
  if ((await enabledAdminCount(tx)) >= 2) return true;
  const [row] = await tx.select({ key: settings.key }).from(settings).where(inArray(settings.key, [TWO_ADMINS_KEY])).limit(1);
  return Boolean(row);
}
