'use client';

import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useEffect, useMemo, useState } from 'react';
import { useTRPC } from '@/components/trpc';
import { ConfirmWithReason } from '@/components/ui/confirm-with-reason';
import { localStamp } from '@/components/ui/time';
import { BacktestChart } from './backtest-chart';
import { GLOBAL, WINDOW_KEYS, type ThresholdList, type Thresholds } from './types';

const WINDOW_WORDS: Record<(typeof WINDOW_KEYS)[number], string> = { '5m': '5 minutes', '30m': '30 minutes', '4h': '4 hours', '24h': '24 hours' };

function NumberField({ id, label, value, onChange, min, max, step, hint }: {
  id: string; label: string; value: number; onChange: (v: number) => void; min: number; max: number; step: number; hint?: string;
}) {
  return (
    <div className="field">
      <label htmlFor={id}>{label}</label>
      <input id={id} className="input num-input" type="number" min={min} max={max} step={step} value={Number.isFinite(value) ? value : ''}
        onChange={(e) => onChange(e.target.value === '' ? Number.NaN : Number(e.target.value))} />
      {hint ? <span className="hint">{hint}</span> : null}
    </div>
  );
}

const plural = (n: number, word: string) => `${n.toLocaleString()} ${word}${n === 1 ? '' : 's'}`;

/** What is wrong with a candidate, in words, or null. */
function problem(t: Thresholds): string | null {
  if (![t.alert, t.mitigate, ...WINDOW_KEYS.map((w) => t.windows[w])].every(Number.isFinite)) return 'Fill in every value.';
  if (t.alert < 0 || t.alert > 100 || t.mitigate < 0 || t.mitigate > 100) return 'Scores are between 0 and 100.';
  if (t.mitigate < t.alert) return 'The mitigate level must be at least the alert level.';
  if (WINDOW_KEYS.some((w) => t.windows[w] < 0.5 || t.windows[w] > 50)) return 'Sensitivities are between 0.5 and 50 deviations.';
  return null;
}

/**
 * Edits the global thresholds or a service's own. Saving needs a backtest of exactly the values
 * being saved: the chart shows what the change would have raised on past traffic, before it applies.
 */
