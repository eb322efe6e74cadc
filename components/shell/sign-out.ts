'use server';

import { signOut } from '@/server/auth/authjs';

export async function signOutAction() {
  await signOut({ redirectTo: '/signin' });
}

/** After a password change every session of the account is over, this one included. */
export async function signOutAfterPasswordChange() {
  await signOut({ redirectTo: '/signin?notice=password-changed' });
}
