'use client';

import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useTRPC } from '@/components/trpc';
import { ConfirmWithReason } from '@/components/ui/confirm-with-reason';
import { mergedTemplate } from '@/server/discovery/merge-template';
import { TemplateText } from './state-badge';

export type Decision = 'approve' | 'reject' | 'reset';

const WORDS: Record<Decision, { title: string; verb: string; explain: string }> = {
  approve: { title: 'Approve', verb: 'Approve', explain: 'Approved endpoints go into the whitelist policies generated for their services.' },
  reject: { title: 'Reject', verb: 'Reject', explain: 'Rejected endpoints stay in the inventory but never go into a whitelist.' },
  reset: { title: 'Reopen', verb: 'Reopen', explain: 'Reopened endpoints go back to the review queue and out of future whitelists.' },
};

/** Invalidates every inventory query after a change. */
export function useInventoryRefresh() {
  const trpc = useTRPC();
  const qc = useQueryClient();
  return () => qc.invalidateQueries({ queryKey: trpc.apis.pathKey() });
}

export function ReviewDialog({ decision, ids, onClose, onDone }: { decision: Decision | null; ids: string[]; onClose: () => void; onDone: () => void }) {
  const trpc = useTRPC();
  const refresh = useInventoryRefresh();
  const m = useMutation(trpc.apis.review.mutationOptions({ onSuccess: () => { refresh(); onDone(); } }));
  const w = decision ? WORDS[decision] : WORDS.approve;
  const n = ids.length;
  return (
    <ConfirmWithReason
      open={decision !== null}
      title={`${w.title} ${n} endpoint${n === 1 ? '' : 's'}`}
      description={<p>{w.explain}</p>}
      confirmLabel={`${w.verb} ${n}`}
      danger={decision === 'reject'}
      pending={m.isPending}
      error={m.error?.message ?? null}
      onCancel={() => { m.reset(); onClose(); }}
      onConfirm={(reason) => decision && m.mutate({ ids, decision, reason })}
    />
  );
}

export function MergeDialog({ open, endpoints, onClose, onDone }: {
  open: boolean;
  endpoints: { id: string; method: string; template: string }[];
  onClose: () => void;
  onDone: (id: string) => void;
}) {
  const trpc = useTRPC();
  const refresh = useInventoryRefresh();
  const m = useMutation(trpc.apis.merge.mutationOptions({ onSuccess: (r) => { refresh(); onDone(r.id); } }));
  let preview: string | null = null;
  let problem: string | null = null;
  try {
    if (new Set(endpoints.map((e) => e.method)).size > 1) problem = 'Only endpoints with the same method can be merged.';
    else if (endpoints.length >= 2) preview = mergedTemplate(endpoints.map((e) => e.template));
  } catch (e) {
    problem = (e as Error).message;
  }
  return (
    <ConfirmWithReason
      open={open}
      title={`Merge ${endpoints.length} endpoints`}
      description={
        problem ? <div className="alert error">{problem}</div> : (
          <>
            <p>They become one endpoint:</p>
            <p><span className="method">{endpoints[0]?.method}</span> {preview ? <TemplateText template={preview} /> : null}</p>
            <p className="muted">The merged endpoint accepts more than each of them did, so it starts unreviewed: approve it once you have checked it. The learner will not split it again.</p>
          </>
        )
      }
      confirmLabel="Merge"
      pending={m.isPending || problem !== null}
      error={m.error?.message ?? null}
      onCancel={() => { m.reset(); onClose(); }}
      onConfirm={(reason) => m.mutate({ ids: endpoints.map((e) => e.id), reason })}
    />
  );
}
