'use client';

import { useQuery } from '@tanstack/react-query';
import Link from 'next/link';
import type { ReactNode } from 'react';
import { liveOptions } from '@/components/dataflow/live';
import { ErrorRate } from '@/components/overview/error-rate';
import { useTRPC } from '@/components/trpc';
import { full, ms } from '@/components/ui/format';
import { ErrorState } from '@/components/ui/states';
import type { TimeRangeState } from '@/components/ui/use-time-range';
import type { NodeDetail } from '@/server/traffic/graph-schemas';
import { searchHref, type Selection } from './graph-url';
import { PanelChart } from './panel-chart';
import {
  ClassesTable, Figures, latencyFigures, Mtls, PanelSection, RoutesTable, TokensTable, trafficFigures,
} from './panel-parts';

interface PanelProps {
  range: TimeRangeState;
  onSelect: (s: Selection) => void;
  /** hides the service and closes its panel, in one URL change */
  onHide: (service: string) => void;
}

function PanelFrame({ kind, title, onClose, children }: { kind: string; title: ReactNode; onClose: () => void; children: ReactNode }) {
  return (
    <aside className="graph-panel card" aria-labelledby="graph-panel-title" data-testid="graph-panel">
      <div className="card-head">
        <div className="graph-panel-title">
          <span className="mini-title">{kind}</span>
          <h2 id="graph-panel-title">{title}</h2>
        </div>
        <button type="button" className="btn small" onClick={onClose} aria-label="Close details">✕</button>
      </div>
      <div className="graph-panel-body">{children}</div>
    </aside>
  );
}

const Loading = () => (
  <div className="stack" aria-busy="true" aria-label="Loading details">
    {[70, 90, 55, 80].map((w) => <div key={w} className="skeleton" style={{ width: `${w}%` }} />)}
  </div>
);

/** One edge: its figures, traffic chart, endpoints, data classes and caller tokens, and the pivot to search. */
export function EdgePanel({ src, dst, range, onSelect }: PanelProps & { src: string; dst: string }) {
  const trpc = useTRPC();
  const q = useQuery(trpc.graph.edge.queryOptions({ range: range.input, src, dst }, liveOptions(range)));
  const d = q.data;
  return (
    <PanelFrame
      kind="Edge"
      onClose={() => onSelect(null)}
      title={
        <span className="graph-edge-title">
          <button type="button" className="btn link mono" onClick={() => onSelect({ kind: 'node', service: src })}>{src}</button>
          <span className="faint" aria-label="to"> → </span>
          <button type="button" className="btn link mono" onClick={() => onSelect({ kind: 'node', service: dst })}>{dst}</button>
        </span>
      }
    >
      {q.isError ? <ErrorState error={q.error} onRetry={() => q.refetch()} /> : !d ? <Loading /> : (
        <>
          {d.totals.requests === 0 ? <p className="muted">No calls on this edge in the selected range.</p> : null}
          <Figures items={trafficFigures(d.totals)} />
          <PanelChart series={d.series} stepS={d.range.stepS} label={`Requests, 5xx and p95 latency of ${src} → ${dst}`} onZoom={range.setAbsolute} />
          <Link className="btn small graph-search-link" prefetch={false} href={searchHref({ kind: 'edge', src, dst }, d.range.from, d.range.to)}>
            Search logs for this edge in this range →
          </Link>
          <PanelSection title="Endpoints called" count={d.routes.length}><RoutesTable routes={d.routes} /></PanelSection>
          <PanelSection title="Sensitive data" count={d.classes.length}><ClassesTable classes={d.classes} /></PanelSection>
          <PanelSection title="Caller tokens" count={d.tokens.length}><TokensTable tokens={d.tokens} rangeQuery={range.query} /></PanelSection>
        </>
      )}
    </PanelFrame>
  );
}

