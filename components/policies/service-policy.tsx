'use client';

import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import Link from 'next/link';
import { usePathname, useRouter, useSearchParams } from 'next/navigation';
import { useState } from 'react';
import { useTRPC } from '@/components/trpc';
import { ConfirmWithReason } from '@/components/ui/confirm-with-reason';
import { Empty, ErrorState } from '@/components/ui/states';
import { Time } from '@/components/ui/time';
import { DiffView } from './diff-view';
import { FleetPanel } from './fleet-panel';
import { History } from './history';
import { RevisionState } from './revision-state';
import { FleetCounts } from './rollout-badge';
import { RulesEditor } from './rules-editor';
import { ShadowPanel } from './shadow-panel';

type Step = 'generate' | { approve: string } | 'publish' | 'discard' | 'discardApproved' | { rollback: number };
const TABS = ['changes', 'shadow', 'rules'] as const;
type Tab = (typeof TABS)[number];

export interface Viewer {
  email: string;
  canDraft: boolean;
  canAdmin: boolean;
}

/** `/policies/<service>`: the open revision (what changes, shadow impact, rules), the history and the fleet. */
export function ServicePolicy({ service, viewer }: { service: string; viewer: Viewer }) {
  const trpc = useTRPC();
  const qc = useQueryClient();
  const params = useSearchParams();
  const router = useRouter();
  const pathname = usePathname();
  const set = (changes: Record<string, string | null>) => {
    const next = new URLSearchParams(params.toString());
    for (const [k, v] of Object.entries(changes)) if (v === null) next.delete(k); else next.set(k, v);
    router.replace(`${pathname}${next.size ? `?${next}` : ''}`, { scroll: false });
  };
  const tab: Tab = (TABS as readonly string[]).includes(params.get('tab') ?? '') ? (params.get('tab') as Tab) : 'changes';
  const hours = Number(params.get('hours')) || 24;
  const diffPair = params.get('from') !== null && params.get('to') !== null ? { from: Number(params.get('from')), to: Number(params.get('to')) } : null;

  const q = useQuery(trpc.policies.service.queryOptions({ service }, { refetchInterval: 10_000 }));
  const [step, setStep] = useState<Step | null>(null);
  const done = () => { setStep(null); void qc.invalidateQueries({ queryKey: trpc.policies.pathKey() }); };
  const mutations = {
    generate: useMutation(trpc.policies.generate.mutationOptions({ onSuccess: done })),
    approve: useMutation(trpc.policies.approve.mutationOptions({ onSuccess: done })),
    publish: useMutation(trpc.policies.publish.mutationOptions({ onSuccess: done })),
    discard: useMutation(trpc.policies.discard.mutationOptions({ onSuccess: done })),
    discardApproved: useMutation(trpc.policies.discardApproved.mutationOptions({ onSuccess: done })),
    rollback: useMutation(trpc.policies.rollback.mutationOptions({ onSuccess: done })),
  };

  const d = q.data;
  const open = d?.open ?? null;
  const live = d?.published?.revision ?? null;
  const editedByMe = open ? open.editors.includes(viewer.email) : false;
  const key = step === null ? null : typeof step === 'string' ? step : 'approve' in step ? 'approve' : 'rollback';
  const rollbackTo = step !== null && typeof step === 'object' && 'rollback' in step ? step.rollback : null;
  const preview = useQuery(trpc.policies.rollbackPreview.queryOptions({ service, revision: rollbackTo ?? 1 }, { enabled: rollbackTo !== null && viewer.canAdmin }));
  const active = key ? mutations[key] : null;
  // after every hook: an early return above one changes the hook order and crashes the page
  if (q.isError) return <div className="page"><div className="card"><ErrorState error={q.error} onRetry={() => q.refetch()} /></div></div>;

  const confirm = (reason: string) => {
    if (!step) return;
    if (step === 'generate') mutations.generate.mutate({ service, reason });
    else if (typeof step === 'object' && 'rollback' in step) mutations.rollback.mutate({ service, revision: step.rollback, reason });
    // the hash the approver saw when they opened the dialog: a later edit makes this a conflict
    else if (typeof step === 'object') { if (open) mutations.approve.mutate({ id: open.id, sha256: step.approve, reason }); }
    else if (open) mutations[step].mutate({ id: open.id, reason });
  };
  const words = stepWords(step, open?.revision ?? null, live, open?.diff ? open.diff.addedAllow.length + open.diff.removedAllow.length + open.diff.addedDeny.length + open.diff.removedDeny.length : 0, rollbackTo === null ? null : preview);

  return (
    <div className="page stack">
      <nav className="breadcrumb" aria-label="Breadcrumb"><Link href="/policies">Policies</Link><span aria-hidden="true"> / </span><span className="mono">{service}</span></nav>
      <div className="page-head">
        <div>
          <h1 className="policy-title mono">{service}</h1>
          <p className="row">
            {d ? (live ? <>Enforcing revision {live}, published <Time value={d.published!.publishedAt} relative /> by {d.published!.publishedBy}.</> : <>No policy published: this service accepts everything.</>) : '…'}
            {d ? <FleetCounts fleet={d.fleetCounts} /> : null}
          </p>
        </div>
        <div className="row">
          <Link className="btn" href={`/apis?service=${encodeURIComponent(service)}`}>Endpoints</Link>
          {viewer.canDraft && open?.state !== 'approved' ? (
            <button type="button" className="btn primary" onClick={() => setStep('generate')}>{open ? 'Refresh draft from approvals' : 'Generate draft'}</button>
          ) : null}
        </div>
      </div>

      {d && !open && !d.published && d.history.length === 0 ? (
        <div className="card"><Empty title="No policy yet">Generate a draft from this service&apos;s approved endpoints. Nothing is enforced until an admin other than its author approves it and it is published.</Empty></div>
      ) : null}

      {open ? (
        <section className="card open-revision" aria-labelledby="open-title">
          <div className="card-head">
            <h2 id="open-title">Revision {open.revision}</h2>
            <RevisionState state={open.state} />
            <span className="muted">
              {open.rollbackOf ? <>rollback to revision {open.rollbackOf} asked by</> : <>drafted by</>} {open.editors.join(', ')} · updated <Time value={open.updatedAt} relative />
              {open.approvedBy ? <> · approved by {open.approvedBy}</> : null}
              {' · '}<span className="mono" title={`SHA-256 of this revision's content: ${open.sha256}`} data-testid="open-sha">sha256 {open.sha256.slice(0, 12)}</span>
            </span>
            <span className="spacer" />
            {viewer.canAdmin && open.state === 'draft' ? (
              <button type="button" className="btn primary" disabled={editedByMe || !d?.approvalPossible}
                title={editedByMe ? 'You edited this revision: another person must approve it' : !d?.approvalPossible ? 'Only one enabled admin exists: nobody can approve yet' : undefined}
                onClick={() => setStep({ approve: open.sha256 })}>Approve</button>
            ) : null}
            {viewer.canAdmin && open.state === 'approved' ? <button type="button" className="btn primary" onClick={() => setStep('publish')}>Publish to the fleet</button> : null}
            {open.state === 'draft' && viewer.canDraft ? <button type="button" className="btn" onClick={() => setStep('discard')}>Discard</button> : null}
            {open.state === 'approved' && viewer.canAdmin ? <button type="button" className="btn" onClick={() => setStep('discardApproved')}>Discard</button> : null}
          </div>
          {viewer.canAdmin && open.state === 'draft' && editedByMe ? (
            <div className="alert info two-person" role="note">You drafted or edited this revision, so another admin must approve it (two-person rule).</div>
          ) : null}
          {!viewer.canAdmin && open.state === 'draft' ? <div className="alert info two-person" role="note">An admin who did not edit it approves this revision, then publishes it.</div> : null}
          {viewer.canAdmin && open.state === 'draft' && !editedByMe && d && !d.approvalPossible ? (
            <div className="alert warn two-person" role="note">Only one enabled admin exists, so nobody can approve this revision yet (two-person rule). Add a second admin on the Users page.</div>
          ) : null}
          <div className="tabs" role="tablist" aria-label="Revision">
            {TABS.map((t) => (
              <button key={t} type="button" role="tab" aria-selected={tab === t} className={tab === t ? 'active' : ''} onClick={() => set({ tab: t === 'changes' ? null : t })}>
                {t === 'changes' ? `What changes (${open.diff.addedAllow.length + open.diff.removedAllow.length + open.diff.addedDeny.length + open.diff.removedDeny.length})` : t === 'shadow' ? 'Shadow impact' : `Rules (${open.allow})`}
              </button>
            ))}
          </div>
          <div role="tabpanel">
            {tab === 'changes' ? <DiffView diff={open.diff} againstLabel={live ? `revision ${live} (live)` : 'no policy (everything allowed today)'} /> : null}
            {tab === 'shadow' ? <ShadowPanel revisionId={open.id} hours={hours} onHours={(h) => set({ hours: h === 24 ? null : String(h) })} service={service} canDeny={viewer.canDraft && open.state === 'draft'} /> : null}
            {tab === 'rules' ? <RulesEditor revisionId={open.id} document={open.document} editable={viewer.canDraft && open.state === 'draft'} /> : null}
          </div>
        </section>
      ) : null}

      {d && d.history.length ? (
        <History service={service} history={d.history} liveRevision={live} canAdmin={viewer.canAdmin}
          onRollback={(revision) => setStep({ rollback: revision })}
          diffPair={diffPair} onDiffPair={(p) => set(p ? { from: String(p.from), to: String(p.to) } : { from: null, to: null })} />
      ) : null}
      {d ? <FleetPanel fleet={d.fleet} live={live} /> : null}

      <ConfirmWithReason
        open={step !== null}
        title={words.title}
        description={words.body}
        confirmLabel={words.confirm}
        danger={step === 'discard' || step === 'discardApproved' || rollbackTo !== null}
        pending={active?.isPending}
        error={active?.error?.message ?? null}
        onCancel={() => { setStep(null); active?.reset(); }}
        onConfirm={confirm}
      />
    </div>
  );
}

