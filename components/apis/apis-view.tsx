'use client';

import { keepPreviousData, useMutation, useQuery } from '@tanstack/react-query';
import { useRouter } from 'next/navigation';
import { useEffect, useMemo, useState } from 'react';
import { useTRPC } from '@/components/trpc';
import { CsvDownload } from '@/components/ui/csv-download';
import { Pager } from '@/components/ui/pager';
import { ErrorState } from '@/components/ui/states';
import { EndpointFilters } from './endpoint-filters';
import { EndpointTable } from './endpoint-table';
import { ExportOpenApi } from './export-openapi';
import { MergeDialog, ReviewDialog, useInventoryRefresh, type Decision } from './review-dialogs';
import { ServiceList } from './service-list';
import { useApisParams } from './use-apis-params';

const PAGE = 50;

/** `/apis`: the endpoint inventory per service, filters in the URL, bulk review for analysts. */
export function ApisView({ canReview }: { canReview: boolean }) {
  const p = useApisParams();
  const trpc = useTRPC();
  const router = useRouter();
  const input = {
    service: p.service, state: p.state, changed: p.changed, since: p.since, sinceField: p.sinceField,
    sensitive: p.sensitive, caller: p.caller, q: p.q, offset: p.page * PAGE, limit: PAGE,
  };
  const q = useQuery(trpc.apis.list.queryOptions(input, { placeholderData: keepPreviousData, refetchInterval: 15_000 }));
  const [selected, setSelected] = useState<Set<string>>(new Set());
  const [decision, setDecision] = useState<Decision | null>(null);
  const [merging, setMerging] = useState(false);
  const refresh = useInventoryRefresh();
  const learn = useMutation(trpc.apis.learnNow.mutationOptions({ onSuccess: () => refresh() }));

  // a selection belongs to the list it was made in
  const listKey = JSON.stringify({ ...input, offset: undefined });
  useEffect(() => setSelected(new Set()), [listKey]);

  const rows = q.data?.rows ?? [];
  const total = q.data?.total ?? 0;
  const pages = Math.max(1, Math.ceil(total / PAGE));
  const picked = useMemo(() => rows.filter((r) => selected.has(r.id)), [rows, selected]);
  const filtered = Boolean(p.state || p.changed || p.since || p.sensitive || p.caller || p.q);
  const toggle = (id: string) => setSelected((s) => {
    const n = new Set(s);
    if (n.has(id)) n.delete(id);
    else n.add(id);
    return n;
  });

  return (
    <div className="page stack">
      <div className="page-head">
        <div>
          <h1>API inventory</h1>
          <p>Endpoints learned from mesh traffic. Review them: approved endpoints become the whitelist policies of their services.</p>
        </div>
        <div className="row">
          {canReview ? (
            <button type="button" className="btn" onClick={() => learn.mutate({})} disabled={learn.isPending} title="Write what the learner found so far, without waiting for its next pass">
              {learn.isPending ? 'Updating…' : 'Update from traffic'}
            </button>
          ) : null}
          {canReview ? <ExportOpenApi service={p.service} /> : null}
        </div>
      </div>
      {learn.isError ? <div className="alert error" role="alert">Could not update: {learn.error.message}</div> : null}
      <div className="apis-layout">
        <ServiceList selected={p.service} onSelect={(s) => p.update({ service: s })} />
        <section className="card" aria-labelledby="endpoints-title">
          <div className="card-head">
            <h2 id="endpoints-title">{p.service ? <>Endpoints of <span className="mono">{p.service}</span></> : 'All endpoints'}</h2>
            <span className="muted">{q.data ? `${total.toLocaleString()} endpoint${total === 1 ? '' : 's'}` : ''}</span>
            <CsvDownload table="endpoints" input={input} label="endpoints" />
          </div>
          <EndpointFilters p={p} />
          {canReview && picked.length > 0 ? (
            <div className="bulk-bar" role="region" aria-label="Bulk review">
              <span><strong>{picked.length}</strong> selected</span>
              <button type="button" className="btn small primary" onClick={() => setDecision('approve')}>Approve</button>
              <button type="button" className="btn small danger" onClick={() => setDecision('reject')}>Reject</button>
              <button type="button" className="btn small" onClick={() => setDecision('reset')}>Reopen</button>
              <button type="button" className="btn small" disabled={picked.length < 2} onClick={() => setMerging(true)} title={picked.length < 2 ? 'Select two or more endpoints of one service to merge' : undefined}>Merge</button>
              <span className="spacer" />
              <button type="button" className="btn small" onClick={() => setSelected(new Set())}>Clear selection</button>
            </div>
          ) : null}
          {q.isError ? <ErrorState error={q.error} onRetry={() => q.refetch()} /> : (
            <EndpointTable
              rows={rows} pending={q.isPending} selectable={canReview} selected={selected}
              onToggle={toggle} onToggleAll={(on) => setSelected(on ? new Set(rows.map((r) => r.id)) : new Set())}
              showService={!p.service} filtered={filtered} backQuery={p.query}
            />
          )}
          {pages > 1 ? <Pager summary={`${total.toLocaleString()} endpoints`} page={p.page} pages={pages} onPage={(n) => p.update({ page: n ? String(n) : null }, true)} /> : null}
        </section>
      </div>
      <ReviewDialog decision={decision} ids={picked.map((r) => r.id)} onClose={() => setDecision(null)} onDone={() => { setDecision(null); setSelected(new Set()); }} />
      <MergeDialog open={merging} endpoints={picked} onClose={() => setMerging(false)}
        onDone={(id) => { setMerging(false); setSelected(new Set()); router.push(`/apis/${encodeURIComponent(id)}`); }} />
    </div>
  );
}
