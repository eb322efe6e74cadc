import type { Metadata } from 'next';
import { Suspense } from 'react';
import { EndpointDetail } from '@/components/apis/endpoint-detail';
import { currentActor } from '@/server/auth/current';
import { hasRole } from '@/server/trpc';

export const metadata: Metadata = { title: 'Endpoint' };

export default async function EndpointPage({ params, searchParams }: { params: Promise<{ id: string }>; searchParams: Promise<{ back?: string }> }) {
  const [{ id }, { back }, actor] = await Promise.all([params, searchParams, currentActor()]);
  return (
    <Suspense>
      <EndpointDetail id={decodeURIComponent(id)} canReview={actor ? hasRole(actor.role, 'analyst') : false} back={typeof back === 'string' ? back : ''} />
    </Suspense>
  );
}
