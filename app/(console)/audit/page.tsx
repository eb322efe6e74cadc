import type { Metadata } from 'next';
import { Suspense } from 'react';
import { AuditView } from '@/components/audit/audit-view';
import { Forbidden } from '@/components/ui/forbidden';
import { can } from '@/lib/permissions';
import { currentActor } from '@/server/auth/current';

export const metadata: Metadata = { title: 'Audit log' };

export default async function AuditPage() {
  const actor = await currentActor();
  if (!actor || !can(actor.role, 'readAudit')) return <Forbidden permission="readAudit" title="Audit log" />;
  return (
    <div className="page stack">
      <div className="page-head">
        <div>
          <h1>Audit log</h1>
          <p>Append-only, hash-chained record of every change to security posture: who, role, what, before and after, why, from where.</p>
        </div>
      </div>
      <Suspense>
        <AuditView />
      </Suspense>
    </div>
  );
}
