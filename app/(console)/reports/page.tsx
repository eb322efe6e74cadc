import type { Metadata } from 'next';
import { Suspense } from 'react';
import { ReportsView } from '@/components/reports/reports-view';
import { can } from '@/lib/permissions';
import { currentActor } from '@/server/auth/current';

export const metadata: Metadata = { title: 'Reports' };

export default async function ReportsPage() {
  const actor = await currentActor();
  return (
    <Suspense>
      <ReportsView canGenerate={actor ? can(actor.role, 'analyse') : false} canDownload={actor ? can(actor.role, 'downloadReports') : false} isAdmin={actor ? can(actor.role, 'administer') : false} selfId={actor?.id ?? ''} />
    </Suspense>
  );
}
