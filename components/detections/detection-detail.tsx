'use client';

import { useQuery } from '@tanstack/react-query';
import Link from 'next/link';
import { clause, searchHref } from '@/components/search/search-url';
import { useState } from 'react';
import { policyHref } from '@/components/policies/links';
import { useTRPC } from '@/components/trpc';
import { compact, percent } from '@/components/ui/format';
import { Empty, ErrorState } from '@/components/ui/states';
import { Time } from '@/components/ui/time';
import type { ActorType } from '@/lib/enums';
import { ScoreBar, SeverityBadge, TriageBadge } from './badges';
import { DenyDialog } from './deny-dialog';
import { ActorsPanel } from './actors-panel';
import { ExamplesTable, FeaturesTable, TransitionsTable, WindowsFired } from './evidence';
import { TimelineChart } from './timeline-chart';
import type { DetectionView } from './types';
import { AssignControl, TriageActions } from './triage-actions';
import { ACTOR_LABEL, duration, kindLabel, STATE_LABEL } from './words';

const ACTION_WORDS: Record<string, string> = { assign: 'Assignment', mitigate: 'Deny proposed' };

function historyTitle(x: DetectionView['history'][number]): string {
  const move = x.toState ? `${x.fromState ? STATE_LABEL[x.fromState] : ''} → ${STATE_LABEL[x.toState]}` : null;
  const named = ACTION_WORDS[x.action];
  if (named) return move ? `${named} (${move})` : named;
  return move ?? x.action;
}

