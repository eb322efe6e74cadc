'use client';

import { useQuery } from '@tanstack/react-query';
import { useTRPC } from '@/components/trpc';

export function FleetStats() {
  const trpc = useTRPC();
  const proxies = useQuery(trpc.fleet.proxies.queryOptions(undefined, { refetchInterval: 10_000 }));
  const tokens = useQuery(trpc.fleet.tokens.queryOptions());
  const list = proxies.data ?? [];
  const silent = list.filter((p) => p.silent).length;
  const rate = list.reduce((s, p) => s + p.eventsPerMin, 0);
  const active = (tokens.data ?? []).filter((t) => !t.revokedAt).length;
  const v = (n: number, ready: boolean) => (ready ? n.toLocaleString() : '…');
  return (
    <div className="stats">
      <div className="stat"><div className="stat-label">Proxies</div><div className="stat-value">{v(list.length, proxies.isSuccess)}</div></div>
      <div className="stat">
        <div className="stat-label">Silent proxies</div>
        <div className="stat-value" style={{ color: silent ? 'var(--danger)' : undefined }}>{v(silent, proxies.isSuccess)}</div>
      </div>
      <div className="stat"><div className="stat-label">Events / min (5-min avg)</div><div className="stat-value">{proxies.isSuccess ? (rate < 10 ? rate.toFixed(1) : Math.round(rate).toLocaleString()) : '…'}</div></div>
      <div className="stat"><div className="stat-label">Active proxy tokens</div><div className="stat-value">{v(active, tokens.isSuccess)}</div></div>
    </div>
  );
}
