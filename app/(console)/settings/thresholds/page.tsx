import type { Metadata } from 'next';
import { Suspense } from 'react';
import { ThresholdsView } from '@/components/thresholds/thresholds-view';
import { currentActor } from '@/server/auth/current';
import { hasRole } from '@/server/trpc';

export const metadata: Metadata = { title: 'Thresholds' };

export default async function ThresholdsPage() {
  const actor = await currentActor();
  return (
    <Suspense>
      <ThresholdsView isAdmin={actor ? hasRole(actor.role, 'admin') : false} canTriage={actor ? hasRole(actor.role, 'analyst') : false} />
    </Suspense>
  );
}
