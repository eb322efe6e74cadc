'use client';

import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useRouter } from 'next/navigation';
import { useState } from 'react';
import { useTRPC } from '@/components/trpc';
import { Dialog } from '@/components/ui/dialog';
import { localStamp } from '@/components/ui/time';
import type { DenyEntry } from '@/server/policy/model';
import { dateInputBounds, DEFAULT_EXPIRY, EXPIRY_CHOICES, expiryFrom, type ExpiryChoice } from './deny-expiry';
import { policyHref } from './links';

export type DenyKind = DenyEntry['kind'];
export interface DenyTarget {
  kind: DenyKind;
  value: string;
  /** the services the entry may go to (the first is preselected); a policy is per service */
  services: string[];
}

export const KIND_LABEL: Record<DenyKind, string> = { token: 'token', user: 'user', ip: 'client address' };

/**
 * "Deny this actor" from the traffic views: an expiring deny entry, with a reason, into the
 * chosen service's policy draft (a new draft copied from the published policy if none is open).
 * Nothing reaches the mesh until an admin who did not write it approves the draft and it is
 * published. On success the analyst lands on the draft's rules, where the entry is listed.
 */
export function DenyActorDialog({ target, onClose }: { target: DenyTarget | null; onClose: () => void }) {
  const trpc = useTRPC();
  const qc = useQueryClient();
  const router = useRouter();
  const [service, setService] = useState('');
  const [expiry, setExpiry] = useState<ExpiryChoice>(DEFAULT_EXPIRY);
  const [date, setDate] = useState('');
  const [reason, setReason] = useState('');
  const [tried, setTried] = useState(false);
  const m = useMutation(trpc.policies.denyActor.mutationOptions({
    onSuccess: (r) => {
      void qc.invalidateQueries({ queryKey: trpc.policies.pathKey() });
      router.push(policyHref(r.policy.service, 'tab=rules'));
    },
  }));
  const close = () => { setService(''); setExpiry(DEFAULT_EXPIRY); setDate(''); setReason(''); setTried(false); m.reset(); onClose(); };

  const chosen = service || target?.services[0] || '';
  const until = expiryFrom(expiry, date, new Date());
  const reasonError = reason.trim().length >= 3 ? null : reason.trim() ? 'At least 3 characters' : 'Say why: it is recorded in the audit log and the policy';
  const serviceError = chosen ? null : 'This actor reached no service a policy can be written for';
  const submit = () => {
    setTried(true);
    if (!target || reasonError || serviceError || 'error' in until || m.isPending || m.isSuccess) return;
    m.mutate({ service: chosen, actor: { kind: target.kind, value: target.value }, reason: reason.trim(), expiresAt: until.at });
  };
  const bounds = dateInputBounds(new Date());

  return (
    <Dialog open={target !== null} title="Deny this actor" onClose={close} onSubmit={submit}
      footer={(
        <>
          <button type="button" className="btn" onClick={close}>Cancel</button>
          <button type="submit" className="btn danger solid" disabled={m.isPending || m.isSuccess}>{m.isPending || m.isSuccess ? 'Working…' : 'Add to the draft'}</button>
        </>
      )}>
      {target ? (
        <>
          <dl className="kv">
            <dt>Actor</dt>
            <dd><span className="mono deny-value" data-testid="deny-actor-value">{target.value}</span> <span className="muted">({KIND_LABEL[target.kind]})</span></dd>
            <dt>Deny entry</dt>
            <dd className="mono deny-value">{target.kind} {target.value}</dd>
          </dl>
          <p className="muted">
            The entry goes into the service&apos;s policy draft (a new one copied from the published policy if none is open).
            Nothing changes on the mesh until an admin who did not write it approves the draft and it is published.
          </p>
          <div className="field">
            <label htmlFor="deny-actor-service">Service</label>
            {target.services.length > 1 ? (
              <select id="deny-actor-service" className="select mono" value={chosen} onChange={(e) => setService(e.target.value)}>
                {target.services.map((s) => <option key={s} value={s}>{s}</option>)}
              </select>
            ) : (
              <input id="deny-actor-service" className="input mono" value={chosen} readOnly aria-invalid={serviceError ? true : undefined}
                aria-describedby={serviceError ? 'deny-actor-service-error' : undefined} />
            )}
            {serviceError ? <span className="hint danger-text" id="deny-actor-service-error">{serviceError}</span> : null}
          </div>
          <div className="field">
            <label htmlFor="deny-actor-expiry">Expires after</label>
            <select id="deny-actor-expiry" className="select" value={expiry} onChange={(e) => setExpiry(e.target.value as ExpiryChoice)}>
              {EXPIRY_CHOICES.map((x) => <option key={x.value} value={x.value}>{x.label}</option>)}
            </select>
            {expiry !== 'date' && 'at' in until ? <span className="hint">until about {localStamp(until.at)}</span> : null}
          </div>
          {expiry === 'date' ? (
            <div className="field">
              <label htmlFor="deny-actor-date">Expires at (your time zone)</label>
              <input id="deny-actor-date" className="input" type="datetime-local" value={date} min={bounds.min} max={bounds.max} aria-required="true"
                onChange={(e) => setDate(e.target.value)} aria-invalid={tried && 'error' in until ? true : undefined}
                aria-describedby="deny-actor-date-hint" />
              <span className={`hint${tried && 'error' in until ? ' danger-text' : ''}`} id="deny-actor-date-hint">
                {'error' in until ? (tried ? until.error : 'At most 90 days from now') : `until ${localStamp(until.at)}`}
              </span>
            </div>
          ) : null}
          <div className="field">
            <label htmlFor="deny-actor-reason">Reason (recorded in the audit log and the policy)</label>
            <textarea id="deny-actor-reason" className="input" rows={3} value={reason} onChange={(e) => setReason(e.target.value)}
              aria-required="true" maxLength={500} autoFocus aria-invalid={tried && reasonError ? true : undefined}
              aria-describedby={tried && reasonError ? 'deny-actor-reason-error' : undefined} />
            {tried && reasonError ? <span className="hint danger-text" id="deny-actor-reason-error">{reasonError}</span> : null}
          </div>
        </>
      ) : null}
      {m.isError ? <div className="alert error" role="alert">{m.error.message}</div> : null}
    </Dialog>
  );
}