type Preview = { isPending: boolean; isError: boolean; error: { message: string } | null; data?: { needsApproval: boolean; addedAllow: unknown[]; liftedDeny: unknown[] } };

function stepWords(step: Step | null, open: number | null, live: number | null, changes: number, preview: Preview | null) {
  if (step === 'generate') return { title: 'Generate the draft', confirm: 'Generate draft', body: <p>The draft whitelist is made from the approved endpoints of this service and the callers seen using them. The deny list is kept.</p> };
  if (step && typeof step === 'object' && 'approve' in step) {
    return {
      title: `Approve revision ${open}`, confirm: 'Approve',
      body: (
        <>
          <p style={{ marginTop: 0 }}>You confirm that its {changes} change{changes === 1 ? '' : 's'} and its shadow impact are intended. An admin then publishes it.</p>
          <p>You approve exactly the content you reviewed; if anyone edits it before you confirm, the approval is refused.</p>
          <div className="field"><span className="muted small">SHA-256 of the reviewed content</span><code className="secret" data-testid="approve-sha">{step.approve}</code></div>
        </>
      ),
    };
  }
  if (step === 'publish') return { title: `Publish revision ${open}`, confirm: 'Publish', body: <p>Every proxy of this service downloads it within seconds and denies what it does not allow{live ? `, replacing revision ${live}` : ''}.</p> };
  if (step === 'discard' || step === 'discardApproved') return { title: `Discard revision ${open}`, confirm: 'Discard', body: <p>The revision is kept in the history as discarded and is never published.</p> };
  if (step && typeof step === 'object') {
    const p = preview?.data;
    const widens = p ? [
      p.addedAllow.length ? `allow ${p.addedAllow.length} rule${p.addedAllow.length === 1 ? '' : 's'} the live revision lacks` : null,
      p.liftedDeny.length ? `lift ${p.liftedDeny.length} deny entr${p.liftedDeny.length === 1 ? 'y' : 'ies'} in force now` : null,
    ].filter(Boolean).join(' and ') : '';
    return {
      title: `Roll back to revision ${step.rollback}`, confirm: p?.needsApproval ? 'Ask for approval' : 'Roll back',
      body: (
        <>
          {preview?.isPending ? <p role="status">Checking what the rollback would let through…</p> : null}
          {preview?.isError ? <div className="alert error" role="alert">{preview.error?.message}</div> : null}
          {p && !p.needsApproval ? <p data-testid="rollback-words">Revision {step.rollback} only narrows what the live policy allows, so it is published again at once as a new revision and the fleet follows within seconds{open ? `; the open revision ${open} is discarded` : ''}.</p> : null}
          {p?.needsApproval ? (
            <div className="alert warn" data-testid="rollback-words"><div>Revision {step.rollback} would let through what the live policy stops: it would {widens}. Like any widening it needs a second admin: it becomes a draft that another admin approves and then publishes{open ? `; the open revision ${open} is discarded` : ''}.</div></div>
          ) : null}
        </>
      ),
    };
  }
  return { title: '', confirm: '', body: null };
}
