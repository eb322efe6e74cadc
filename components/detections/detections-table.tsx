'use client';

import Link from 'next/link';
import { Empty, LoadingRows } from '@/components/ui/states';
import { ago } from '@/components/ui/time';
import type { ActorType, Severity, TriageState } from '@/lib/enums';
import { ActorChip, ScoreBar, SeverityBadge, TriageBadge } from './badges';
import { duration, kindLabel } from './words';

export interface QueueRow {
  id: string;
  kind: string;
  service: string | null;
  startAt: Date;
  endAt: Date;
  score: number;
  severity: Severity;
  state: TriageState;
  actorCount: number;
  topActors: { type: ActorType; id: string }[];
  mitigated: boolean;
  assignee: { id: string; email: string; name: string } | null;
}

/** The queue: one row per incident, its link first so Tab and j/k reach it. */
export function DetectionsTable({ rows, pending, filtered, backQuery }: { rows: QueueRow[]; pending: boolean; filtered: boolean; backQuery: string }) {
  return (
    <div className="table-wrap">
      <table className="table detections-table">
        <thead>
          <tr>
            <th>Severity</th>
            <th>Detection</th>
            <th>Actors</th>
            <th className="num">Score</th>
            <th>Last active</th>
            <th>State</th>
            <th>Assignee</th>
          </tr>
        </thead>
        <tbody>
          {pending ? <LoadingRows columns={7} rows={8} /> : rows.map((d) => (
            <tr key={d.id} data-testid="detection-row">
              <td><SeverityBadge severity={d.severity} /></td>
              <td className="detection-cell">
                <Link href={`/detections/${encodeURIComponent(d.id)}${backQuery ? `?back=${encodeURIComponent(backQuery)}` : ''}`} className="detection-link" data-row-link>
                  <span className="detection-kind">{kindLabel(d.kind)}</span>
                  <span className="mono detection-service">{d.service ?? 'no single service'}</span>
                </Link>
                {d.mitigated ? <span className="badge plain" title="A deny entry was proposed in a policy draft">deny proposed</span> : null}
              </td>
              <td className="actors-cell">
                {d.topActors[0] ? <ActorChip type={d.topActors[0].type} id={d.topActors[0].id} /> : <span className="faint">—</span>}
                {d.actorCount > 1 ? <div className="muted small nowrap" title={d.topActors.slice(1).map((a) => a.id).join(', ')}>and {(d.actorCount - 1).toLocaleString()} more</div> : null}
              </td>
              <td className="num"><ScoreBar score={d.score} /></td>
              <td className="nowrap">
                <span title={`${d.startAt.toISOString()} → ${d.endAt.toISOString()} (UTC)`}>{ago(d.endAt)}</span>
                <div className="faint small">lasted {duration(d.endAt.getTime() - d.startAt.getTime())}</div>
              </td>
              <td><TriageBadge state={d.state} /></td>
              <td className="who-cell">{d.assignee ? <div title={d.assignee.email}>{d.assignee.name || d.assignee.email}</div> : <span className="faint">—</span>}</td>
            </tr>
          ))}
        </tbody>
      </table>
      {!pending && rows.length === 0 ? (
        filtered ? <Empty title="No detection matches these filters">Clear a filter, widen the time range or pick another state.</Empty> : (
          <Empty title="No detections in this range">
            Meshward scores every actor on the traffic its proxies report; incidents appear here within a minute or two of an attack, grouped by attack.
          </Empty>
        )
      ) : null}
    </div>
  );
}
