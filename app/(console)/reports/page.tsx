import type { Metadata } from 'next';
import { Suspense } from 'react';
import { ReportsView } from '@/components/reports/reports-view';
import { currentActor } from '@/server/auth/current';
import { hasRole } from '@/server/trpc';

export const metadata: Metadata = { title: 'Reports' };

export default async function ReportsPage() {
  const actor = await currentActor();
  return (
    <Suspense>
      <ReportsView canGenerate={actor ? hasRole(actor.role, 'analyst') : false} isAdmin={actor?.role === 'admin'} selfId={actor?.id ?? ''} />
    </Suspense>
  );
}