function Neighbours({ rows, side, service, onSelect }: { rows: NodeDetail['inbound']; side: 'in' | 'out'; service: string; onSelect: (s: Selection) => void }) {
  if (!rows.length) return <p className="muted">{side === 'in' ? 'No callers' : 'Calls nothing'} in this range.</p>;
  return (
    <table className="table compact-table">
      <thead><tr><th>{side === 'in' ? 'Caller' : 'Callee'}</th><th className="num">Requests</th><th className="num">5xx</th><th className="num">mTLS</th></tr></thead>
      <tbody>
        {rows.map((r) => (
          <tr key={r.service}>
            <td className="ellipsis">
              <button
                type="button" className="btn link mono" title={`Open the edge ${side === 'in' ? `${r.service} → ${service}` : `${service} → ${r.service}`}`}
                onClick={() => onSelect(side === 'in' ? { kind: 'edge', src: r.service, dst: service } : { kind: 'edge', src: service, dst: r.service })}
              >
                {r.service}
              </button>
            </td>
            <td className="num">{full(r.requests)}</td>
            <td className="num">{r.errorRate === null ? '—' : <ErrorRate value={r.errorRate} />}</td>
            <td className="num"><Mtls share={r.mtlsShare} /></td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}

/** One service: what it served, who calls it and whom it calls, its endpoints, data classes and tokens. */
export function NodePanel({ service, range, onSelect, onHide }: PanelProps & { service: string }) {
  const trpc = useTRPC();
  const q = useQuery(trpc.graph.node.queryOptions({ range: range.input, service }, liveOptions(range)));
  const d = q.data;
  return (
    <PanelFrame kind={d?.external ? 'Callers outside the mesh' : 'Service'} onClose={() => onSelect(null)} title={<span className="mono">{service}</span>}>
      {q.isError ? <ErrorState error={q.error} onRetry={() => q.refetch()} /> : !d ? <Loading /> : (
        <>
          <Figures
            items={[
              ['Namespace', d.namespace ?? '—'],
              ['Clusters', d.clusters.length ? d.clusters.join(', ') : '—'],
              ['Served', full(d.totals.requestsIn)],
              ['5xx rate', d.totals.errorRate === null ? '—' : <ErrorRate value={d.totals.errorRate} />],
              ['Sent', full(d.totals.requestsOut)],
              ...latencyFigures(d.totals).map(([k, v]) => [k, v] as [string, ReactNode]),
            ]}
          />
          <PanelChart
            series={d.series} stepS={d.range.stepS} onZoom={range.setAbsolute}
            label={`${d.seriesOf === 'inbound' ? 'Requests served by' : 'Requests sent by'} ${service}, 5xx and p95 latency`}
          />
          <p className="faint graph-chart-note">{d.seriesOf === 'inbound' ? 'Requests it served' : 'Requests it sent'} · p95 {ms(d.totals.p95Ms)}</p>
          <div className="row">
            <Link className="btn small" prefetch={false} href={searchHref({ kind: 'node', service }, d.range.from, d.range.to)}>Search logs of calls to it →</Link>
            <button type="button" className="btn small" onClick={() => onHide(service)}>Hide from graph</button>
          </div>
          <PanelSection title="Callers" count={d.inbound.length}><Neighbours rows={d.inbound} side="in" service={service} onSelect={onSelect} /></PanelSection>
          <PanelSection title="Calls" count={d.outbound.length}><Neighbours rows={d.outbound} side="out" service={service} onSelect={onSelect} /></PanelSection>
          <PanelSection title="Endpoints served" count={d.routes.length}><RoutesTable routes={d.routes} /></PanelSection>
          <PanelSection title="Sensitive data" count={d.classes.length}><ClassesTable classes={d.classes} /></PanelSection>
          <PanelSection title="Caller tokens" count={d.tokens.length}><TokensTable tokens={d.tokens} rangeQuery={range.query} /></PanelSection>
        </>
      )}
    </PanelFrame>
  );
}
