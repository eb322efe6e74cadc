'use client';

import { useMutation } from '@tanstack/react-query';
import { useState } from 'react';
import { useTRPC } from '@/components/trpc';
import { Dialog } from '@/components/ui/dialog';
import { EXPIRIES, expiryAt } from './expiry';
import { useDetectionsRefresh } from './triage-actions';
import type { DetectionView } from './types';
import { ACTOR_LABEL, kindLabel } from './words';

type Scope = 'detection' | 'actor' | 'rule';

/**
 * Marks a false positive, and says how far the feedback goes: this incident only, this actor
 * for this kind on this service, or this kind on this service (both until they expire).
 */
export function FalsePositiveDialog({ open, d, onClose }: { open: boolean; d: DetectionView; onClose: () => void }) {
  const trpc = useTRPC();
  const refresh = useDetectionsRefresh();
  const [scope, setScope] = useState<Scope>('detection');
  const [actor, setActor] = useState(0);
  const [expiry, setExpiry] = useState<number>(EXPIRIES[3].ms);
  const [reason, setReason] = useState('');
  const m = useMutation(trpc.detections.falsePositive.mutationOptions({ onSuccess: () => { void refresh(); close(); } }));
  const close = () => { setReason(''); setScope('detection'); m.reset(); onClose(); };
  const where = `${kindLabel(d.kind)} on ${d.service ?? 'detections without a service'}`;
  const valid = reason.trim().length >= 3 && (scope !== 'actor' || d.topActors[actor]);
  return (
    <Dialog open={open} title="Mark as false positive" onClose={close}
      onSubmit={() => valid && m.mutate({
        id: d.id, scope, reason: reason.trim(),
        ...(scope === 'actor' ? { actor: d.topActors[actor] } : {}),
        ...(scope !== 'detection' ? { expiresAt: expiryAt(expiry) } : {}),
      })}
      footer={<>
        <button type="button" className="btn" onClick={close}>Cancel</button>
        <button type="submit" className="btn primary" disabled={!valid || m.isPending}>{m.isPending ? 'Working…' : 'Mark false positive'}</button>
      </>}>
      <fieldset className="radio-group">
        <legend>What should Meshward learn from it?</legend>
        <label className="check"><input type="radio" name="fp-scope" checked={scope === 'detection'} onChange={() => setScope('detection')} /> Only this incident was wrong</label>
        <label className="check"><input type="radio" name="fp-scope" checked={scope === 'actor'} onChange={() => setScope('actor')} disabled={!d.topActors.length} /> Stop raising one actor for {where}</label>
        <label className="check"><input type="radio" name="fp-scope" checked={scope === 'rule'} onChange={() => setScope('rule')} /> Stop raising {where} for everyone</label>
      </fieldset>
      {scope === 'actor' ? (
        <div className="field">
          <label htmlFor="fp-actor">Actor</label>
          <select id="fp-actor" className="select" value={actor} onChange={(e) => setActor(Number(e.target.value))}>
            {d.topActors.map((a, i) => <option key={`${a.type}:${a.id}`} value={i}>{ACTOR_LABEL[a.type]} {a.id}</option>)}
          </select>
          <span className="hint">A client that is always good (a monitor, a partner) belongs on the allow-list instead: ask an admin.</span>
        </div>
      ) : null}
      {scope !== 'detection' ? (
        <div className="field">
          <label htmlFor="fp-expiry">Suppress for</label>
          <select id="fp-expiry" className="select" value={expiry} onChange={(e) => setExpiry(Number(e.target.value))}>
            {EXPIRIES.map((x) => <option key={x.ms} value={x.ms}>{x.label}</option>)}
          </select>
        </div>
      ) : null}
      <div className="field">
        <label htmlFor="fp-reason">Reason (recorded in the audit log)</label>
        <textarea id="fp-reason" className="input" rows={3} value={reason} onChange={(e) => setReason(e.target.value)} required minLength={3} />
      </div>
      {m.isError ? <div className="alert error" role="alert">{m.error.message}</div> : null}
    </Dialog>
  );
}
