'use client';

import { useEffect, useRef, useState, type RefObject } from 'react';
import { useEarlyInput } from '@/components/ui/use-early-input';
import { DETECTION_KINDS, SEVERITIES, TRIAGE_STATES } from '@/lib/enums';
import type { useDetectionsParams } from './use-detections-params';
import { KIND_LABEL, SEVERITY_LABEL, STATE_LABEL } from './words';

type Params = ReturnType<typeof useDetectionsParams>;

/** State, severity, kind, service and an actor search, all in the URL. */
export function DetectionFilters({ p, actorRef }: { p: Params; actorRef: RefObject<HTMLInputElement | null> }) {
  const [actor, setActor] = useState(p.actor ?? '');
  const [service, setService] = useState(p.service ?? '');
  useEffect(() => setActor(p.actor ?? ''), [p.actor]);
  useEffect(() => setService(p.service ?? ''), [p.service]);
  // what was typed before the page was hydrated counts too
  const serviceBox = useRef<HTMLInputElement>(null);
  useEarlyInput(actorRef, actor, setActor);
  useEarlyInput(serviceBox, service, setService);
  // typing waits for a pause before it changes the URL (and the query)
  useEffect(() => {
    const t = setTimeout(() => {
      if ((p.actor ?? '') !== actor.trim() || (p.service ?? '') !== service.trim()) p.update({ actor: actor.trim() || null, service: service.trim() || null });
    }, 300);
    return () => clearTimeout(t);
  }, [actor, service]); // eslint-disable-line react-hooks/exhaustive-deps

  const toggleSeverity = (s: string) => {
    const next = p.severities.includes(s as never) ? p.severities.filter((x) => x !== s) : [...p.severities, s];
    p.update({ severity: next.length ? SEVERITIES.filter((x) => next.includes(x)).join(',') : null });
  };
  return (
    <div className="filters detection-filters" role="search" aria-label="Filter detections">
      <div className="field">
        <span className="label" id="det-state-label">State</span>
        <div className="segmented" role="group" aria-labelledby="det-state-label">
          {(['active', ...TRIAGE_STATES, 'all'] as const).map((s) => (
            <button key={s} type="button" className={p.stateFilter === s ? 'active' : ''} aria-pressed={p.stateFilter === s} title={s === 'active' ? 'Open and acknowledged' : undefined}
              onClick={() => p.update({ state: s === 'active' ? null : s })}>
              {s === 'active' ? 'To do' : s === 'all' ? 'All' : STATE_LABEL[s]}
            </button>
          ))}
        </div>
      </div>
      <div className="field">
        <span className="label" id="det-sev-label">Severity</span>
        <div className="segmented" role="group" aria-labelledby="det-sev-label">
          {SEVERITIES.slice().reverse().map((s) => (
            <button key={s} type="button" className={`${p.severities.includes(s) ? 'active' : ''} sev-toggle sev-${s}`} aria-pressed={p.severities.includes(s)} onClick={() => toggleSeverity(s)}>
              {SEVERITY_LABEL[s]}
            </button>
          ))}
        </div>
      </div>
      <div className="field">
        <label htmlFor="det-kind">Kind</label>
        <select id="det-kind" className="select" value={p.kind ?? ''} onChange={(e) => p.update({ kind: e.target.value || null })} style={{ width: 170 }}>
          <option value="">Any kind</option>
          {DETECTION_KINDS.map((k) => <option key={k} value={k}>{KIND_LABEL[k]}</option>)}
        </select>
      </div>
      <div className="field">
        <label htmlFor="det-service">Service</label>
        <input id="det-service" ref={serviceBox} className="input" placeholder="shop/login" value={service} onChange={(e) => setService(e.target.value)} />
      </div>
      <div className="field">
        <label htmlFor="det-actor">Actor <kbd className="kbd" title="Press / to search">/</kbd></label>
        <input id="det-actor" ref={actorRef} className="input" placeholder="203.0.113. or a token id" value={actor} onChange={(e) => setActor(e.target.value)} style={{ width: 200 }} />
      </div>
    </div>
  );
}
