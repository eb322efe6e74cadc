import type { Metadata } from 'next';
import { Suspense } from 'react';
import { TokenView } from '@/components/dataflow/token-view';
import { tokenIdFromSegment } from '@/components/dataflow/token-id';

export const metadata: Metadata = { title: 'Token' };

export default async function TokenPage({ params }: { params: Promise<{ id: string }> }) {
  const tokenId = tokenIdFromSegment((await params).id);
  return (
    <Suspense>
      <TokenView tokenId={tokenId} />
    </Suspense>
  );
}
