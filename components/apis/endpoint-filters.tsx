'use client';

import { useEffect, useRef, useState } from 'react';
import { useEarlyInput } from '@/components/ui/use-early-input';
import type { useApisParams } from './use-apis-params';

type Params = ReturnType<typeof useApisParams>;

const toLocalInput = (d: Date | undefined) => {
  if (!d) return '';
  const pad = (n: number) => String(n).padStart(2, '0');
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}`;
};

/** State, new/changed since a date, sensitive data, caller and a template search, all in the URL. */
export function EndpointFilters({ p }: { p: Params }) {
  const [q, setQ] = useState(p.q ?? '');
  const [caller, setCaller] = useState(p.caller ?? '');
  useEffect(() => setQ(p.q ?? ''), [p.q]);
  useEffect(() => setCaller(p.caller ?? ''), [p.caller]);
  // what was typed or ticked before the page was hydrated counts too
  const callerBox = useRef<HTMLInputElement>(null);
  const qBox = useRef<HTMLInputElement>(null);
  const sensitiveBox = useRef<HTMLInputElement>(null);
  const changedBox = useRef<HTMLInputElement>(null);
  useEarlyInput(callerBox, caller, setCaller);
  useEarlyInput(qBox, q, setQ);
  useEarlyInput(sensitiveBox, p.sensitive === true, (on) => p.update({ sensitive: on ? '1' : null }));
  useEarlyInput(changedBox, p.changed === true, (on) => p.update({ changed: on ? '1' : null }));
  // typing waits for a pause before it changes the URL (and the query)
  useEffect(() => {
    const t = setTimeout(() => {
      if ((p.q ?? '') !== q.trim() || (p.caller ?? '') !== caller.trim()) p.update({ q: q.trim() || null, caller: caller.trim() || null });
    }, 300);
    return () => clearTimeout(t);
  }, [q, caller]); // eslint-disable-line react-hooks/exhaustive-deps

  return (
    <div className="filters" role="search" aria-label="Filter endpoints">
      <div className="field">
        <span className="label" id="state-label">State</span>
        <div className="segmented" role="group" aria-labelledby="state-label">
          {([undefined, 'learned', 'approved', 'rejected'] as const).map((s) => (
            <button key={s ?? 'all'} type="button" className={p.state === s ? 'active' : ''} aria-pressed={p.state === s} onClick={() => p.update({ state: s ?? null })}>
              {s === undefined ? 'All' : s === 'learned' ? 'To review' : s[0].toUpperCase() + s.slice(1)}
            </button>
          ))}
        </div>
      </div>
      <div className="field">
        <label htmlFor="since-field">New or changed</label>
        <div className="row" style={{ flexWrap: 'nowrap' }}>
          <select id="since-field" className="select" value={p.sinceField} onChange={(e) => p.update({ sinceField: e.target.value === 'changed' ? 'changed' : null })}>
            <option value="created">learned since</option>
            <option value="changed">changed since</option>
          </select>
          <label className="visually-hidden" htmlFor="since-date">Since date</label>
          <input id="since-date" className="input" type="date" style={{ width: 150 }} value={toLocalInput(p.since)}
            onChange={(e) => p.update({ since: e.target.value ? new Date(`${e.target.value}T00:00:00`).toISOString() : null })} />
        </div>
      </div>
      <div className="field">
        <label htmlFor="caller-filter">Caller</label>
        <input id="caller-filter" ref={callerBox} className="input" placeholder="shop/web, external…" value={caller} onChange={(e) => setCaller(e.target.value)} />
      </div>
      <div className="field">
        <label htmlFor="template-filter">Template</label>
        <input id="template-filter" ref={qBox} className="input" placeholder="/users/…" value={q} onChange={(e) => setQ(e.target.value)} style={{ width: 180 }} />
      </div>
      <label className="check">
        <input type="checkbox" ref={sensitiveBox} checked={p.sensitive === true} onChange={(e) => p.update({ sensitive: e.target.checked ? '1' : null })} />
        Has sensitive data
      </label>
      <label className="check">
        <input type="checkbox" ref={changedBox} checked={p.changed === true} onChange={(e) => p.update({ changed: e.target.checked ? '1' : null })} />
        Changed only
      </label>
    </div>
  );
}
