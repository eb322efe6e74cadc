import type { Metadata } from 'next';
import { Suspense } from 'react';
import { CreateTokenButton } from '@/components/fleet/create-token-button';
import { IdentityWarning } from '@/components/fleet/identity-warning';
import { FleetProxies } from '@/components/fleet/proxies-table';
import { TokensPanel } from '@/components/fleet/tokens-panel';
import { can } from '@/lib/permissions';
import { currentActor } from '@/server/auth/current';

export const metadata: Metadata = { title: 'Fleet' };

export default async function FleetPage() {
  const actor = await currentActor();
  const canManage = actor ? can(actor.role, 'administer') : false;
  return (
    <div className="page stack">
      <div className="page-head">
        <div>
          <h1>Fleet</h1>
          <p>Every proxy filter reporting to this console, its health, version and policy revision, and the tokens proxies use.</p>
        </div>
        {canManage ? <div className="row"><CreateTokenButton /></div> : null}
      </div>
      {/* its own island, outside the proxy list's boundary: the list and its search box hydrate without it */}
      <IdentityWarning />
      <Suspense>
        <FleetProxies />
      </Suspense>
      <TokensPanel canManage={canManage} />
    </div>
  );
}
