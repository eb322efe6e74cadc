import type { Metadata } from 'next';
import { Suspense } from 'react';
import { SearchView } from '@/components/search/search-view';
import { can } from '@/lib/permissions';
import { currentActor } from '@/server/auth/current';

export const metadata: Metadata = { title: 'Search' };

export default async function SearchPage() {
  const actor = await currentActor();
  return (
    <Suspense>
      <SearchView canAnalyse={actor ? can(actor.role, 'analyse') : false} isAdmin={actor ? can(actor.role, 'administer') : false} />
    </Suspense>
  );
}
