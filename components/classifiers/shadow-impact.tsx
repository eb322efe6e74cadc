'use client';

import { useMutation } from '@tanstack/react-query';
import { useState } from 'react';
import { useTRPC } from '@/components/trpc';
import { compact } from '@/components/ui/format';
import { issuesOf, type ClassifierSet } from './types';

type Range = '24h' | '7d';
const RANGE_LABEL: Record<Range, string> = { '24h': 'last 24 hours', '7d': 'last 7 days' };

/**
 * What the draft's rules would have done to past traffic, from the findings proxies reported
 * (bodies are never kept), beside what the set in force did. Measured on request: the draft
 * changes with every keystroke of the editor.
 */
export function ShadowImpact({ draft }: { draft: ClassifierSet }) {
  const trpc = useTRPC();
  const [range, setRange] = useState<Range>('24h');
  // what was measured: the draft as text (to say when it changed since) and the range
  const [measured, setMeasured] = useState<{ draft: string; range: Range } | null>(null);
  const run = useMutation(trpc.classifiers.impact.mutationOptions());
  const r = run.data;
  const stale = r !== undefined && measured !== null && (measured.draft !== JSON.stringify(draft) || measured.range !== range);
  const problems = issuesOf(run.error);
  const measure = () => {
    setMeasured({ draft: JSON.stringify(draft), range });
    run.mutate({ document: draft, range });
  };
  return (
    <section className="card" aria-labelledby="impact-title">
      <div className="card-head"><h2 id="impact-title">Shadow impact</h2><span className="muted">the set as edited above, against what the proxies reported</span></div>
      <div className="card-body stack">
        <form className="form-row" onSubmit={(e) => { e.preventDefault(); measure(); }}>
          <div className="field">
            <label htmlFor="impact-range">Over the</label>
            <select id="impact-range" className="select" value={range} onChange={(e) => setRange(e.target.value as Range)}>
              <option value="24h">{RANGE_LABEL['24h']}</option><option value="7d">{RANGE_LABEL['7d']}</option>
            </select>
          </div>
          <button type="submit" className="btn primary" disabled={run.isPending}>{run.isPending ? 'Measuring…' : 'Measure impact'}</button>
          {stale ? <span className="warn-text" data-testid="impact-stale">The set or the range changed since this was measured.</span> : null}
        </form>
        {problems?.length ? <div className="alert error" role="alert">{problems.map((p, i) => <div key={i}>{p.message}</div>)}</div>
          : run.error ? <div className="alert error" role="alert">{run.error.message}</div> : null}
        {!r && !run.isPending && !run.error ? (
          <p className="muted">
            Counts the events that carried each rule&apos;s class on the edges it covers, so a redact or block rule can be judged before the fleet applies it.
            Bodies are never kept: a class the fleet does not report yet has no history here.
          </p>
        ) : null}
        {r ? (
          <div className="stack" data-testid="impact-result">
            <div className="impact-totals">
              <ImpactLine label="This set would" totals={r.draft} />
              <ImpactLine label={r.revision === 0 ? 'The built-in set in force' : `Revision ${r.revision} in force`} totals={r.current} />
              <p className="faint small">
                Of {compact(r.findings)} events with sensitive data in the {RANGE_LABEL[measured?.range ?? range]}, counted once per class they carried.
              </p>
            </div>
            {r.rules.length === 0 ? <p className="muted">The set has no rules: every class is reported, nothing is redacted or blocked.</p> : (
              <div className="table-wrap">
                <table className="table compact-table">
                  <thead><tr><th>Rule</th><th className="num">Events</th><th className="num">Matches</th><th>Callers affected</th><th>Services</th><th className="num">Excepted</th></tr></thead>
                  <tbody>
                    {r.rules.map((rule) => (
                      <tr key={rule.index} data-testid="impact-rule">
                        <td><span className={`badge ${rule.action === 'block' ? 'danger' : rule.action === 'redact' ? 'warn' : 'info'}`}>{rule.action}</span> <span className="mono">{rule.class}</span> <span className="muted">in {rule.direction === 'both' ? 'requests and responses' : `${rule.direction}s`}</span></td>
                        <td className="num" data-testid="impact-events" data-events={rule.events} title={`${rule.events.toLocaleString('en-US')} events`}>
                          {rule.classUnreported ? <span className="faint" title="No proxy reported this class in the range">not reported</span> : compact(rule.events)}
                        </td>
                        <td className="num">{compact(rule.matches)}</td>
                        <td className="mono small">{names(rule.callers, rule.callerCount)}</td>
                        <td className="mono small">{names(rule.services, rule.serviceCount)}</td>
                        <td className="num">{rule.exceptedEvents ? compact(rule.exceptedEvents) : <span className="faint">—</span>}</td>
                      </tr>
                    ))}
                  </tbody>
                </table>
              </div>
            )}
          </div>
        ) : null}
      </div>
    </section>
  );
}

function ImpactLine({ label, totals }: { label: string; totals: { redact: number; block: number; report: number } }) {
  return (
    <div data-testid="impact-line">
      {label}: <strong>redact {compact(totals.redact)}</strong>, <strong>block {compact(totals.block)}</strong> and report {compact(totals.report)} events by rule.
    </div>
  );
}

function names(list: { name: string; events: number }[], count: number) {
  if (count === 0) return <span className="faint">none</span>;
  const more = count - list.length;
  return <>{list.map((c) => `${c.name} (${compact(c.events)})`).join(', ')}{more > 0 ? <span className="muted"> and {more} more</span> : null}</>;
}
