'use client';

import { useQuery } from '@tanstack/react-query';
import Link from 'next/link';
import { useEffect, useMemo } from 'react';
import { liveOptions } from '@/components/dataflow/live';
import { useTRPC } from '@/components/trpc';
import { compact, full } from '@/components/ui/format';
import { Empty, ErrorState } from '@/components/ui/states';
import { TimeRangePicker } from '@/components/ui/time-range-picker';
import { useTimeRange } from '@/components/ui/use-time-range';
import { GraphCanvas } from './graph-canvas';
import { matching, toElements } from './graph-elements';
import { GraphFilters } from './graph-filters';
import { GraphLegend } from './graph-legend';
import { loadCytoscape } from './load-cytoscape';
import { EdgePanel, NodePanel } from './side-panel';
import { useGraphParams } from './use-graph-params';

export function GraphView() {
  const range = useTimeRange();
  const params = useGraphParams();
  const trpc = useTRPC();
  // Fetched while the topology query runs rather than after it: the canvas needs both.
  useEffect(() => void loadCytoscape().catch(() => {}), []);
  const q = useQuery(
    trpc.graph.topology.queryOptions(
      { range: range.input, namespaces: params.namespaces, dataClass: params.dataClass ?? undefined, minRequests: params.minRequests, limit: params.top },
      liveOptions(range),
    ),
  );
  const topology = q.data;
  const { elements, hiddenCount } = useMemo(
    () => (topology ? toElements(topology, params.hidden) : { elements: [], hiddenCount: 0 }),
    [topology, params.hidden],
  );
  const found = useMemo(() => matching(topology, params.find).filter((id) => !params.hidden.includes(id)), [topology, params.find, params.hidden]);
  const filtered = params.namespaces.length > 0 || params.dataClass !== null || params.minRequests > 0;
  const selection = params.selection;
  const hide = (ids: string[], extra: Parameters<typeof params.update>[0] = {}) =>
    params.update({ hide: [...new Set([...params.hidden, ...ids])], ...extra });

  return (
    <div className="page graph-page">
      <div className="page-head">
        <div>
          <h1>Service graph</h1>
          <p>Who calls whom, how it goes, and where sensitive data flows. Select a service or an edge for its details.</p>
        </div>
        <TimeRangePicker range={range} />
      </div>
      <div className="card graph-card">
        <GraphFilters params={params} topology={topology} />
        <div className="graph-status" role="status">
          {topology ? (
            <>
              <span><b>{full(topology.nodes.length - hiddenCount)}</b> services · <b>{full(elements.filter((e) => e.group === 'edges').length)}</b> edges · <b>{compact(topology.totals.requests)}</b> requests</span>
              {topology.truncated ? (
                <span className="graph-truncated" data-testid="graph-truncated">
                  Showing the {full(topology.edges.length)} busiest of {full(topology.totals.edges)} edges — {full(topology.totals.edges - topology.edges.length)} not drawn. Narrow the filters or raise “Show at most”.
                </span>
              ) : null}
              {params.hidden.length ? (
                <span>
                  {full(params.hidden.length)} hidden by name{' '}
                  <button type="button" className="btn link" onClick={() => params.update({ hide: null })}>Show them</button>
                </span>
              ) : null}
            </>
          ) : <span className="muted">Loading the graph…</span>}
        </div>
        <div className={selection ? 'graph-body with-panel' : 'graph-body'}>
          <div className="graph-stage">
            {q.isError ? <ErrorState error={q.error} onRetry={() => q.refetch()} />
              : !topology ? <div className="graph-loading" aria-busy="true">Loading the graph…</div>
              : elements.length === 0 ? (
                <Empty title={filtered ? 'No traffic matches these filters' : params.hidden.length ? 'Every service is hidden' : 'No traffic in this range'}>
                  {filtered || params.hidden.length ? (
                    <button type="button" className="btn small" onClick={() => params.update({ ns: null, class: null, min: null, hide: null })}>Clear filters</button>
                  ) : <span>Widen the range, or check that proxies report in <Link href="/fleet">Fleet</Link>.</span>}
                </Empty>
              ) : (
                <GraphCanvas elements={elements} colour={params.colour} selection={selection} found={found} onSelect={params.select} />
              )}
            {params.find ? (
              <div className="graph-found" role="status" aria-live="polite">
                {found.length === 0 ? <span>No service matches “{params.find}”</span> : (
                  <>
                    <span>{full(found.length)} match{found.length === 1 ? '' : 'es'}:</span>
                    {found.slice(0, 5).map((id) => (
                      <button key={id} type="button" className="btn small mono" onClick={() => params.select({ kind: 'node', service: id })}>{id}</button>
                    ))}
                    {found.length > 5 ? <span className="faint">+{found.length - 5}</span> : null}
                    <button type="button" className="btn small" onClick={() => hide(found, { find: null })}>Hide {found.length === 1 ? 'it' : 'them'}</button>
                  </>
                )}
                <button type="button" className="btn small" aria-label="Clear find" onClick={() => params.update({ find: null })}>✕</button>
              </div>
            ) : null}
          </div>
          {selection?.kind === 'edge' ? (
            <EdgePanel key={`${selection.src}->${selection.dst}`} src={selection.src} dst={selection.dst} range={range} onSelect={params.select} onHide={(s) => hide([s], { select: null })} />
          ) : selection?.kind === 'node' ? (
            <NodePanel key={selection.service} service={selection.service} range={range} onSelect={params.select} onHide={(s) => hide([s], { select: null })} />
          ) : null}
        </div>
        {/* under the canvas, not over it: at 38 services the legend covered nodes */}
        {topology && elements.length > 0 ? <GraphLegend colour={params.colour} classes={topology.available.classes} /> : null}
      </div>
    </div>
  );
}
