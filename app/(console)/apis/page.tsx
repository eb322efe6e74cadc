import type { Metadata } from 'next';
import { Suspense } from 'react';
import { ApisView } from '@/components/apis/apis-view';
import { currentActor } from '@/server/auth/current';
import { hasRole } from '@/server/trpc';

export const metadata: Metadata = { title: 'APIs' };

export default async function ApisPage() {
  const actor = await currentActor();
  return (
    <Suspense>
      <ApisView canReview={actor ? hasRole(actor.role, 'analyst') : false} />
    </Suspense>
  );
}
