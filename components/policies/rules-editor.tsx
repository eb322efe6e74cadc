'use client';

import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useMemo, useState } from 'react';
import { TemplateText } from '@/components/apis/state-badge';
import { useTRPC } from '@/components/trpc';
import { ConfirmWithReason } from '@/components/ui/confirm-with-reason';
import type { AllowRule, DenyEntry, PolicyDocument } from '@/server/policy/model';

type Change = { removeAllow?: AllowRule[]; addAllow?: AllowRule[]; addDeny?: DenyEntry[]; removeDeny?: DenyEntry[]; what: string };

/** The revision's whitelist and deny list; in a draft, analysts add and remove entries (each change audited with a reason). */
export function RulesEditor({ revisionId, document, editable }: { revisionId: string; document: PolicyDocument; editable: boolean }) {
  const trpc = useTRPC();
  const qc = useQueryClient();
  const [pending, setPending] = useState<Change | null>(null);
  const [filter, setFilter] = useState('');
  const m = useMutation(trpc.policies.edit.mutationOptions({
    onSuccess: () => { setPending(null); void qc.invalidateQueries({ queryKey: trpc.policies.pathKey() }); },
  }));
  const groups = useMemo(() => {
    const f = filter.trim().toLowerCase();
    const by = new Map<string, { method: string; template: string; rules: AllowRule[] }>();
    for (const r of document.allow) {
      if (f && !`${r.method} ${r.template} ${r.caller}`.toLowerCase().includes(f)) continue;
      const k = `${r.method} ${r.template}`;
      const g = by.get(k) ?? { method: r.method, template: r.template, rules: [] };
      g.rules.push(r);
      by.set(k, g);
    }
    return [...by.values()];
  }, [document.allow, filter]);

  return (
    <div>
      <div className="card-head sub-head">
        <h2>Whitelist</h2>
        <span className="muted">{document.allow.length} rules · everything else is denied</span>
        <label className="visually-hidden" htmlFor="rule-filter">Filter rules</label>
        <input id="rule-filter" className="input" placeholder="Filter rules…" value={filter} onChange={(e) => setFilter(e.target.value)} style={{ width: 200 }} />
      </div>
      <div className="table-wrap">
        <table className="table">
          <thead><tr><th>Endpoint</th><th>Allowed callers</th></tr></thead>
          <tbody>
            {groups.map((g) => (
              <tr key={`${g.method} ${g.template}`} data-testid="policy-rule">
                <td><span className="method">{g.method}</span> <TemplateText template={g.template} /></td>
                <td>
                  <span className="caller-chips">
                    {g.rules.map((r) => (
                      <span key={r.caller} className="caller-chip mono">
                        {r.caller}
                        {editable ? (
                          <button type="button" className="chip-remove" aria-label={`Stop allowing ${r.caller} to call ${g.method} ${g.template}`}
                            onClick={() => setPending({ removeAllow: [r], what: `Stop allowing ${r.caller} to call ${g.method} ${g.template}` })}>×</button>
                        ) : null}
                      </span>
                    ))}
                  </span>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
        {groups.length === 0 ? <div className="card-body muted">{filter ? 'No rule matches this filter.' : 'No rules: this policy denies every request.'}</div> : null}
      </div>
      {editable ? <AddRule onAdd={(r) => setPending({ addAllow: [r], what: `Allow ${r.caller} to call ${r.method} ${r.template}` })} /> : null}

      <div className="card-head sub-head">
        <h2>Denied actors</h2>
        <span className="muted">refused even on the whitelist</span>
      </div>
      <div className="table-wrap">
        <table className="table">
          <thead><tr><th>Actor</th><th>Reason</th><th>Expires</th>{editable ? <th className="actions"><span className="visually-hidden">Actions</span></th> : null}</tr></thead>
          <tbody>
            {document.deny.map((d) => (
              <tr key={`${d.kind}:${d.value}`} data-testid="policy-deny">
                <td className="mono">{d.kind}: {d.value}</td>
                <td>{d.reason}</td>
                <td>{d.expiresAt ? new Date(d.expiresAt).toLocaleString() : 'never'}</td>
                {editable ? <td className="actions"><button type="button" className="btn small" onClick={() => setPending({ removeDeny: [d], what: `Stop denying ${d.kind} ${d.value}` })}>Remove</button></td> : null}
              </tr>
            ))}
          </tbody>
        </table>
        {document.deny.length === 0 ? <div className="card-body muted">Nobody is denied.</div> : null}
      </div>
      {editable ? <AddDeny onAdd={(d) => setPending({ addDeny: [d], what: `Deny ${d.kind} ${d.value}` })} /> : null}

      <ConfirmWithReason
        open={pending !== null}
        title="Change the draft"
        description={<p>{pending?.what}.</p>}
        confirmLabel="Change draft"
        pending={m.isPending}
        error={m.error?.message ?? null}
        onCancel={() => { setPending(null); m.reset(); }}
        onConfirm={(reason) => pending && m.mutate({
          id: revisionId, addAllow: pending.addAllow ?? [], removeAllow: pending.removeAllow ?? [], addDeny: pending.addDeny ?? [], removeDeny: pending.removeDeny ?? [], reason,
        })}
      />
    </div>
  );
}

function AddRule({ onAdd }: { onAdd: (r: AllowRule) => void }) {
  const [caller, setCaller] = useState('');
  const [method, setMethod] = useState('GET');
  const [template, setTemplate] = useState('');
  const valid = caller.trim() && template.trim().startsWith('/');
  return (
    <form className="filters add-form" aria-label="Add a rule" onSubmit={(e) => { e.preventDefault(); if (valid) onAdd({ caller: caller.trim(), method, template: template.trim(), endpointId: null }); }}>
      <div className="field"><label htmlFor="add-caller">Caller</label><input id="add-caller" className="input mono" value={caller} onChange={(e) => setCaller(e.target.value)} placeholder="shop/web or external" /></div>
      <div className="field"><label htmlFor="add-method">Method</label>
        <select id="add-method" className="select" value={method} onChange={(e) => setMethod(e.target.value)}>
          {['GET', 'POST', 'PUT', 'PATCH', 'DELETE', 'HEAD', 'OPTIONS'].map((m) => <option key={m}>{m}</option>)}
        </select>
      </div>
      <div className="field"><label htmlFor="add-template">Path template</label><input id="add-template" className="input mono" value={template} onChange={(e) => setTemplate(e.target.value)} placeholder="/api/users/{user_id}" style={{ width: 260 }} /></div>
      <button type="submit" className="btn" disabled={!valid}>Add rule</button>
    </form>
  );
}

function AddDeny({ onAdd }: { onAdd: (d: DenyEntry) => void }) {
  const [kind, setKind] = useState<DenyEntry['kind']>('ip');
  const [value, setValue] = useState('');
  const [reason, setReason] = useState('');
  const [expires, setExpires] = useState('');
  const valid = value.trim() && reason.trim().length >= 3;
  return (
    <form className="filters add-form" aria-label="Deny an actor" onSubmit={(e) => {
      e.preventDefault();
      if (valid) onAdd({ kind, value: value.trim(), reason: reason.trim(), expiresAt: expires ? new Date(expires).toISOString() : null });
    }}>
      <div className="field"><label htmlFor="deny-kind">Actor</label>
        <select id="deny-kind" className="select" value={kind} onChange={(e) => setKind(e.target.value as DenyEntry['kind'])}>
          <option value="ip">IP or CIDR</option><option value="token">token id</option><option value="user">user</option>
        </select>
      </div>
      <div className="field"><label htmlFor="deny-value">Value</label><input id="deny-value" className="input mono" value={value} onChange={(e) => setValue(e.target.value)} placeholder={kind === 'ip' ? '203.0.113.0/24' : kind === 'token' ? 'tok_…' : 'subject'} /></div>
      <div className="field"><label htmlFor="deny-reason">Why</label><input id="deny-reason" className="input" value={reason} onChange={(e) => setReason(e.target.value)} placeholder="credential stuffing" style={{ width: 200 }} /></div>
      <div className="field"><label htmlFor="deny-expires">Expires (optional)</label><input id="deny-expires" className="input" type="datetime-local" value={expires} onChange={(e) => setExpires(e.target.value)} /></div>
      <button type="submit" className="btn" disabled={!valid}>Deny actor</button>
    </form>
  );
}
