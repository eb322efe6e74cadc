import type { Metadata } from 'next';
import { Suspense } from 'react';
import { ClustersView } from '@/components/clusters/clusters-view';
import { can } from '@/lib/permissions';
import { currentActor } from '@/server/auth/current';

export const metadata: Metadata = { title: 'Clusters' };

export default async function ClustersPage() {
  const actor = await currentActor();
  return (
    <Suspense>
      <ClustersView isAdmin={actor ? can(actor.role, 'administer') : false} />
    </Suspense>
  );
}
