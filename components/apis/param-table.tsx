'use client';

import { useMutation } from '@tanstack/react-query';
import { Fragment, useState } from 'react';
import { useTRPC } from '@/components/trpc';
import type { ParamEvidence } from '@/lib/segment-evidence';
import { useInventoryRefresh } from './review-dialogs';
import { ParamEvidenceLine } from './segment-evidence';

interface Param {
  name: string;
  type: string;
  examples: string[];
}

/**
 * The path parameters, each renamable in place by analysts (Enter saves, Escape cancels), with
 * the learner's evidence for it under it (`evidence`, by parameter; `why` when none was kept).
 */
export function ParamTable({ endpointId, params, canReview, onSplit, evidence = [], why }: {
  endpointId: string;
  params: Param[];
  canReview: boolean;
  onSplit: (param: string) => void;
  evidence?: (ParamEvidence | undefined)[];
  why?: string;
}) {
  const [editing, setEditing] = useState<string | null>(null);
  const [value, setValue] = useState('');
  const trpc = useTRPC();
  const refresh = useInventoryRefresh();
  const m = useMutation(trpc.apis.renameParam.mutationOptions({ onSuccess: () => { refresh(); setEditing(null); } }));
  if (params.length === 0) return <div className="card-body muted">No path parameters: every segment is literal.</div>;
  return (
    <div className="table-wrap">
      <table className="table">
        <thead>
          <tr><th>Name</th><th>Type</th><th>Examples (redacted)</th>{canReview ? <th className="actions"><span className="visually-hidden">Actions</span></th> : null}</tr>
        </thead>
        <tbody>
          {params.map((p, i) => (
            <Fragment key={p.name}>
              <tr data-testid="param-row" className={evidence[i] || why ? 'has-evidence' : undefined}>
                <td className="mono">
                  {editing === p.name ? (
                    <form className="row" style={{ flexWrap: 'nowrap' }} onSubmit={(e) => { e.preventDefault(); m.mutate({ id: endpointId, from: p.name, to: value.trim() }); }}>
                      <label className="visually-hidden" htmlFor={`rename-${p.name}`}>New name for {p.name}</label>
                      <input id={`rename-${p.name}`} className="input mono" value={value} autoFocus style={{ width: 160 }}
                        onChange={(e) => setValue(e.target.value)} onKeyDown={(e) => { if (e.key === 'Escape') { setEditing(null); m.reset(); } }} />
                      <button type="submit" className="btn small primary" disabled={m.isPending || !value.trim()}>Save</button>
                      <button type="button" className="btn small" onClick={() => { setEditing(null); m.reset(); }}>Cancel</button>
                    </form>
                  ) : `{${p.name}}`}
                  {editing === p.name && m.error ? <div className="field-error" role="alert">{m.error.message}</div> : null}
                </td>
                <td className="mono">{p.type}</td>
                <td className="mono examples">{p.examples.length ? p.examples.map((x) => <span key={x} title={x}>{x.length > 14 ? `${x.slice(0, 10)}…` : x}</span>) : <span className="faint">—</span>}</td>
                {canReview ? (
                  <td className="actions">
                    <div className="row">
                      <button type="button" className="btn small" onClick={() => { setEditing(p.name); setValue(p.name); m.reset(); }} disabled={editing === p.name}>Rename</button>
                      <button type="button" className="btn small" onClick={() => onSplit(p.name)} title="Make one value of this parameter an endpoint of its own">Split…</button>
                    </div>
                  </td>
                ) : null}
              </tr>
              {evidence[i] || why ? (
                <tr className="evidence-row">
                  <td colSpan={canReview ? 4 : 3}>{evidence[i] ? <ParamEvidenceLine evidence={evidence[i]} /> : <span className="muted small">{why}</span>}</td>
                </tr>
              ) : null}
            </Fragment>
          ))}
        </tbody>
      </table>
    </div>
  );
}