/** `/detections/[id]`: one incident with its evidence, its actors, its triage and "deny this actor". */
export function DetectionDetail({ id, canTriage, selfId, back }: { id: string; canTriage: boolean; selfId: string; back: string }) {
  const trpc = useTRPC();
  const q = useQuery(trpc.detections.get.queryOptions({ id }, { refetchInterval: 15_000 }));
  const [deny, setDeny] = useState<{ type: ActorType; id: string } | null>(null);
  const list = `/detections${back ? `?${back}` : ''}`;
  const crumbs = (
    <nav className="breadcrumb" aria-label="Breadcrumb"><Link href={list}>Detections</Link><span aria-hidden="true"> / </span><span>Incident</span></nav>
  );
  if (q.isError) {
    return (
      <div className="page stack">
        {crumbs}
        <div className="card">
          {q.error.data?.code === 'NOT_FOUND' ? <Empty title="No such detection">It may have been removed with old data. <Link href={list}>Back to the queue</Link></Empty> : <ErrorState error={q.error} onRetry={() => q.refetch()} />}
        </div>
      </div>
    );
  }
  const d = q.data;
  if (!d) {
    return <div className="page stack">{crumbs}<div className="card"><div className="card-body"><div className="skeleton" style={{ width: 320 }} /></div></div></div>;
  }
  const timeline = d.evidence.timeline;
  const requests = timeline.reduce((n, p) => n + p.requests, 0);
  const errors = timeline.reduce((n, p) => n + p.errors, 0);
  const closed = d.state === 'resolved' || d.state === 'false_positive';
  return (
    <div className="page stack">
      {crumbs}
      <div className="page-head detection-head">
        <div style={{ minWidth: 0 }}>
          <h1 className="detection-title">{kindLabel(d.kind)} <span className="muted">on</span> <span className="mono">{d.service ?? 'no single service'}</span></h1>
          <p className="row">
            <SeverityBadge severity={d.severity} />
            <TriageBadge state={d.state} />
            <span className="muted">Active <Time value={d.startAt} /> → <Time value={d.endAt} /> ({duration(d.endAt.getTime() - d.startAt.getTime())})</span>
            <Link className="btn small" href={searchHref(clause('detection', d.id), { from: new Date(d.startAt.getTime() - 300_000), to: new Date(d.endAt.getTime() + 300_000) })}>Search its actors' requests</Link>
          </p>
          <div className="row assign-row">
            <span className="muted">Assignee</span>
            {canTriage ? <AssignControl d={d} selfId={selfId} /> : <span>{d.assignee ? d.assignee.email : 'nobody yet'}</span>}
          </div>
        </div>
        {canTriage ? <div className="row triage-bar"><TriageActions d={d} /></div> : null}
      </div>

      {d.mitigation ? (
        <div className="alert info" role="status" data-testid="mitigation">
          <span style={{ flex: 1 }}>
            Deny <span className="mono">{d.mitigation.kind} {d.mitigation.value}</span> until <Time value={d.mitigation.expiresAt} /> was proposed by {d.mitigation.by} in revision {d.mitigation.revision} of{' '}
            <span className="mono">{d.mitigation.service}</span>. It reaches the fleet once another admin approves and publishes it.
          </span>
          <Link href={policyHref(d.mitigation.service)} className="btn small">Open the policy</Link>
        </div>
      ) : !closed && d.score >= d.thresholds.mitigate && canTriage ? (
        <div className="alert warn" role="status">
          <span>The score ({Math.round(d.score)}) is at or above the mitigate level of {d.thresholds.mitigate}{d.thresholds.own ? ' for this service' : ''}: consider denying its actors (each “Deny…” below adds an expiring entry to the policy draft).</span>
        </div>
      ) : null}

      <div className="tiles tiles-4">
        <div className="stat tile">
          <span className="stat-label">Suspicion score</span>
          <span className="stat-value"><ScoreBar score={d.score} /></span>
          <span className="stat-sub">alert at {d.thresholds.alert} · mitigate at {d.thresholds.mitigate}{d.thresholds.own ? ' (this service)' : ''}</span>
        </div>
        <div className="stat tile">
          <span className="stat-label">Actors</span>
          <span className="stat-value" data-testid="actor-count">{d.actorCount.toLocaleString()}</span>
          <span className="stat-sub" title={d.topActors.map((a) => `${ACTOR_LABEL[a.type]} ${a.id}`).join(', ')}>{d.topActors.slice(0, 2).map((a) => a.id).join(', ') || '—'}</span>
        </div>
        <div className="stat tile">
          <span className="stat-label">Requests in the timeline</span>
          <span className="stat-value">{compact(requests)}</span>
          <span className="stat-sub">{requests ? `${percent(errors / requests)} refused or failed` : 'no timeline kept'}</span>
        </div>
        <div className="stat tile">
          <span className="stat-label">Windows that fired</span>
          <span className="stat-value small-value"><WindowsFired windows={d.evidence.windows} /></span>
          <span className="stat-sub">first seen <Time value={d.createdAt} relative /></span>
        </div>
      </div>

      <section className="card" aria-labelledby="timeline-title">
        <div className="card-head"><h2 id="timeline-title">Timeline</h2><span className="muted">requests per minute from this incident&apos;s actors</span></div>
        <div className="card-body chart-body">
          {timeline.length ? <TimelineChart points={timeline} /> : <div className="chart-empty">The engine kept no timeline for this incident.</div>}
        </div>
      </section>

      <section className="card" aria-labelledby="features-title">
        <div className="card-head"><h2 id="features-title">Why it was raised</h2><span className="muted">the features that carried the score, against their baseline</span></div>
        <FeaturesTable features={d.evidence.features} />
        <div className="card-head sub-head"><h2 id="transitions-title">Unlikely steps</h2><span className="muted">endpoint sequences the model rarely sees for this kind of client</span></div>
        <TransitionsTable transitions={d.evidence.transitions} />
      </section>

      <div className="ov-row detection-people">
        <section className="card" aria-labelledby="actors-title">
          <div className="card-head"><h2 id="actors-title">Actors</h2><span className="muted">{d.actorCount.toLocaleString()} in all, most implicated first</span></div>
          <ActorsPanel id={d.id} canAct={canTriage && !closed && d.service !== null} onDeny={setDeny} />
        </section>
        <section className="card" aria-labelledby="history-title">
          <div className="card-head"><h2 id="history-title">Triage history</h2></div>
          {d.history.length ? (
            <ol className="history-list">
              {d.history.map((x) => (
                <li key={x.id} data-testid="history-row">
                  <div className="row">
                    <strong>{historyTitle(x)}</strong>
                    <span className="muted">{x.actorEmail ?? 'the detector'}</span>
                    <span className="spacer" />
                    <Time value={x.at} relative />
                  </div>
                  {x.detail ? <div className="small">{x.detail}</div> : null}
                  {x.reason ? <div className="muted small">“{x.reason}”</div> : null}
                </li>
              ))}
            </ol>
          ) : <div className="card-body muted">Nobody has triaged it yet.</div>}
          {d.suppressions.length ? (
            <div className="card-body sub-head small">
              {d.suppressions.map((s) => (
                <div key={s.id}>Suppressed {s.scope === 'rule' ? `${kindLabel(s.kind)} on ${s.service ?? 'no service'}` : `${s.actorType} ${s.actorId}`} until <Time value={s.expiresAt} />{s.active ? '' : ' (expired)'}</div>
              ))}
            </div>
          ) : null}
        </section>
      </div>

      <section className="card" aria-labelledby="examples-title">
        <div className="card-head"><h2 id="examples-title">Example requests</h2><span className="muted">find them in the proxies&apos; logs by request id</span></div>
        <ExamplesTable examples={d.evidence.examples} />
      </section>

      <DenyDialog detectionId={d.id} service={d.service} actor={deny} onClose={() => setDeny(null)} />
    </div>
  );
}
