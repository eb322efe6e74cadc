'use server';

import { signOut } from '@/server/auth/authjs';

/** Signs this browser out; the session record is revoked too (server/auth/authjs.ts, events.signOut). */
export async function signOutAction() {
  await signOut({ redirectTo: '/signin' });
}

/** After a password change every session of the account is over, this one included. */
export async function signOutAfterPasswordChange() {
  await signOut({ redirectTo: '/signin?notice=password-changed' });
}

/** After "sign out everywhere" (session.signOutEverywhere) this browser's cookie goes too. */
export async function signOutAfterEndingAll() {
  await signOut({ redirectTo: '/signin?notice=signed-out-everywhere' });
}
