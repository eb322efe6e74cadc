import type { Metadata } from 'next';
import { SignInLocks } from '@/components/users/sign-in-locks';
import { UsersView } from '@/components/users/users-view';
import { Forbidden } from '@/components/ui/forbidden';
import { can } from '@/lib/permissions';
import { currentActor } from '@/server/auth/current';

export const metadata: Metadata = { title: 'Users' };

export default async function UsersPage() {
  const actor = await currentActor();
  if (!actor || !can(actor.role, 'administer')) return <Forbidden permission="administer" title="Users" />;
  return (
    <div className="page stack">
      <div className="page-head">
        <div>
          <h1>Users</h1>
          <p>Who can sign in, and with which role. Every change is recorded in the audit log.</p>
        </div>
      </div>
      <UsersView selfId={actor.id} />
      <SignInLocks />
    </div>
  );
}
