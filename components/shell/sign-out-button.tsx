'use client';

import { markSigningOut } from './leaving';
import { signOutAction } from './sign-out';

export function SignOutButton() {
  return (
    <form action={signOutAction} onSubmit={markSigningOut}>
      <button className="btn small" type="submit" style={{ width: '100%' }}>Sign out</button>
    </form>
  );
}
