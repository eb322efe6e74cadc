'use client';

import { useQuery } from '@tanstack/react-query';
import Link from 'next/link';
import { useState, type ReactNode } from 'react';
import { DenyActorDialog, type DenyKind, type DenyTarget } from '@/components/policies/deny-actor-dialog';
import { useTRPC } from '@/components/trpc';
import { full } from '@/components/ui/format';
import { Empty, ErrorState, LoadingRows } from '@/components/ui/states';
import { Time } from '@/components/ui/time';
import type { TimeRangeState } from '@/components/ui/use-time-range';
import { allOf, clause, searchHref, viewRange } from '@/components/search/search-url';
import type { CountedList, TokenIdentity } from '@/server/traffic/token-identity';
import { liveOptions } from './live';
import { ShareBar } from './share-bar';

/**
 * Who is behind a token (issue 14 §3): its users, client addresses and user agents with counts,
 * the services it reached, first and last seen in the range. Every value is telemetry, so
 * attacker-controlled: rendered as text, and put in links only through the query quoting.
 * Analysts may propose denying the token (per service), an address or a user.
 */
export function TokenIdentityPanel({ tokenId, range, canDeny }: { tokenId: string; range: TimeRangeState; canDeny: boolean }) {
  const trpc = useTRPC();
  const q = useQuery(trpc.dataflow.tokenIdentity.queryOptions({ range: range.input, tokenId }, liveOptions(range)));
  const [deny, setDeny] = useState<DenyTarget | null>(null);
  const id = q.data;
  const pending = q.isPending;
  // a policy is per service: an address or a user is denied on one of the services the token reached
  const services = (id?.services.items ?? []).filter((s) => s.policyName).map((s) => s.service);
  const denyButton = canDeny ? (kind: DenyKind, value: string, label: string, only?: string) => (
    <button type="button" className="btn small" aria-label={label} title={label}
      onClick={() => setDeny({ kind, value, services: only ? [only] : services })}>Deny…</button>
  ) : null;
  const search = (field: string, value: string) => searchHref(allOf(clause('token', tokenId), clause(field, value)), viewRange(range));

  if (q.isError) return <section className="card" aria-label="Who is behind this token"><ErrorState error={q.error} onRetry={() => q.refetch()} /></section>;
  return (
    <>
      {/* a heading over the four cards below, not a card of its own (an empty one read as a broken panel) */}
      <section className="section-block" aria-labelledby="token-who-title" data-testid="token-identity">
        <div className="section-head">
          <h2 id="token-who-title">Who is behind it</h2>
          <span className="muted">what its requests carried in this range</span>
          <span className="spacer" />
          {id ? (
            <span className="muted" data-testid="identity-seen">
              {id.firstSeen ? <>first <Time value={id.firstSeen} /> · last <Time value={id.lastSeen} /> in range · {full(id.events)} requests</> : 'no requests in this range'}
            </span>
          ) : null}
        </div>
        {id?.sampled ? (
          <div className="alert warn" role="status">
            <span>Counted over the first {full(id.events)} of its requests in this range: narrow the range for exact counts.</span>
          </div>
        ) : null}
      </section>
      <div className="ov-row">
        <ServicesTable identity={id} pending={pending} tokenId={tokenId} search={search} denyButton={denyButton} />
        <ValueTable title="Client addresses" testId="token-address" column="Address" what="address" list={id?.addresses} pending={pending}
          search={(v) => search('client.address', v)} deny={denyButton && ((v) => denyButton('ip', v, `Deny address ${v}`))} />
      </div>
      <div className="ov-row">
        <ValueTable title="Users" testId="token-user" column="User" what="user" list={id?.users} pending={pending}
          search={(v) => search('user', v)} deny={denyButton && ((v) => denyButton('user', v, `Deny user ${v}`))} />
        <ValueTable title="User agents" testId="token-user-agent" column="User agent" what="user agent" list={id?.userAgents} pending={pending}
          search={(v) => search('user_agent', v)} />
      </div>
      <DenyActorDialog target={deny} onClose={() => setDeny(null)} />
    </>
  );
}

