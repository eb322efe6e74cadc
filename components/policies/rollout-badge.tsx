import type { RolloutState } from '@/server/policy/rollout';

const TEXT: Record<RolloutState, { label: string; kind: string; title: string }> = {
  current: { label: 'current', kind: 'ok', title: 'runs the newest published revision' },
  pending: { label: 'applying', kind: 'info', title: 'a newer revision was published moments ago' },
  outdated: { label: 'outdated', kind: 'danger', title: 'has not applied the newest published revision in time' },
  none: { label: 'no policy', kind: 'plain', title: 'nothing has been published for its service' },
};

export function RolloutBadge({ state }: { state: RolloutState }) {
  const t = TEXT[state];
  return <span className={`badge ${t.kind}`} title={t.title}>{t.label}</span>;
}

/** `12 of 14 current · 2 outdated`, or a dash without proxies. */
export function FleetCounts({ fleet }: { fleet: { proxies: number; current: number; pending: number; outdated: number } }) {
  if (fleet.proxies === 0) return <span className="faint">no proxies</span>;
  if (fleet.current + fleet.pending + fleet.outdated === 0) return <span className="faint">{fleet.proxies} prox{fleet.proxies === 1 ? 'y' : 'ies'}, nothing to apply yet</span>;
  return (
    <span className="badges">
      <span>{fleet.current} of {fleet.proxies} current</span>
      {fleet.pending ? <span className="badge info plain">{fleet.pending} applying</span> : null}
      {fleet.outdated ? <span className="badge danger">{fleet.outdated} outdated</span> : null}
    </span>
  );
}
