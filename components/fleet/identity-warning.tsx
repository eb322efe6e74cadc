'use client';

import { useQuery } from '@tanstack/react-query';
import Link from 'next/link';
import { useTRPC } from '@/components/trpc';
import { useMounted } from '@/components/ui/use-mounted';

const n = (v: number) => Math.round(v).toLocaleString('en-US');

/**
 * Warns when proxies report traffic without the caller's identity (a stock log format): a
 * whitelist learned from it would be wrong. Nothing is shown while every caller is named.
 */
export function IdentityWarning({ compact = false }: { compact?: boolean }) {
  const trpc = useTRPC();
  // asked after hydration, in a request of its own: the page's lists must not wait for it
  const mounted = useMounted();
  const q = useQuery(trpc.fleet.identityGaps.queryOptions(undefined, { refetchInterval: 60_000, enabled: mounted }));
  const g = q.data;
  if (!g || (g.services.length === 0 && g.unknownDestination === 0)) return null;
  const shown = compact ? g.services.slice(0, 3) : g.services;
  const hidden = g.services.length - shown.length + g.more;
  return (
    <div className="alert warn identity-warning" role="status" data-testid="identity-warning">
      <strong>Telemetry without the caller&apos;s identity.</strong>{' '}
      {g.services.length ? (
        <>
          Over the last hour nearly every request to {g.services.length + g.more === 1 ? 'this service' : 'these services'} named no caller, and{' '}
          {g.services.length + g.more === 1 ? 'it calls' : 'they call'} no other service, so {g.services.length + g.more === 1 ? 'it is' : 'they are'} not a front door:
          <ul className="identity-list">
            {shown.map((s) => (
              <li key={s.service}>
                <span className="mono" data-testid="identity-service">{s.service}</span>{' '}
                <span className="muted">{n(s.noCaller)} of {n(s.requests)} requests{s.proxies.length ? `, reported by ${s.proxies.join(', ')}` : ''}</span>
              </li>
            ))}
            {hidden > 0 ? <li className="muted">and {hidden} more</li> : null}
          </ul>
        </>
      ) : null}
      {g.unknownDestination ? <div>{n(g.unknownDestination)} requests in the last hour name no destination service.</div> : null}
      <div>
        A whitelist learned from this traffic would allow only callers from outside the mesh.{' '}
        <Link href="/help/telemetry" prefetch={false}>Send the peer certificate and the service name →</Link>
      </div>
    </div>
  );
}
