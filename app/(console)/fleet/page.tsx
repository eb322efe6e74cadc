import type { Metadata } from 'next';
import { FleetStats } from '@/components/fleet/fleet-stats';
import { ProxiesTable } from '@/components/fleet/proxies-table';
import { TokensPanel } from '@/components/fleet/tokens-panel';
import { currentActor } from '@/server/auth/current';

export const metadata: Metadata = { title: 'Fleet' };

export default async function FleetPage() {
  const actor = await currentActor();
  return (
    <div className="page stack">
      <div className="page-head">
        <div>
          <h1>Fleet</h1>
          <p>Every proxy filter reporting to this console, its health, version and policy revision, and the tokens proxies use.</p>
        </div>
      </div>
      <FleetStats />
      <ProxiesTable />
      <TokensPanel canManage={actor?.role === 'admin'} />
    </div>
  );
}
