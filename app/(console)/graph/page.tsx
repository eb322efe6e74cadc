import type { Metadata } from 'next';
import { Suspense } from 'react';
import { GraphView } from '@/components/graph/graph-view';

export const metadata: Metadata = { title: 'Service graph' };

export default function GraphPage() {
  return (
    <Suspense>
      <GraphView />
    </Suspense>
  );
}
