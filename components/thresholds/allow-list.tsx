'use client';

import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { useTRPC } from '@/components/trpc';
import { ConfirmWithReason } from '@/components/ui/confirm-with-reason';
import { Empty, ErrorState, LoadingRows } from '@/components/ui/states';
import { Time } from '@/components/ui/time';

const TYPES = [
  { value: 'cidr', label: 'Address block (CIDR)', placeholder: '66.249.64.0/19' },
  { value: 'ip', label: 'Address', placeholder: '198.51.100.4' },
  { value: 'token', label: 'Token id', placeholder: 'the hashed token id proxies report' },
  { value: 'user', label: 'User', placeholder: 'JWT subject' },
  { value: 'service', label: 'Calling service', placeholder: 'monitoring/prober' },
  { value: 'user_agent', label: 'User agent contains', placeholder: 'UptimeRobot/' },
] as const;
type AllowType = (typeof TYPES)[number]['value'];
const labelOf = (t: string) => TYPES.find((x) => x.value === t)?.label ?? t;

/** Known good clients, never scored. Admins add and remove them; everyone sees them. */
export function AllowList({ canEdit }: { canEdit: boolean }) {
  const trpc = useTRPC();
  const qc = useQueryClient();
  const q = useQuery(trpc.thresholds.allowList.queryOptions());
  const refresh = () => qc.invalidateQueries({ queryKey: trpc.thresholds.allowList.queryKey() });
  const [type, setType] = useState<AllowType>('cidr');
  const [value, setValue] = useState('');
  const [note, setNote] = useState('');
  const [confirm, setConfirm] = useState<'add' | { remove: { id: string; value: string } } | null>(null);
  const add = useMutation(trpc.thresholds.addAllow.mutationOptions({ onSuccess: () => { setConfirm(null); setValue(''); setNote(''); void refresh(); } }));
  const remove = useMutation(trpc.thresholds.removeAllow.mutationOptions({ onSuccess: () => { setConfirm(null); void refresh(); } }));
  const ready = value.trim().length > 0 && note.trim().length >= 3;
  return (
    <section className="card" aria-labelledby="allow-title">
      <div className="card-head"><h2 id="allow-title">Allow-list</h2><span className="muted">known good clients are never scored</span></div>
      <div className="card-body small muted allow-note">
        Search-engine crawlers prove who they are by reverse DNS (the address resolves to a name under <span className="mono">googlebot.com</span> or{' '}
        <span className="mono">search.msn.com</span>, which resolves back to the address) and publish their ranges: add those ranges as blocks. A user agent is whatever
        the client sends, so a user-agent entry trusts anyone who copies it; use it only for clients you cannot name otherwise.
      </div>
      {q.isError ? <ErrorState error={q.error} onRetry={() => q.refetch()} /> : (
        <div className="table-wrap">
          <table className="table compact-table">
            <thead><tr><th>Type</th><th>Value</th><th>Who it is</th><th>Added</th>{canEdit ? <th className="actions"><span className="visually-hidden">Actions</span></th> : null}</tr></thead>
            <tbody>
              {q.isPending ? <LoadingRows columns={canEdit ? 5 : 4} rows={2} /> : q.data.map((e) => (
                <tr key={e.id} data-testid="allow-row">
                  <td className="nowrap muted">{labelOf(e.type)}{e.type === 'user_agent' ? <span className="badge warn" title="A user agent can be copied by anyone" style={{ marginLeft: 6 }}>spoofable</span> : null}</td>
                  <td className="mono">{e.value}</td>
                  <td>{e.note}</td>
                  <td className="who-cell"><div>{e.createdBy}</div><div className="faint"><Time value={e.createdAt} relative /></div></td>
                  {canEdit ? <td className="actions"><button type="button" className="btn small danger" onClick={() => setConfirm({ remove: { id: e.id, value: e.value } })}>Remove</button></td> : null}
                </tr>
              ))}
            </tbody>
          </table>
          {q.data?.length === 0 ? <Empty title="Nothing on the allow-list">Every client is scored.{canEdit ? ' Add monitors, partners and verified crawlers below.' : ''}</Empty> : null}
        </div>
      )}
      {canEdit ? (
        <form className="filters add-form" onSubmit={(e) => { e.preventDefault(); if (ready) setConfirm('add'); }}>
          <div className="field">
            <label htmlFor="allow-type">Type</label>
            <select id="allow-type" className="select" value={type} onChange={(e) => setType(e.target.value as AllowType)} style={{ width: 190 }}>
              {TYPES.map((t) => <option key={t.value} value={t.value}>{t.label}</option>)}
            </select>
          </div>
          <div className="field">
            <label htmlFor="allow-value">Value</label>
            <input id="allow-value" className="input" value={value} placeholder={TYPES.find((t) => t.value === type)?.placeholder} onChange={(e) => setValue(e.target.value)} style={{ width: 220 }} />
          </div>
          <div className="field">
            <label htmlFor="allow-note">Who it is</label>
            <input id="allow-note" className="input" value={note} placeholder="Googlebot, published ranges" onChange={(e) => setNote(e.target.value)} style={{ width: 240 }} />
          </div>
          <button type="submit" className="btn" disabled={!ready}>Add…</button>
        </form>
      ) : null}
      <ConfirmWithReason
        open={confirm !== null}
        title={confirm === 'add' ? 'Add to the allow-list' : 'Remove from the allow-list'}
        description={confirm === 'add'
          ? <p>{labelOf(type)} <span className="mono">{value}</span> ({note}) will never be scored, on any service.</p>
          : <p><span className="mono">{typeof confirm === 'object' && confirm ? confirm.remove.value : ''}</span> will be scored again from now on.</p>}
        confirmLabel={confirm === 'add' ? 'Add' : 'Remove'}
        danger={confirm !== 'add'}
        pending={add.isPending || remove.isPending}
        error={(confirm === 'add' ? add.error?.message : remove.error?.message) ?? null}
        onCancel={() => { add.reset(); remove.reset(); setConfirm(null); }}
        onConfirm={(reason) => {
          if (confirm === 'add') add.mutate({ type, value: value.trim(), note: note.trim(), reason });
          else if (confirm) remove.mutate({ id: confirm.remove.id, reason });
        }}
      />
    </section>
  );
}