export function ThresholdEditor({ list, scope, onScope, services }: { list: ThresholdList; scope: string; onScope: (s: string) => void; services: string[] }) {
  const trpc = useTRPC();
  const qc = useQueryClient();
  const inForce = scope === GLOBAL ? list.global.thresholds : (list.services.find((s) => s.service === scope)?.thresholds ?? list.global.thresholds);
  const [candidate, setCandidate] = useState<Thresholds>(inForce);
  const [hours, setHours] = useState<24 | 168>(24);
  const [asked, setAsked] = useState<{ service: string; candidate: Thresholds; hours: 24 | 168 } | null>(null);
  const [saving, setSaving] = useState(false);
  const [otherService, setOtherService] = useState('');
  useEffect(() => {
    setCandidate(inForce);
    setAsked(null);
  }, [scope]); // eslint-disable-line react-hooks/exhaustive-deps

  const bt = useQuery(trpc.thresholds.backtest.queryOptions(asked ?? { service: GLOBAL, candidate: inForce, hours: 24 }, { enabled: asked !== null, staleTime: Infinity, retry: false }));
  const save = useMutation(trpc.thresholds.set.mutationOptions({
    onSuccess: () => { setSaving(false); setAsked(null); void qc.invalidateQueries({ queryKey: trpc.thresholds.pathKey() }); },
  }));
  const invalid = problem(candidate);
  const key = JSON.stringify({ service: scope, candidate, hours });
  const tested = asked !== null && JSON.stringify(asked) === key && bt.isSuccess;
  const unchanged = JSON.stringify(candidate) === JSON.stringify(inForce) && (scope === GLOBAL || list.services.some((s) => s.service === scope));
  const setWindow = (w: (typeof WINDOW_KEYS)[number], v: number) => setCandidate((c) => ({ ...c, windows: { ...c.windows, [w]: v } }));
  const r = bt.data;
  const choices = useMemo(() => [...new Set([...list.services.map((s) => s.service), ...services])].sort(), [list.services, services]);

  return (
    <section className="card" aria-labelledby="edit-title">
      <div className="card-head">
        <h2 id="edit-title">Change thresholds</h2>
        <span className="muted">backtest first, then save</span>
      </div>
      <div className="card-body form">
        <div className="form-row">
          <div className="field">
            <label htmlFor="scope">Scope</label>
            <select id="scope" className="select" value={scope} style={{ width: 260 }} onChange={(e) => onScope(e.target.value)}>
              <option value={GLOBAL}>Global (every service without its own)</option>
              {[...choices, ...(scope !== GLOBAL && !choices.includes(scope) ? [scope] : [])].map((s) => (
                <option key={s} value={s}>{s}{list.services.some((x) => x.service === s) ? ' (own thresholds)' : ''}</option>
              ))}
            </select>
          </div>
          <form className="row other-service" onSubmit={(e) => { e.preventDefault(); if (otherService.trim()) { onScope(otherService.trim()); setOtherService(''); } }}>
            <label htmlFor="other-service" className="muted small">or another service</label>
            <input id="other-service" className="input" placeholder="namespace/name" value={otherService} onChange={(e) => setOtherService(e.target.value)} style={{ width: 180 }} />
            <button type="submit" className="btn small" disabled={!otherService.trim()}>Use</button>
          </form>
        </div>
        <div className="form-row threshold-fields">
          <NumberField id="t-alert" label="Alert at score" value={candidate.alert} min={0} max={100} step={1} onChange={(v) => setCandidate((c) => ({ ...c, alert: v }))} hint="raise a detection" />
          <NumberField id="t-mitigate" label="Mitigate at score" value={candidate.mitigate} min={0} max={100} step={1} onChange={(v) => setCandidate((c) => ({ ...c, mitigate: v }))} hint="propose denying its actors" />
          {WINDOW_KEYS.map((w) => (
            <NumberField key={w} id={`t-${w}`} label={`${WINDOW_WORDS[w]} window`} value={candidate.windows[w]} min={0.5} max={50} step={0.5} onChange={(v) => setWindow(w, v)} hint="deviations to count" />
          ))}
        </div>
        {invalid ? <div className="alert error" role="alert">{invalid}</div> : null}
        <div className="row">
          <span className="label muted" id="bt-period">Backtest over</span>
          <div className="segmented" role="group" aria-labelledby="bt-period">
            {([24, 168] as const).map((h) => (
              <button key={h} type="button" className={hours === h ? 'active' : ''} aria-pressed={hours === h} onClick={() => setHours(h)}>{h === 24 ? 'last 24 h' : 'last 7 days'}</button>
            ))}
          </div>
          <button type="button" className="btn primary" disabled={invalid !== null || bt.isFetching} onClick={() => { setAsked({ service: scope, candidate, hours }); if (asked && JSON.stringify(asked) === key) void bt.refetch(); }}>
            {bt.isFetching ? 'Replaying past traffic…' : 'Run backtest'}
          </button>
          <span className="spacer" />
          <button type="button" className="btn primary" data-testid="save-thresholds" disabled={!tested || invalid !== null || unchanged}
            title={tested ? undefined : 'Run the backtest of these values first'} onClick={() => setSaving(true)}>
            Save…
          </button>
        </div>
        {bt.isError ? <div className="alert error" role="alert">Backtest failed: {bt.error.message}</div> : null}
        {r && asked ? (
          <div className="backtest" data-testid="backtest">
            <div className="backtest-totals">
              <div className="stat"><span className="stat-label">With the thresholds in force</span><span className="stat-value" data-testid="bt-current">{plural(r.totals.current.detections, 'detection')}</span><span className="stat-sub">{plural(r.totals.current.actors, 'actor')}</span></div>
              <div className="stat"><span className="stat-label">With the candidate</span><span className="stat-value" data-testid="bt-candidate">{plural(r.totals.candidate.detections, 'detection')}</span><span className="stat-sub">{plural(r.totals.candidate.actors, 'actor')}</span></div>
              <div className="stat"><span className="stat-label">Replayed</span><span className="stat-value">{r.events.toLocaleString()} events</span>
                <span className="stat-sub">{r.coveredFrom ? `from ${localStamp(r.coveredFrom)}` : 'no stored traffic in the period'}{r.truncated ? ` · stopped early (${r.truncated === 'events' ? 'event bound' : 'time limit'})` : ''}</span></div>
            </div>
            {JSON.stringify(asked) !== key ? <div className="alert warn">The values changed since this backtest: run it again before saving.</div> : null}
            <BacktestChart result={r} />
          </div>
        ) : (
          <p className="muted small">The backtest replays the stored events of the period through the detection engine twice, with the thresholds in force and with these, and shows what each would have raised, hour by hour.</p>
        )}
      </div>
      <ConfirmWithReason
        open={saving}
        title={`Save the ${scope === GLOBAL ? 'global' : `${scope}`} thresholds`}
        description={r ? <p>The backtest over the last {asked?.hours === 168 ? '7 days' : '24 hours'}: {r.totals.current.detections} detections ({r.totals.current.actors} actors) now, {r.totals.candidate.detections} ({r.totals.candidate.actors} actors) with these values. The change applies to new detections at once.</p> : null}
        confirmLabel="Save thresholds"
        pending={save.isPending}
        error={save.error?.message ?? null}
        onCancel={() => { save.reset(); setSaving(false); }}
        onConfirm={(reason) => save.mutate({ service: scope, thresholds: candidate, reason })}
      />
    </section>
  );
}
