import type { Metadata } from 'next';
import { Suspense } from 'react';
import { DetectionsView } from '@/components/detections/detections-view';

export const metadata: Metadata = { title: 'Detections' };

export default function DetectionsPage() {
  return (
    <Suspense>
      <DetectionsView />
    </Suspense>
  );
}
