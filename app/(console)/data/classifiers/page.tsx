import type { Metadata } from 'next';
import { Suspense } from 'react';
import { ClassifiersView } from '@/components/classifiers/classifiers-view';
import { can } from '@/lib/permissions';
import { currentActor } from '@/server/auth/current';

export const metadata: Metadata = { title: 'Classifiers' };

export default async function ClassifiersPage() {
  const actor = await currentActor();
  return (
    <Suspense>
      <ClassifiersView isAdmin={actor ? can(actor.role, 'administer') : false} canTry={actor ? can(actor.role, 'analyse') : false} />
    </Suspense>
  );
}
