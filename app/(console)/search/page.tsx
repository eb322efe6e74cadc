import type { Metadata } from 'next';
import { Suspense } from 'react';
import { SearchView } from '@/components/search/search-view';
import { currentActor } from '@/server/auth/current';
import { hasRole } from '@/server/trpc';

export const metadata: Metadata = { title: 'Search' };

export default async function SearchPage() {
  const actor = await currentActor();
  return (
    <Suspense>
      <SearchView canAnalyse={actor ? hasRole(actor.role, 'analyst') : false} isAdmin={actor?.role === 'admin'} />
    </Suspense>
  );
}
