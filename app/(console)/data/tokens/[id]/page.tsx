import type { Metadata } from 'next';
import { Suspense } from 'react';
import { TokenView } from '@/components/dataflow/token-view';
import { tokenIdFromSegment } from '@/components/dataflow/token-id';
import { can } from '@/lib/permissions';
import { currentActor } from '@/server/auth/current';

export const metadata: Metadata = { title: 'Token' };

export default async function TokenPage({ params }: { params: Promise<{ id: string }> }) {
  const [{ id }, actor] = await Promise.all([params, currentActor()]);
  const tokenId = tokenIdFromSegment(id);
  return (
    <Suspense>
      <TokenView tokenId={tokenId} canDeny={actor ? can(actor.role, 'analyse') : false} />
    </Suspense>
  );
}
