import type { Metadata } from 'next';
import { Suspense } from 'react';
import { ServicePolicy } from '@/components/policies/service-policy';
import { idFromSegment } from '@/components/shell/route-param';
import { can } from '@/lib/permissions';
import { currentActor } from '@/server/auth/current';

export const metadata: Metadata = { title: 'Policy' };

export default async function ServicePolicyPage({ params }: { params: Promise<{ service: string[] }> }) {
  const [{ service }, actor] = await Promise.all([params, currentActor()]);
  const viewer = {
    email: actor?.email ?? '',
    canDraft: actor ? can(actor.role, 'analyse') : false,
    canAdmin: actor ? can(actor.role, 'administer') : false,
  };
  return (
    <Suspense>
      <ServicePolicy service={idFromSegment(service.join('/'), 256)} viewer={viewer} />
    </Suspense>
  );
}
