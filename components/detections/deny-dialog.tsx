'use client';

import { useMutation } from '@tanstack/react-query';
import Link from 'next/link';
import { useState } from 'react';
import { policyHref } from '@/components/policies/links';
import { useTRPC } from '@/components/trpc';
import { Dialog } from '@/components/ui/dialog';
import { localStamp } from '@/components/ui/time';
import type { ActorType } from '@/lib/enums';
import { EXPIRIES, expiryAt } from './expiry';
import { useDetectionsRefresh } from './triage-actions';
import { ACTOR_LABEL } from './words';

/** What a deny entry for this actor looks like in the policy (a calling service cannot have one). */
export function denyPreview(type: ActorType, id: string): string | null {
  if (type === 'service') return null;
  return `${type === 'ip_group' ? 'ip' : type} ${id}`;
}

/**
 * "Deny this actor": an expiring deny entry, with a reason, into the service's policy draft.
 * It does not reach the fleet until another admin approves the draft and it is published.
 */
export function DenyDialog({ detectionId, service, actor, onClose }: {
  detectionId: string;
  service: string | null;
  actor: { type: ActorType; id: string } | null;
  onClose: () => void;
}) {
  const trpc = useTRPC();
  const refresh = useDetectionsRefresh();
  const [expiry, setExpiry] = useState<number>(EXPIRIES[1].ms);
  const [reason, setReason] = useState('');
  const m = useMutation(trpc.detections.mitigate.mutationOptions({ onSuccess: () => void refresh() }));
  const close = () => { setReason(''); m.reset(); onClose(); };
  const done = m.data;
  const valid = reason.trim().length >= 3;
  return (
    <Dialog open={actor !== null} title="Deny this actor" onClose={close}
      onSubmit={() => actor && valid && !done && m.mutate({ id: detectionId, actor, expiresAt: expiryAt(expiry), reason: reason.trim() })}
      footer={done ? (
        <>
          <button type="button" className="btn" onClick={close}>Close</button>
          <Link className="btn primary" href={policyHref(done.policy.service)}>Open the draft</Link>
        </>
      ) : (
        <>
          <button type="button" className="btn" onClick={close}>Cancel</button>
          <button type="submit" className="btn danger solid" disabled={!valid || m.isPending}>{m.isPending ? 'Working…' : 'Add to the draft'}</button>
        </>
      )}>
      {actor ? (
        done ? (
          <div className="alert ok" role="status" data-testid="deny-done">
            <span>
              Added <span className="mono">{denyPreview(actor.type, actor.id)}</span> to {done.created ? 'a new draft' : 'the open draft'}, revision {done.policy.revision} of{' '}
              <span className="mono">{done.policy.service}</span>. Another admin must approve it before it is published to the fleet.
            </span>
          </div>
        ) : (
          <>
            <dl className="kv">
              <dt>Actor</dt><dd><span className="mono">{actor.id}</span> <span className="muted">({ACTOR_LABEL[actor.type]})</span></dd>
              <dt>Service</dt><dd className="mono">{service ?? '—'}</dd>
              <dt>Deny entry</dt><dd className="mono">{denyPreview(actor.type, actor.id) ?? '—'}</dd>
            </dl>
            <p className="muted">The entry goes into the service&apos;s policy draft (a new one copied from the published policy if none is open). Nothing changes on the mesh until another admin approves the draft and it is published.</p>
            <div className="field">
              <label htmlFor="deny-expiry">Expires after</label>
              <select id="deny-expiry" className="select" value={expiry} onChange={(e) => setExpiry(Number(e.target.value))}>
                {EXPIRIES.map((x) => <option key={x.ms} value={x.ms}>{x.label}</option>)}
              </select>
              <span className="hint">until about {localStamp(expiryAt(expiry))}</span>
            </div>
            <div className="field">
              <label htmlFor="deny-reason">Reason (recorded in the audit log and the policy)</label>
              <textarea id="deny-reason" className="input" rows={3} value={reason} onChange={(e) => setReason(e.target.value)} required minLength={3} autoFocus />
            </div>
          </>
        )
      ) : null}
      {m.isError ? <div className="alert error" role="alert">{m.error.message}</div> : null}
    </Dialog>
  );
}
