import type { PolicyState } from '@/lib/enums';

const KIND: Record<PolicyState, string> = { draft: 'info', approved: 'warn', published: 'ok', discarded: 'plain' };

export function RevisionState({ state, current }: { state: PolicyState; current?: boolean }) {
  return (
    <span className="badges">
      <span className={`badge ${KIND[state]}`}>{state}</span>
      {current ? <span className="badge ok plain" title="what the fleet should be running">live</span> : null}
    </span>
  );
}
