'use client';

import { useEffect, useState } from 'react';
import { full } from '@/components/ui/format';
import type { Topology } from '@/server/traffic/graph-schemas';
import { matching } from './graph-elements';
import { selectionParam, TOP_CHOICES } from './graph-url';
import type { GraphParamsState } from './use-graph-params';

/** Namespaces as a checkbox list in a disclosure: a mesh may have dozens. */
function NamespacePicker({ params, available }: { params: GraphParamsState; available: Topology['available']['namespaces'] }) {
  const chosen = new Set(params.namespaces);
  // A namespace in the URL but not in this range stays listed, so it can be unticked.
  const names = [...new Set([...available.map((n) => n.name), ...params.namespaces])].sort();
  const counts = new Map(available.map((n) => [n.name, n.services]));
  const toggle = (name: string) => {
    const next = new Set(chosen);
    if (next.has(name)) next.delete(name);
    else next.add(name);
    params.update({ ns: [...next].sort() });
  };
  return (
    <div className="field">
      <span className="label" id="ns-label">Namespaces</span>
      <details className="ns-picker">
        <summary className="select" aria-labelledby="ns-label">
          {chosen.size === 0 ? 'All' : chosen.size === 1 ? params.namespaces[0] : `${chosen.size} selected`}
        </summary>
        <div className="ns-menu" role="group" aria-label="Namespaces to show">
          {names.length === 0 ? <span className="muted">No namespaces in this range</span> : null}
          {names.map((n) => (
            <label key={n} className="ns-option">
              <input type="checkbox" checked={chosen.has(n)} onChange={() => toggle(n)} />
              <span className="mono">{n}</span>
              <span className="faint">{counts.get(n) ?? 0}</span>
            </label>
          ))}
          {chosen.size ? <button type="button" className="btn small" onClick={() => params.update({ ns: null })}>Show all namespaces</button> : null}
        </div>
      </details>
    </div>
  );
}

export function GraphFilters({ params, topology }: { params: GraphParamsState; topology: Topology | undefined }) {
  const [min, setMin] = useState(String(params.minRequests || ''));
  const [find, setFind] = useState(params.find);
  useEffect(() => setMin(String(params.minRequests || '')), [params.minRequests]);
  useEffect(() => setFind(params.find), [params.find]);
  // One match is what the analyst was looking for: select it, which opens its panel.
  const submitFind = () => {
    const text = find.trim();
    const hits = matching(topology, text).filter((id) => !params.hidden.includes(id));
    params.update({ find: text || null, ...(hits.length === 1 ? { select: selectionParam({ kind: 'node', service: hits[0] }) } : {}) });
  };
  const classes = [...new Set([...(topology?.available.classes ?? []), ...(params.dataClass ? [params.dataClass] : [])])].sort();

  return (
    <div className="filters graph-filters" role="search" aria-label="Graph filters">
      <NamespacePicker params={params} available={topology?.available.namespaces ?? []} />
      <div className="field">
        <label htmlFor="graph-class">Data class</label>
        <select id="graph-class" className="select" value={params.dataClass ?? ''} onChange={(e) => params.update({ class: e.target.value || null })}>
          <option value="">Any</option>
          {classes.map((c) => <option key={c} value={c}>{c}</option>)}
        </select>
      </div>
      <form className="field" onSubmit={(e) => { e.preventDefault(); params.update({ min: Number(min) > 0 ? String(Math.floor(Number(min))) : null }); }}>
        <label htmlFor="graph-min">Min requests</label>
        <input
          id="graph-min" className="input graph-min" type="number" min={0} step={1} inputMode="numeric" value={min} placeholder="0"
          onChange={(e) => setMin(e.target.value)}
          onBlur={() => params.update({ min: Number(min) > 0 ? String(Math.floor(Number(min))) : null })}
        />
      </form>
      <div className="field">
        <label htmlFor="graph-top">Show at most</label>
        <select id="graph-top" className="select" value={params.top} onChange={(e) => params.update({ top: e.target.value })}>
          {TOP_CHOICES.map((n) => <option key={n} value={n}>{full(n)} edges</option>)}
        </select>
      </div>
      <div className="field">
        <span className="label" id="colour-label">Colour edges by</span>
        <div className="segmented" role="group" aria-labelledby="colour-label">
          <button type="button" aria-pressed={params.colour === 'errors'} className={params.colour === 'errors' ? 'active' : undefined} onClick={() => params.update({ color: null })}>5xx rate</button>
          <button type="button" aria-pressed={params.colour === 'data'} className={params.colour === 'data' ? 'active' : undefined} onClick={() => params.update({ color: 'data' })}>Sensitive data</button>
        </div>
      </div>
      <div className="spacer" />
      <form className="field" onSubmit={(e) => { e.preventDefault(); submitFind(); }}>
        <label htmlFor="graph-find">Find service</label>
        <div className="row graph-find">
          <input id="graph-find" className="input" type="search" value={find} placeholder="name contains…" onChange={(e) => setFind(e.target.value)} />
          <button type="submit" className="btn small">Find</button>
        </div>
      </form>
    </div>
  );
}
