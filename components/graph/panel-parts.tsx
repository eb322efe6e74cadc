'use client';

import Link from 'next/link';
import type { ReactNode } from 'react';
import { ClassBadge, Direction } from '@/components/dataflow/class-badge';
import { tokenHref } from '@/components/dataflow/links';
import { ErrorRate } from '@/components/overview/error-rate';
import { bytes, full, ms, percent } from '@/components/ui/format';
import type { EdgeDetail } from '@/server/traffic/graph-schemas';
import { LockIcon } from './lock-icon';

/** A titled block of the side panel. */
export function PanelSection({ title, count, children }: { title: string; count?: number; children: ReactNode }) {
  return (
    <section className="graph-panel-section">
      <h3>{title}{count !== undefined ? <span className="faint"> · {full(count)}</span> : null}</h3>
      {children}
    </section>
  );
}

export function Mtls({ share }: { share: number | null }) {
  if (share === null) return <span className="faint">—</span>;
  const all = share >= 0.999;
  return (
    <span className={all ? undefined : 'rate warn'} title="Share of requests over mutual TLS">
      <LockIcon open={!all} /> {percent(share)}
    </span>
  );
}

export function Figures({ items }: { items: Array<[string, ReactNode]> }) {
  return (
    <dl className="graph-figures">
      {items.map(([k, v]) => (
        <div key={k}><dt>{k}</dt><dd>{v}</dd></div>
      ))}
    </dl>
  );
}

export const latencyFigures = (t: { p50Ms: number | null; p95Ms: number | null; p99Ms: number | null }): Array<[string, ReactNode]> => [
  ['p50', ms(t.p50Ms)], ['p95', ms(t.p95Ms)], ['p99', ms(t.p99Ms)],
];

export const trafficFigures = (t: EdgeDetail['totals']): Array<[string, ReactNode]> => [
  ['Requests', full(t.requests)],
  ['5xx rate', t.errorRate === null ? '—' : <ErrorRate value={t.errorRate} title={`${full(t.errors)} 5xx`} />],
  ['4xx', full(t.clientErrors)],
  ['mTLS', <Mtls key="m" share={t.mtlsShare} />],
  ...latencyFigures(t),
  ['Bytes in', bytes(t.bytesIn)],
  ['Bytes out', bytes(t.bytesOut)],
];

export function RoutesTable({ routes }: { routes: EdgeDetail['routes'] }) {
  if (!routes.length) return <p className="muted">No endpoints recorded in this range.</p>;
  return (
    <table className="table compact-table" data-testid="panel-routes">
      <thead><tr><th>Endpoint</th><th className="num">Requests</th><th className="num">5xx</th></tr></thead>
      <tbody>
        {routes.map((r) => (
          <tr key={`${r.method} ${r.route}`}>
            <td className="ellipsis graph-route" title={`${r.method} ${r.route}`}><span className="method">{r.method}</span> <span className="mono">{r.route}</span></td>
            <td className="num">{full(r.requests)}</td>
            <td className="num">{r.errors ? <span className="danger-text">{full(r.errors)}</span> : 0}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}

export function ClassesTable({ classes }: { classes: Array<EdgeDetail['classes'][number] & { side?: string }> }) {
  if (!classes.length) return <p className="muted">No sensitive data seen in this range.</p>;
  return (
    <table className="table compact-table" data-testid="panel-classes">
      <thead><tr><th>Class</th><th>Direction</th>{classes[0].side ? <th>Side</th> : null}<th className="num">Matches</th></tr></thead>
      <tbody>
        {classes.map((c) => (
          <tr key={`${c.dataClass}|${c.direction}|${c.side ?? ''}`}>
            <td><ClassBadge name={c.dataClass} /></td>
            <td><Direction value={c.direction as 'request' | 'response'} /></td>
            {c.side ? <td className="muted">{c.side}</td> : null}
            <td className="num">{full(c.matches)}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}

export function TokensTable({ tokens, rangeQuery }: { tokens: EdgeDetail['tokens']; rangeQuery: string }) {
  if (!tokens.length) return <p className="muted">No caller tokens seen in this range.</p>;
  return (
    <table className="table compact-table" data-testid="panel-tokens">
      <thead><tr><th>Token</th><th className="num">Requests</th><th className="num">Endpoints</th></tr></thead>
      <tbody>
        {tokens.map((t) => (
          <tr key={t.tokenId}>
            <td className="ellipsis"><Link className="mono" href={tokenHref(rangeQuery, t.tokenId)} title={`Token ${t.tokenId}: what it touched`}>{t.tokenId}</Link></td>
            <td className="num">{full(t.requests)}</td>
            <td className="num">{full(t.routes)}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}
