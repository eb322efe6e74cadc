import type { Metadata } from 'next';
import { Suspense } from 'react';
import { EndpointDetail } from '@/components/apis/endpoint-detail';
import { idFromSegment } from '@/components/shell/route-param';
import { can } from '@/lib/permissions';
import { currentActor } from '@/server/auth/current';

export const metadata: Metadata = { title: 'Endpoint' };

export default async function EndpointPage({ params, searchParams }: { params: Promise<{ id: string }>; searchParams: Promise<{ back?: string }> }) {
  const [{ id }, { back }, actor] = await Promise.all([params, searchParams, currentActor()]);
  return (
    <Suspense>
      <EndpointDetail id={idFromSegment(id)} canReview={actor ? can(actor.role, 'analyse') : false} back={typeof back === 'string' ? back : ''} />
    </Suspense>
  );
}
