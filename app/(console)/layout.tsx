import { headers } from 'next/headers';
import { redirect } from 'next/navigation';
import type { ReactNode } from 'react';
import { Shell } from '@/components/shell/shell';
import { TrpcProviders } from '@/components/trpc';
import { currentActor } from '@/server/auth/current';
import { PASSWORD_CHANGE_PATH } from '@/server/auth/password-change';

export const dynamic = 'force-dynamic';

export default async function ConsoleLayout({ children }: { children: ReactNode }) {
  const actor = await currentActor();
  if (!actor) {
    const back = (await headers()).get('x-meshward-path');
    redirect(back && back !== '/' ? `/signin?callbackUrl=${encodeURIComponent(back)}` : '/signin');
  }
  // A generated password is replaced before anything else (the server refuses the rest meanwhile).
  if (actor.mustChangePassword) redirect(PASSWORD_CHANGE_PATH);
  return (
    <TrpcProviders>
      <Shell actor={actor}>{children}</Shell>
    </TrpcProviders>
  );
}
