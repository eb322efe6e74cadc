import type { Metadata } from 'next';
import { Suspense } from 'react';
import { DataView } from '@/components/dataflow/data-view';

export const metadata: Metadata = { title: 'Sensitive data' };

export default function DataPage() {
  return (
    <Suspense>
      <DataView />
    </Suspense>
  );
}