function ServicesTable({ identity, pending, tokenId, search, denyButton }: {
  identity: TokenIdentity | undefined;
  pending: boolean;
  tokenId: string;
  search: (field: string, value: string) => string;
  denyButton: ((kind: DenyKind, value: string, label: string, only?: string) => ReactNode) | null;
}) {
  const items = identity?.services.items ?? [];
  const max = Math.max(0, ...items.map((s) => s.requests));
  const anyDeny = denyButton !== null && items.some((s) => s.policyName);
  return (
    <section className="card" aria-labelledby="token-services-title">
      <div className="card-head">
        <h2 id="token-services-title">Services it reached</h2>
        <span className="muted">{identity && identity.services.distinct > items.length ? `busiest ${items.length} of ${identity.services.distinct}` : 'by requests'}</span>
      </div>
      <div className="table-wrap">
        <table className="table compact-table">
          <thead>
            <tr><th>Service</th><th className="num">Requests</th><th>Last request</th>{anyDeny ? <th className="actions"><span className="visually-hidden">Actions</span></th> : null}</tr>
          </thead>
          <tbody>
            {pending ? <LoadingRows columns={3} rows={3} /> : items.map((s) => (
              <tr key={s.service} data-testid="token-service">
                <td className="mono identity-value"><Link href={search('service', s.service)} title="Search these requests">{s.service}</Link></td>
                <td className="num"><ShareBar value={s.requests} max={max} label="requests" /></td>
                <td className="nowrap"><Time value={s.lastSeen} relative /></td>
                {anyDeny ? <td className="actions">{s.policyName ? denyButton!('token', tokenId, `Deny this token on ${s.service}`, s.service) : null}</td> : null}
              </tr>
            ))}
          </tbody>
        </table>
        {!pending && items.length === 0 ? <Empty title="No requests with this token in this range" /> : null}
      </div>
    </section>
  );
}

function ValueTable({ title, testId, column, what, list, pending, search, deny }: {
  title: string;
  testId: string;
  column: string;
  what: string;
  list: CountedList | undefined;
  pending: boolean;
  search: (value: string) => string;
  deny?: ((value: string) => ReactNode) | null;
}) {
  const items = list?.items ?? [];
  const max = Math.max(0, ...items.map((v) => v.requests));
  const withDeny = Boolean(deny) && items.length > 0;
  const titleId = `${testId}-title`;
  return (
    <section className="card" aria-labelledby={titleId}>
      <div className="card-head">
        <h2 id={titleId}>{title}</h2>
        <span className="muted">
          {list ? (list.distinct > items.length ? `busiest ${items.length} of ${full(list.distinct)}` : `${full(list.distinct)} seen`) : ''}
          {list?.missing ? ` · ${full(list.missing)} requests without one` : ''}
        </span>
      </div>
      <div className="table-wrap">
        <table className="table compact-table">
          <thead>
            <tr><th>{column}</th><th className="num">Requests</th>{withDeny ? <th className="actions"><span className="visually-hidden">Actions</span></th> : null}</tr>
          </thead>
          <tbody>
            {pending ? <LoadingRows columns={2} rows={3} /> : items.map((v) => (
              <tr key={v.value} data-testid={testId}>
                <td className="mono identity-value"><Link href={search(v.value)} title="Search these requests">{v.value}</Link></td>
                <td className="num"><ShareBar value={v.requests} max={max} label="requests" /></td>
                {withDeny ? <td className="actions">{deny!(v.value)}</td> : null}
              </tr>
            ))}
          </tbody>
        </table>
        {!pending && items.length === 0 ? <Empty title={`No ${what} in this token's requests in this range`} /> : null}
      </div>
    </section>
  );
}
