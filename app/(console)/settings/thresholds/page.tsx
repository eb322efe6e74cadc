import type { Metadata } from 'next';
import { Suspense } from 'react';
import { ThresholdsView } from '@/components/thresholds/thresholds-view';
import { can } from '@/lib/permissions';
import { currentActor } from '@/server/auth/current';

export const metadata: Metadata = { title: 'Thresholds' };

export default async function ThresholdsPage() {
  const actor = await currentActor();
  return (
    <Suspense>
      <ThresholdsView isAdmin={actor ? can(actor.role, 'administer') : false} canTriage={actor ? can(actor.role, 'analyse') : false} />
    </Suspense>
  );
}
