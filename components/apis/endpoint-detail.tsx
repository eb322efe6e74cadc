'use client';

import { useQuery } from '@tanstack/react-query';
import Link from 'next/link';
import { allOf, clause, searchHref, viewRange } from '@/components/search/search-url';
import { useRouter } from 'next/navigation';
import { useState } from 'react';
import { ClassBadge } from '@/components/dataflow/class-badge';
import { liveOptions } from '@/components/dataflow/live';
import { useTRPC } from '@/components/trpc';
import { Dialog } from '@/components/ui/dialog';
import { compact, full } from '@/components/ui/format';
import { Empty, ErrorState } from '@/components/ui/states';
import { localStamp, Time } from '@/components/ui/time';
import { TimeRangePicker } from '@/components/ui/time-range-picker';
import { useTimeRange } from '@/components/ui/use-time-range';
import { EndpointChart } from './endpoint-chart';
import { rangePhrase, rangeTotals, SINCE_FIRST_SEEN } from './endpoint-scope';
import { ParamTable } from './param-table';
import { MergeDialog, ReviewDialog, type Decision } from './review-dialogs';
import { SchemaTree } from './schema-tree';
import { paramEvidenceOf, SegmentEvidenceList } from './segment-evidence';
import { SplitDialog } from './split-dialog';
import { StateBadge, TemplateText } from './state-badge';

const CLASSES = ['2xx', '3xx', '4xx', '5xx', '1xx'] as const;

