import type { Metadata } from 'next';
import { Suspense } from 'react';
import { ServicePolicy } from '@/components/policies/service-policy';
import { currentActor } from '@/server/auth/current';
import { hasRole } from '@/server/trpc';

export const metadata: Metadata = { title: 'Policy' };

export default async function ServicePolicyPage({ params }: { params: Promise<{ service: string[] }> }) {
  const [{ service }, actor] = await Promise.all([params, currentActor()]);
  const viewer = {
    email: actor?.email ?? '',
    canDraft: actor ? hasRole(actor.role, 'analyst') : false,
    canAdmin: actor ? hasRole(actor.role, 'admin') : false,
  };
  return (
    <Suspense>
      <ServicePolicy service={service.map(decodeURIComponent).join('/')} viewer={viewer} />
    </Suspense>
  );
}
