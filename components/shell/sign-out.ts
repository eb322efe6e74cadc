'use server';

import { signOut } from '@/server/auth/authjs';

export async function signOutAction() {
  await signOut({ redirectTo: '/signin' });
}