/** `/apis/[id]`: one endpoint with its evidence, traffic and review actions. */
export function EndpointDetail({ id, canReview, back }: { id: string; canReview: boolean; back: string }) {
  const range = useTimeRange();
  const trpc = useTRPC();
  const router = useRouter();
  const q = useQuery(trpc.apis.get.queryOptions({ id, range: range.input }, liveOptions(range)));
  const [decision, setDecision] = useState<Decision | null>(null);
  const [split, setSplit] = useState<string | null>(null);
  const [mergePick, setMergePick] = useState<Set<string> | null>(null);
  const [merging, setMerging] = useState(false);
  const list = `/apis${back ? `?${back}` : ''}`;

  if (q.isError) {
    return (
      <div className="page stack">
        <nav className="breadcrumb" aria-label="Breadcrumb"><Link href={list}>APIs</Link><span aria-hidden="true"> / </span><span>Endpoint</span></nav>
        <div className="card">
          {q.error.data?.code === 'NOT_FOUND'
            ? <Empty title="This endpoint is no longer in the inventory">It may have been merged, or replaced by newer evidence. <Link href={list}>Back to the inventory</Link></Empty>
            : <ErrorState error={q.error} onRetry={() => q.refetch()} />}
        </div>
      </div>
    );
  }
  const d = q.data;
  const e = d?.endpoint;
  const totals = d ? rangeTotals(d.series) : undefined;
  // Figures either follow the time range or add up everything discovery counted: each says which.
  const inRange = rangePhrase(range, (t) => localStamp(t).slice(0, 16));
  const mixTotal = e ? CLASSES.reduce((n, c) => n + (e.statusMix[c] ?? 0), 0) : 0;
  const mergeWith = d && mergePick ? [e!, ...d.siblings.filter((s) => mergePick.has(s.id))] : [];

  return (
    <div className="page stack">
      <nav className="breadcrumb" aria-label="Breadcrumb">
        <Link href={list}>APIs</Link><span aria-hidden="true"> / </span>
        {e ? <Link href={`/apis?service=${encodeURIComponent(e.service)}`} className="mono">{e.service}</Link> : <span>…</span>}
        <span aria-hidden="true"> / </span><span>Endpoint</span>
      </nav>
      <div className="page-head">
        <div style={{ minWidth: 0 }}>
          <h1 className="endpoint-title">
            {e ? <><span className="method">{e.method}</span> <TemplateText template={e.template} /></> : <span className="skeleton" style={{ width: 320, display: 'inline-block' }} />}
          </h1>
          {e ? (
            <p className="row">
              <StateBadge state={e.state} changed={e.changed} reason={e.changedReason} />
              {e.origin === 'manual' ? <span className="badge plain" title="made by an analyst's merge or split">manual</span> : null}
              <span className="muted">{e.reviewedBy ? <>Reviewed by {e.reviewedBy} <Time value={e.reviewedAt} relative /></> : 'Not reviewed yet'}</span>
            </p>
          ) : null}
        </div>
        <div className="row">
          {e ? <Link className="btn" href={searchHref(allOf(clause('service', e.service), clause('method', e.method), clause('endpoint', e.template)), viewRange(range))}>Search its calls</Link> : null}
          {e && canReview ? (
            <>
              {e.state !== 'approved' || e.changed ? <button type="button" className="btn primary" onClick={() => setDecision('approve')}>Approve</button> : null}
              {e.state !== 'rejected' ? <button type="button" className="btn danger" onClick={() => setDecision('reject')}>Reject</button> : null}
              {e.state !== 'learned' ? <button type="button" className="btn" onClick={() => setDecision('reset')}>Reopen</button> : null}
              <button type="button" className="btn" onClick={() => setMergePick(new Set())} disabled={!d?.siblings.length} title={d?.siblings.length ? undefined : 'No other endpoint of this service and method has as many segments'}>Merge with…</button>
            </>
          ) : null}
          <TimeRangePicker range={range} />
        </div>
      </div>

      {e?.changed ? (
        <div className="alert warn" role="status">
          <span>Changed <Time value={e.changedAt} relative />: {e.changedReason}. Review it again: approving clears the flag.</span>
        </div>
      ) : null}
      {e?.reviewReason ? <div className="muted review-reason">Last decision: “{e.reviewReason}”</div> : null}

      <div className="tiles tiles-5">
        <div className="stat tile">
          <span className="stat-label">Calls {inRange}</span>
          <span className="stat-value" data-testid="calls-in-range">{totals ? compact(totals.requests) : '…'}</span>
          <span className="stat-sub">{totals ? `${compact(totals.clientErrors)} 4xx · ${compact(totals.errors)} 5xx` : ''}</span>
        </div>
        <div className="stat tile">
          <span className="stat-label">Calls {SINCE_FIRST_SEEN}</span>
          <span className="stat-value" data-testid="calls-since-first-seen" title="Every call API discovery counted on this endpoint, whatever the time range">{e ? compact(e.calls) : '…'}</span>
          <span className="stat-sub">{e ? `from ${e.callerCounts.length} calling service${e.callerCounts.length === 1 ? '' : 's'}` : ''}</span>
        </div>
        <div className="stat tile">
          <span className="stat-label">First seen</span>
          <span className="stat-value">{e ? <Time value={e.firstSeenAt} relative /> : '…'}</span>
          <span className="stat-sub">{e ? <><Time value={e.firstSeenAt} /> · learned <Time value={e.createdAt} relative /></> : ''}</span>
        </div>
        <div className="stat tile">
          <span className="stat-label">Last seen</span>
          <span className="stat-value">{e ? <Time value={e.lastSeenAt} relative /> : '…'}</span>
          <span className="stat-sub">{e?.lastSeenAt ? <Time value={e.lastSeenAt} /> : ''}</span>
        </div>
        <div className="stat tile">
          <span className="stat-label">Status mix {SINCE_FIRST_SEEN}</span>
          <span className="status-mix" aria-label={`Responses by status class ${SINCE_FIRST_SEEN}`}>
            {e && mixTotal > 0 ? CLASSES.filter((c) => e.statusMix[c]).map((c) => (
              <span key={c} className={`mix-${c}`} style={{ flexGrow: e.statusMix[c] }} title={`${c}: ${full(e.statusMix[c] ?? 0)}`} />
            )) : null}
          </span>
          <span className="stat-sub">{e && mixTotal > 0 ? CLASSES.filter((c) => e.statusMix[c]).map((c) => `${c} ${Math.round((100 * (e.statusMix[c] ?? 0)) / mixTotal)}%`).join(' · ') : 'no responses recorded'}</span>
        </div>
      </div>

      <section className="card" aria-labelledby="traffic-title">
        <div className="card-head"><h2 id="traffic-title">Traffic {inRange}</h2></div>
        <div className="card-body">
          {d && totals && totals.requests > 0 ? <EndpointChart series={d.series} stepS={d.range.stepS} onZoom={range.setAbsolute} />
            : d ? <div className="chart-empty">No calls {inRange}. Widen the range to see earlier traffic.</div>
            : <div className="chart-skeleton" style={{ height: 180 }} />}
        </div>
      </section>

      <div className="ov-row">
        <section className="card" aria-labelledby="params-title">
          <div className="card-head"><h2 id="params-title">Path parameters</h2></div>
          {e ? (
            <ParamTable endpointId={e.id} params={e.params} canReview={canReview} onSplit={setSplit}
              evidence={paramEvidenceOf(e.template, e.evidence)} why={e.origin === 'manual' ? 'Made by an analyst: no learner evidence.' : e.evidence === null ? 'No evidence kept yet.' : undefined} />
          ) : <div className="card-body"><div className="skeleton" /></div>}
          <div className="card-head sub-head"><h2>Segments</h2><span className="muted">why literal segments stayed literal</span></div>
          {e ? <SegmentEvidenceList template={e.template} origin={e.origin} evidence={e.evidence} /> : null}
          <div className="card-head sub-head"><h2>Query parameters</h2></div>
          {e && e.queryParams.length ? (
            <div className="table-wrap">
              <table className="table">
                <thead><tr><th>Name</th><th>Type</th><th className="num">Sent in (calls {SINCE_FIRST_SEEN})</th></tr></thead>
                <tbody>{e.queryParams.map((p) => <tr key={p.name}><td className="mono">{p.name}</td><td className="mono">{p.type}</td><td className="num">{full(p.count)}</td></tr>)}</tbody>
              </table>
            </div>
          ) : <div className="card-body muted">{e ? 'No query string seen.' : ''}</div>}
        </section>
        <section className="card" aria-labelledby="callers-title">
          <div className="card-head"><h2 id="callers-title">Callers {inRange}</h2></div>
          {d && d.callers.length ? (
            <div className="table-wrap">
              <table className="table">
                <thead><tr><th>Service</th><th className="num">Calls</th><th className="num">4xx</th><th className="num">5xx</th></tr></thead>
                <tbody>{d.callers.map((c) => (
                  <tr key={c.service}><td className="mono">{c.service}</td><td className="num">{full(c.requests)}</td><td className="num">{full(c.clientErrors)}</td><td className="num">{full(c.errors)}</td></tr>
                ))}</tbody>
              </table>
            </div>
          ) : <div className="card-body muted">{d ? (e?.callerCounts.length ? `No calls ${inRange}. Seen ${SINCE_FIRST_SEEN} from: ${e.callerCounts.map((c) => c.service).join(', ')}.` : 'No callers recorded.') : ''}</div>}
        </section>
      </div>

      <div className="ov-row">
        <section className="card" aria-labelledby="schema-title">
          <div className="card-head"><h2 id="schema-title">Body shape</h2><span className="muted">from sampled, redacted bodies</span></div>
          <div className="card-body">
            {e?.bodySchema ? <SchemaTree schema={e.bodySchema} /> : <span className="muted">{e ? 'No body sampled yet: filters sample a share of the requests and responses that carry sensitive data.' : ''}</span>}
          </div>
        </section>
        <section className="card" aria-labelledby="sensitive-title">
          <div className="card-head"><h2 id="sensitive-title">Sensitive fields</h2></div>
          {e && e.sensitive.length ? (
            <div className="table-wrap">
              <table className="table">
                <thead><tr><th>Class</th><th>Direction</th><th>JSON path</th><th className="num">Matches {SINCE_FIRST_SEEN}</th></tr></thead>
                <tbody>{e.sensitive.map((f) => (
                  <tr key={`${f.direction}${f.class}${f.path}`}><td><ClassBadge name={f.class} /></td><td>{f.direction}</td><td className="mono">{f.path || <span className="faint">not reported</span>}</td><td className="num">{full(f.count)}</td></tr>
                ))}</tbody>
              </table>
            </div>
          ) : <div className="card-body muted">{e ? 'No sensitive data reported on this endpoint.' : ''}</div>}
        </section>
      </div>

      {e ? (
        <>
          <ReviewDialog decision={decision} ids={[e.id]} onClose={() => setDecision(null)} onDone={() => setDecision(null)} />
          <SplitDialog endpoint={e} param={split} onClose={() => setSplit(null)} onDone={(nid) => { setSplit(null); router.push(`/apis/${encodeURIComponent(nid)}`); }} />
          <MergePicker open={mergePick !== null && !merging} siblings={d!.siblings} picked={mergePick ?? new Set()} onChange={setMergePick}
            onCancel={() => setMergePick(null)} onNext={() => setMerging(true)} />
          <MergeDialog open={merging} endpoints={mergeWith} onClose={() => { setMerging(false); setMergePick(null); }}
            onDone={(nid) => { setMerging(false); setMergePick(null); router.push(`/apis/${encodeURIComponent(nid)}`); }} />
        </>
      ) : null}
    </div>
  );
}

function MergePicker({ open, siblings, picked, onChange, onCancel, onNext }: {
  open: boolean;
  siblings: { id: string; method: string; template: string; state: string }[];
  picked: Set<string>;
  onChange: (s: Set<string>) => void;
  onCancel: () => void;
  onNext: () => void;
}) {
  return (
    <Dialog open={open} title="Merge with…" onClose={onCancel} onSubmit={() => picked.size > 0 && onNext()}
      footer={<>
        <button type="button" className="btn" onClick={onCancel}>Cancel</button>
        <button type="submit" className="btn primary" disabled={picked.size === 0}>Next</button>
      </>}>
      <p className="muted">Endpoints of this service and method with as many segments:</p>
      <ul className="merge-list" aria-label="Endpoints to merge with">
        {siblings.map((s) => (
          <li key={s.id}>
            <label className="check">
              <input type="checkbox" checked={picked.has(s.id)} onChange={() => {
                const n = new Set(picked);
                if (n.has(s.id)) n.delete(s.id);
                else n.add(s.id);
                onChange(n);
              }} />
              <span className="method">{s.method}</span> <TemplateText template={s.template} /> <span className="faint">{s.state}</span>
            </label>
          </li>
        ))}
      </ul>
    </Dialog>
  );
}
