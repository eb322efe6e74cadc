'use client';

import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { useTRPC } from '@/components/trpc';
import { ConfirmWithReason } from '@/components/ui/confirm-with-reason';
import type { TriageState } from '@/lib/enums';
import { NEXT_STATES } from '@/server/detection/triage-steps';
import { FalsePositiveDialog } from './false-positive-dialog';
import type { DetectionView } from './types';

type Step = 'acknowledged' | 'resolved' | 'open';
const WORDS: Record<Step, { button: string; title: string; explain: string }> = {
  acknowledged: { button: 'Acknowledge', title: 'Acknowledge this detection', explain: 'Someone is on it. If nobody is assigned yet, it is assigned to you.' },
  resolved: { button: 'Resolve', title: 'Resolve this detection', explain: 'The attack is dealt with. If the same activity goes on, the detection opens again by itself.' },
  open: { button: 'Reopen', title: 'Reopen this detection', explain: 'It goes back to the queue. Reopening a false positive lifts the suppressions it made.' },
};

/** Refetches everything detection pages show after a change. */
export function useDetectionsRefresh() {
  const trpc = useTRPC();
  const qc = useQueryClient();
  return () => qc.invalidateQueries({ queryKey: trpc.detections.pathKey() });
}

/** The triage steps open from this state, each asking for a reason; false positive has its own dialog. */
export function TriageActions({ d }: { d: DetectionView }) {
  const trpc = useTRPC();
  const refresh = useDetectionsRefresh();
  const [step, setStep] = useState<Step | null>(null);
  const [fp, setFp] = useState(false);
  const m = useMutation(trpc.detections.triage.mutationOptions({ onSuccess: () => { setStep(null); void refresh(); } }));
  const next = NEXT_STATES[d.state as TriageState];
  return (
    <>
      {(['acknowledged', 'resolved', 'open'] as const).filter((s) => next.includes(s)).map((s) => (
        <button key={s} type="button" className={`btn${s === 'acknowledged' || s === 'resolved' ? ' primary' : ''}`} onClick={() => setStep(s)}>{WORDS[s].button}</button>
      ))}
      {next.includes('false_positive') ? <button type="button" className="btn" onClick={() => setFp(true)}>False positive…</button> : null}
      <ConfirmWithReason
        open={step !== null}
        title={step ? WORDS[step].title : ''}
        description={<p>{step ? WORDS[step].explain : ''}</p>}
        confirmLabel={step ? WORDS[step].button : ''}
        pending={m.isPending}
        error={m.error?.message ?? null}
        onCancel={() => { m.reset(); setStep(null); }}
        onConfirm={(reason) => step && m.mutate({ id: d.id, to: step, reason })}
      />
      <FalsePositiveDialog open={fp} d={d} onClose={() => setFp(false)} />
    </>
  );
}

/** Who works on it: any enabled analyst or admin, or nobody. */
export function AssignControl({ d, selfId }: { d: DetectionView; selfId: string }) {
  const trpc = useTRPC();
  const refresh = useDetectionsRefresh();
  const people = useQuery(trpc.detections.assignees.queryOptions(undefined, { staleTime: 60_000 }));
  const m = useMutation(trpc.detections.assign.mutationOptions({ onSuccess: () => void refresh() }));
  return (
    <div className="assign">
      <label htmlFor="assignee" className="visually-hidden">Assignee</label>
      <select id="assignee" className="select" value={d.assignee?.id ?? ''} disabled={m.isPending || people.isPending}
        onChange={(e) => m.mutate({ id: d.id, assigneeId: e.target.value || null })}>
        <option value="">Unassigned</option>
        {d.assignee && !people.data?.some((u) => u.id === d.assignee!.id) ? <option value={d.assignee.id}>{d.assignee.email}</option> : null}
        {(people.data ?? []).map((u) => <option key={u.id} value={u.id}>{u.name ? `${u.name} (${u.email})` : u.email}</option>)}
      </select>
      {d.assignee?.id !== selfId ? <button type="button" className="btn small" disabled={m.isPending} onClick={() => m.mutate({ id: d.id, assigneeId: selfId })}>Assign to me</button> : null}
      {m.isError ? <span className="field-error" role="alert">{m.error.message}</span> : null}
    </div>
  );
}
