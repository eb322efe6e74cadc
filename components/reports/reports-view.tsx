'use client';

import { useInfiniteQuery, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { useTRPC } from '@/components/trpc';
import { Dialog } from '@/components/ui/dialog';
import { bytes } from '@/components/ui/format';
import { Empty, ErrorState, LoadingRows } from '@/components/ui/states';
import { Time } from '@/components/ui/time';
import { listOf, PERIOD_LABELS, periodOf, type PeriodChoice } from './period';
import { EMPTY_SCOPE_TEXT, ScopeFields, type ScopeText } from './scope-fields';

type Framework = 'pci_dss_v4' | 'soc2';
const FRAMEWORKS: Record<Framework, string> = { pci_dss_v4: 'PCI-DSS v4.0', soc2: 'SOC 2 (Trust Services Criteria)' };
const scopeOf = (t: ScopeText) => ({ services: listOf(t.services), namespaces: listOf(t.namespaces), clusters: listOf(t.clusters) });
const day = (d: Date) => d.toISOString().slice(0, 16).replace('T', ' ');
/** `Req. 3 and 4 - Cardholder data flows and mTLS` → `Req. 3 and 4` */
const sectionLabel = (title: string) => title.split(' - ')[0];

/** `/reports`: generate a compliance report, the history of generated ones, and schedules. */
export function ReportsView({ canGenerate, canDownload, isAdmin, selfId }: { canGenerate: boolean; canDownload: boolean; isAdmin: boolean; selfId: string }) {
  return (
    <div className="page stack">
      <div className="page-head">
        <div>
          <h1>Compliance reports</h1>
          <p>PCI-DSS v4 and SOC 2 evidence from what the mesh reported: segmentation, cardholder-data flows, logging and detections. Each report is a PDF and an evidence bundle with the queries and SHA-256s behind every figure.</p>
        </div>
      </div>
      {canGenerate ? <GenerateCard /> : canDownload ? (
        <div className="alert info" role="note">Auditors read and download reports and their evidence. Generating and scheduling reports is for analysts and admins.</div>
      ) : <div className="alert info" role="note">Viewers read the history. Generating, scheduling and downloading reports is for analysts and admins.</div>}
      <HistoryCard canDownload={canDownload} canGenerate={canGenerate} />
      <SchedulesCard canEdit={canGenerate} isAdmin={isAdmin} selfId={selfId} />
    </div>
  );
}

function useRefreshReports() {
  const trpc = useTRPC();
  const qc = useQueryClient();
  return () => Promise.all([
    qc.invalidateQueries({ queryKey: trpc.reports.list.pathKey() }),
    qc.invalidateQueries({ queryKey: trpc.reports.schedules.list.queryKey() }),
  ]);
}

function GenerateCard() {
  const trpc = useTRPC();
  const refresh = useRefreshReports();
  const [framework, setFramework] = useState<Framework>('pci_dss_v4');
  const [choice, setChoice] = useState<PeriodChoice>('last_7d');
  const [custom, setCustom] = useState({ from: '', to: '' });
  const [scope, setScope] = useState<ScopeText>(EMPTY_SCOPE_TEXT);
  const m = useMutation(trpc.reports.generate.mutationOptions({ onSuccess: () => void refresh() }));
  const period = periodOf(choice, new Date(), custom);
  return (
    <section className="card" aria-labelledby="generate-title">
      <div className="card-head"><h2 id="generate-title">Generate a report</h2></div>
      <form
        className="card-body stack"
        onSubmit={(e) => {
          e.preventDefault();
          const p = periodOf(choice, new Date(), custom);
          if (p) m.mutate({ framework, from: p.from, to: p.to, scope: scopeOf(scope) });
        }}
      >
        <div className="form-row report-form">
          <div className="field">
            <label htmlFor="report-framework">Framework</label>
            <select id="report-framework" className="select" value={framework} onChange={(e) => setFramework(e.target.value as Framework)}>
              {(Object.keys(FRAMEWORKS) as Framework[]).map((f) => <option key={f} value={f}>{FRAMEWORKS[f]}</option>)}
            </select>
          </div>
          <div className="field">
            <label htmlFor="report-period">Period</label>
            <select id="report-period" className="select" value={choice} onChange={(e) => setChoice(e.target.value as PeriodChoice)}>
              {(Object.keys(PERIOD_LABELS) as PeriodChoice[]).map((c) => <option key={c} value={c}>{PERIOD_LABELS[c]}</option>)}
            </select>
          </div>
          {choice === 'custom' ? (
            <>
              <div className="field">
                <label htmlFor="report-from">From (UTC)</label>
                <input id="report-from" className="input" type="date" value={custom.from} onChange={(e) => setCustom({ ...custom, from: e.target.value })} />
              </div>
              <div className="field">
                <label htmlFor="report-to">To, inclusive (UTC)</label>
                <input id="report-to" className="input" type="date" value={custom.to} onChange={(e) => setCustom({ ...custom, to: e.target.value })} />
              </div>
            </>
          ) : null}
        </div>
        <div className="form-row report-form">
          <ScopeFields idPrefix="report" value={scope} onChange={setScope} />
        </div>
        <div className="row">
          <button type="submit" className="btn primary" disabled={!period || m.isPending}>{m.isPending ? 'Generating…' : 'Generate report'}</button>
          {period ? <span className="muted small mono">{day(period.from)} → {day(period.to)} UTC</span> : <span className="field-error">Pick both dates, the first not after the second.</span>}
          {m.isPending ? <span className="muted small" role="status">Reading the period, drawing the PDF and hashing the evidence…</span> : null}
          {m.isSuccess ? <span className="ok-text small" role="status" data-testid="report-generated">Generated: {m.data.title}</span> : null}
        </div>
        {m.isError ? <div className="alert error" role="alert">{m.error.message}</div> : null}
      </form>
    </section>
  );
}

function HistoryCard({ canDownload, canGenerate }: { canDownload: boolean; canGenerate: boolean }) {
  const trpc = useTRPC();
  const q = useInfiniteQuery(trpc.reports.list.infiniteQueryOptions({ limit: 20 }, { getNextPageParam: (p) => p.nextCursor ?? undefined }));
  const items = q.data?.pages.flatMap((p) => p.items) ?? [];
  return (
    <section className="card" aria-labelledby="history-title">
      <div className="card-head"><h2 id="history-title">Generated reports</h2></div>
      {q.isError ? <ErrorState error={q.error} onRetry={() => q.refetch()} /> : (
        <div className="table-wrap">
          <table className="table">
            <thead>
              <tr><th>Framework</th><th>Period (UTC)</th><th>Scope</th><th>Generated</th><th>Key figures</th><th className="actions">Downloads</th></tr>
            </thead>
            <tbody>
              {q.isPending ? <LoadingRows columns={6} rows={3} /> : null}
              {!q.isPending && !items.length ? (
                <tr><td colSpan={6}><Empty title="No reports yet">{canGenerate ? 'Generate one above, or schedule one below.' : 'An analyst generates them.'}</Empty></td></tr>
              ) : null}
              {items.map((r) => (
                <tr key={r.id} data-testid="report-row">
                  <td className="nowrap" title={r.title}><strong>{FRAMEWORKS[r.framework].split(' (')[0]}</strong><div className="faint small mono" title={`PDF SHA-256 ${r.pdfSha256}`}>sha256 {r.pdfSha256.slice(0, 12)}…</div></td>
                  <td className="mono small nowrap">{day(r.from)}<br />{day(r.to)}</td>
                  <td className="small">{r.scopeText}</td>
                  <td className="small"><Time value={r.generatedAt} /><div className="muted">{r.generatedBy ? r.generatedBy.email : r.scheduleId ? 'schedule' : 'deleted account'}</div></td>
                  <td className="small report-figures">
                    {r.summary.slice(0, 4).map((s) => (
                      <div key={s.id} className="ellipsis" title={`${s.title}: ${Object.entries(s.figures).map(([k, v]) => `${k} ${v}`).join(', ')}`}>
                        <span className="muted">{sectionLabel(s.title)}</span> {Object.entries(s.figures).slice(0, 2).map(([k, v]) => `${k.replace(/_/g, ' ')} ${typeof v === 'number' ? v.toLocaleString('en-US') : v}`).join(' · ')}
                      </div>
                    ))}
                  </td>
                  <td className="actions">
                    {canDownload ? (
                      <div className="row">
                        <a className="btn small" href={`/api/reports/${encodeURIComponent(r.id)}/pdf`} download data-testid="download-pdf" title={bytes(r.pdfBytes)}>PDF</a>
                        <a className="btn small" href={`/api/reports/${encodeURIComponent(r.id)}/bundle`} download data-testid="download-bundle" title={bytes(r.bundleBytes)}>Evidence (zip)</a>
                      </div>
                    ) : <span className="faint small">analysts and auditors download</span>}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      {q.hasNextPage ? (
        <div className="pager"><span className="spacer" /><button type="button" className="btn small" onClick={() => void q.fetchNextPage()} disabled={q.isFetchingNextPage}>{q.isFetchingNextPage ? 'Loading…' : 'Older reports'}</button></div>
      ) : null}
    </section>
  );
}

function SchedulesCard({ canEdit, isAdmin, selfId }: { canEdit: boolean; isAdmin: boolean; selfId: string }) {
  const trpc = useTRPC();
  const refresh = useRefreshReports();
  const q = useQuery(trpc.reports.schedules.list.queryOptions());
  const [framework, setFramework] = useState<Framework>('pci_dss_v4');
  const [cadence, setCadence] = useState<'daily' | 'weekly' | 'monthly'>('weekly');
  const [scope, setScope] = useState<ScopeText>(EMPTY_SCOPE_TEXT);
  const [removing, setRemoving] = useState<{ id: string; text: string } | null>(null);
  const create = useMutation(trpc.reports.schedules.create.mutationOptions({ onSuccess: () => { void refresh(); setScope(EMPTY_SCOPE_TEXT); } }));
  const remove = useMutation(trpc.reports.schedules.delete.mutationOptions({ onSuccess: () => { void refresh(); setRemoving(null); } }));
  return (
    <section className="card" aria-labelledby="schedules-title">
      <div className="card-head"><h2 id="schedules-title">Schedules</h2><span className="muted small">Each run covers the day, week (Monday to Monday) or month that just ended, in UTC, and lands in the history above.</span></div>
      {q.isError ? <ErrorState error={q.error} onRetry={() => q.refetch()} /> : (
        <div className="table-wrap">
          <table className="table">
            <thead><tr><th>Framework</th><th>Cadence</th><th>Scope</th><th>Next run</th><th>Last period</th><th>Created by</th><th className="actions" /></tr></thead>
            <tbody>
              {q.isPending ? <LoadingRows columns={7} rows={2} /> : null}
              {q.data && !q.data.length ? <tr><td colSpan={7}><Empty title="No schedules">{canEdit ? 'Add one below to have reports generated on their own.' : null}</Empty></td></tr> : null}
              {q.data?.map((s) => (
                <tr key={s.id} data-testid="schedule-row">
                  <td>{FRAMEWORKS[s.framework]}</td>
                  <td>{s.cadence}</td>
                  <td className="small">{s.scopeText}</td>
                  <td className="small"><Time value={s.nextRunAt} />{s.failures ? <div className="danger-text" title={s.lastError ?? ''}>{s.failures} failed attempt{s.failures === 1 ? '' : 's'}: {s.lastError}</div> : null}</td>
                  <td className="small">{s.lastPeriodEnd ? <>up to <Time value={s.lastPeriodEnd} /></> : <span className="faint">not run yet</span>}</td>
                  <td className="small">{s.createdBy?.email ?? '—'}</td>
                  <td className="actions">
                    {canEdit && (isAdmin || s.createdBy?.id === selfId) ? (
                      <button type="button" className="btn small danger" onClick={() => setRemoving({ id: s.id, text: `${FRAMEWORKS[s.framework]}, ${s.cadence}, ${s.scopeText}` })}>Delete</button>
                    ) : null}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      {canEdit ? (
        <form className="card-body stack" onSubmit={(e) => { e.preventDefault(); create.mutate({ framework, cadence, scope: scopeOf(scope) }); }}>
          <div className="form-row report-form">
            <div className="field">
              <label htmlFor="schedule-framework">Framework</label>
              <select id="schedule-framework" className="select" value={framework} onChange={(e) => setFramework(e.target.value as Framework)}>
                {(Object.keys(FRAMEWORKS) as Framework[]).map((f) => <option key={f} value={f}>{FRAMEWORKS[f]}</option>)}
              </select>
            </div>
            <div className="field">
              <label htmlFor="schedule-cadence">Cadence</label>
              <select id="schedule-cadence" className="select" value={cadence} onChange={(e) => setCadence(e.target.value as typeof cadence)}>
                <option value="daily">Daily</option>
                <option value="weekly">Weekly</option>
                <option value="monthly">Monthly</option>
              </select>
            </div>
            <ScopeFields idPrefix="schedule" value={scope} onChange={setScope} />
            <button type="submit" className="btn" disabled={create.isPending}>{create.isPending ? 'Adding…' : 'Add schedule'}</button>
          </div>
          {create.isError ? <div className="alert error" role="alert">{create.error.message}</div> : null}
        </form>
      ) : null}
      <Dialog
        open={removing !== null}
        title="Delete schedule"
        onClose={() => { setRemoving(null); remove.reset(); }}
        onSubmit={() => removing && remove.mutate({ id: removing.id })}
        footer={<>
          <button type="button" className="btn" onClick={() => setRemoving(null)}>Cancel</button>
          <button type="submit" className="btn danger solid" disabled={remove.isPending}>{remove.isPending ? 'Deleting…' : 'Delete schedule'}</button>
        </>}
      >
        <p>Stop generating <strong>{removing?.text}</strong>? Reports it already generated stay in the history.</p>
        {remove.isError ? <p className="field-error" role="alert">{remove.error.message}</p> : null}
      </Dialog>
    </section>
  );
}
