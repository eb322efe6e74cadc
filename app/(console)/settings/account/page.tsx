import type { Metadata } from 'next';
import { AccountSessions } from '@/components/users/account-sessions';
import { ChangePassword } from '@/components/users/change-password';
import { RoleBadge } from '@/components/ui/role-badge';
import { currentActor } from '@/server/auth/current';

export const metadata: Metadata = { title: 'My account' };

export default async function AccountPage() {
  const actor = await currentActor();
  if (!actor) return null;
  return (
    <div className="page stack">
      <div className="page-head">
        <div>
          <h1>My account</h1>
          <p>Signed in as {actor.email} <RoleBadge role={actor.role} /></p>
        </div>
      </div>
      <ChangePassword />
      <AccountSessions />
    </div>
  );
}
