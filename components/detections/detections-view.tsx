'use client';

import { keepPreviousData, useQuery } from '@tanstack/react-query';
import Link from 'next/link';
import { useEffect, useRef } from 'react';
import { useTRPC } from '@/components/trpc';
import { Pager } from '@/components/ui/pager';
import { ErrorState } from '@/components/ui/states';
import { TimeRangePicker } from '@/components/ui/time-range-picker';
import { useTimeRange } from '@/components/ui/use-time-range';
import { DetectionFilters } from './detection-filters';
import { DetectionsTable } from './detections-table';
import { useDetectionsParams } from './use-detections-params';

const PAGE = 50;

/** `/` focuses the actor search; j and k move between incidents; Enter opens one. */
function useQueueKeys(actorRef: React.RefObject<HTMLInputElement | null>) {
  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      const t = e.target as HTMLElement | null;
      if (e.metaKey || e.ctrlKey || e.altKey || (t && /^(INPUT|TEXTAREA|SELECT)$/.test(t.tagName)) || document.querySelector('dialog[open]')) return;
      if (e.key === '/') {
        e.preventDefault();
        actorRef.current?.focus();
        return;
      }
      if (e.key !== 'j' && e.key !== 'k') return;
      const links = [...document.querySelectorAll<HTMLAnchorElement>('[data-row-link]')];
      if (!links.length) return;
      const at = links.indexOf(document.activeElement as HTMLAnchorElement);
      const next = at < 0 ? 0 : Math.min(links.length - 1, Math.max(0, at + (e.key === 'j' ? 1 : -1)));
      links[next].focus();
      e.preventDefault();
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, [actorRef]);
}

/** `/detections`: the incident queue, filters and time range in the URL, refreshed while the range is live. */
export function DetectionsView() {
  const p = useDetectionsParams();
  const range = useTimeRange();
  const trpc = useTRPC();
  const actorRef = useRef<HTMLInputElement>(null);
  useQueueKeys(actorRef);
  const input = {
    range: range.input, states: p.states, severities: p.severities.length ? p.severities : undefined, kind: p.kind, service: p.service,
    actor: p.actor, offset: p.page * PAGE, limit: PAGE,
  };
  const q = useQuery(trpc.detections.list.queryOptions(input, { placeholderData: keepPreviousData, refetchInterval: range.live ? 10_000 : false }));
  const total = q.data?.total ?? 0;
  const pages = Math.max(1, Math.ceil(total / PAGE));
  const filtered = Boolean(p.severities.length || p.kind || p.service || p.actor || p.stateFilter !== 'active');
  return (
    <div className="page stack">
      <div className="page-head">
        <div>
          <h1>Detections</h1>
          <p>Attacks found in mesh traffic, grouped into incidents with the actors behind them. Triage them here; deny an actor from its incident.</p>
        </div>
        <TimeRangePicker range={range} />
      </div>
      <section className="card" aria-labelledby="queue-title">
        <div className="card-head">
          <h2 id="queue-title">Incidents</h2>
          <span className="muted" data-testid="queue-total" aria-live="polite">{q.data ? `${total.toLocaleString()} detection${total === 1 ? '' : 's'}` : ''}</span>
          <Link className="card-link" href="/settings/thresholds">Thresholds and allow-list →</Link>
        </div>
        <DetectionFilters p={p} actorRef={actorRef} />
        {q.isError ? <ErrorState error={q.error} onRetry={() => q.refetch()} /> : (
          <DetectionsTable rows={q.data?.rows ?? []} pending={q.isPending} filtered={filtered} backQuery={p.query} />
        )}
        {pages > 1 ? <Pager summary={`${total.toLocaleString()} detections`} page={p.page} pages={pages} onPage={(n) => p.update({ page: n ? String(n) : null }, true)} /> : null}
      </section>
      <p className="faint small keys-hint">Keys: <kbd className="kbd">/</kbd> search an actor · <kbd className="kbd">j</kbd> <kbd className="kbd">k</kbd> move between incidents · <kbd className="kbd">Enter</kbd> open</p>
    </div>
  );
}
