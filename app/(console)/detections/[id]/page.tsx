import type { Metadata } from 'next';
import { Suspense } from 'react';
import { DetectionDetail } from '@/components/detections/detection-detail';
import { currentActor } from '@/server/auth/current';
import { hasRole } from '@/server/trpc';

export const metadata: Metadata = { title: 'Detection' };

export default async function DetectionPage({ params, searchParams }: { params: Promise<{ id: string }>; searchParams: Promise<{ back?: string }> }) {
  const [{ id }, { back }, actor] = await Promise.all([params, searchParams, currentActor()]);
  return (
    <Suspense>
      <DetectionDetail id={decodeURIComponent(id)} canTriage={actor ? hasRole(actor.role, 'analyst') : false} selfId={actor?.id ?? ''} back={typeof back === 'string' ? back : ''} />
    </Suspense>
  );
}
