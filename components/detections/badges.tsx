import Link from 'next/link';
import type { ActorType, Severity, TriageState } from '@/lib/enums';
import { ACTOR_LABEL, SEVERITY_LABEL, STATE_LABEL } from './words';

const SEVERITY_TONE: Record<Severity, string> = { low: 'plain', medium: 'info', high: 'warn', critical: 'danger' };
const STATE_TONE: Record<TriageState, string> = { open: 'danger', acknowledged: 'warn', resolved: 'ok', false_positive: 'plain' };

/** Severity in words and colour (colour is never the only signal). */
export function SeverityBadge({ severity }: { severity: Severity }) {
  return <span className={`badge sev sev-${severity} ${SEVERITY_TONE[severity]}`}>{SEVERITY_LABEL[severity]}</span>;
}

export function TriageBadge({ state }: { state: TriageState }) {
  return <span className={`badge ${STATE_TONE[state]}`} data-testid="triage-state">{STATE_LABEL[state]}</span>;
}

/** An actor: type and id; a token opens its data-flow page. Ids come from telemetry and are shown as text. */
export function ActorChip({ type, id, rangeQuery }: { type: ActorType; id: string; rangeQuery?: string }) {
  const body = (
    <>
      <span className="actor-type">{ACTOR_LABEL[type] ?? type}</span>
      <span className="actor-id mono" title={id}>{id}</span>
    </>
  );
  return type === 'token'
    ? <Link className="actor-chip" href={`/data/tokens/${encodeURIComponent(id)}${rangeQuery ? `?${rangeQuery}` : ''}`}>{body}</Link>
    : <span className="actor-chip">{body}</span>;
}

export function ScoreBar({ score }: { score: number }) {
  const tone = score >= 85 ? 'danger' : score >= 60 ? 'warn' : 'info';
  return (
    <span className="score" title={`Suspicion score ${score.toFixed(1)} of 100`}>
      <span className="score-value">{Math.round(score)}</span>
      <span className={`score-bar ${tone}`} aria-hidden="true"><span style={{ width: `${Math.min(100, Math.max(0, score))}%` }} /></span>
    </span>
  );
}
