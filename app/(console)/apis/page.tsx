import type { Metadata } from 'next';
import { Suspense } from 'react';
import { ApisView } from '@/components/apis/apis-view';
import { can } from '@/lib/permissions';
import { currentActor } from '@/server/auth/current';

export const metadata: Metadata = { title: 'APIs' };

export default async function ApisPage() {
  const actor = await currentActor();
  return (
    <Suspense>
      <ApisView canReview={actor ? can(actor.role, 'analyse') : false} />
    </Suspense>
  );
}
