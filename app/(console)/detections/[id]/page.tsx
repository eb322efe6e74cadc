import type { Metadata } from 'next';
import { Suspense } from 'react';
import { DetectionDetail } from '@/components/detections/detection-detail';
import { idFromSegment } from '@/components/shell/route-param';
import { can } from '@/lib/permissions';
import { currentActor } from '@/server/auth/current';

export const metadata: Metadata = { title: 'Detection' };

export default async function DetectionPage({ params, searchParams }: { params: Promise<{ id: string }>; searchParams: Promise<{ back?: string }> }) {
  const [{ id }, { back }, actor] = await Promise.all([params, searchParams, currentActor()]);
  return (
    <Suspense>
      <DetectionDetail id={idFromSegment(id)} canTriage={actor ? can(actor.role, 'analyse') : false} selfId={actor?.id ?? ''} back={typeof back === 'string' ? back : ''} />
    </Suspense>
  );
}
