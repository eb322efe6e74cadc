'use client';

import { useQuery } from '@tanstack/react-query';
import { useTRPC } from '@/components/trpc';
import type { ProxyList } from '@/server/fleet/proxy-list-input';

/** Figures for the whole fleet, whatever the list below is filtered to. */
export function FleetStats({ fleet }: { fleet: ProxyList['fleet'] | undefined }) {
  const trpc = useTRPC();
  const tokens = useQuery(trpc.fleet.tokens.queryOptions());
  const active = (tokens.data ?? []).filter((t) => !t.revokedAt).length;
  const v = (n: number | undefined) => (n === undefined ? '…' : n.toLocaleString());
  const rate = fleet?.eventsPerMin;
  return (
    <div className="stats">
      <div className="stat"><div className="stat-label">Proxies</div><div className="stat-value">{v(fleet?.proxies)}</div></div>
      <div className="stat">
        <div className="stat-label">Silent proxies</div>
        <div className="stat-value" style={{ color: fleet?.silent ? 'var(--danger)' : undefined }}>{v(fleet?.silent)}</div>
      </div>
      <div className="stat"><div className="stat-label">Events / min (5-min avg)</div><div className="stat-value">{rate === undefined ? '…' : rate < 10 ? rate.toFixed(1) : Math.round(rate).toLocaleString()}</div></div>
      <div className="stat"><div className="stat-label">Active proxy tokens</div><div className="stat-value">{v(tokens.isSuccess ? active : undefined)}</div></div>
    </div>
  );
}
