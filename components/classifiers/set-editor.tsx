'use client';

import { useState } from 'react';
import { splitList, type ClassifierSet, type CurrentSet, type CustomClass, type Rule } from './types';

const ACTION_WORDS: Record<Rule['action'], string> = { report: 'report', redact: 'redact', block: 'block' };

/** Built-in classes on and off, custom classes, actions and the body limit: a draft set, edited in place. */
export function SetEditor({ draft, onChange, builtins, canEdit }: {
  draft: ClassifierSet;
  onChange: (next: ClassifierSet) => void;
  builtins: CurrentSet['builtinClasses'];
  canEdit: boolean;
}) {
  const classes = [...draft.builtins, ...draft.custom.map((c) => c.name)];
  return (
    <>
      <section className="card" aria-labelledby="builtin-title">
        <div className="card-head"><h2 id="builtin-title">Built-in classes</h2><span className="muted">{draft.builtins.length} of {builtins.length} run</span></div>
        <div className="table-wrap">
          <table className="table compact-table">
            <thead><tr><th>Runs</th><th>Class</th><th>What matches</th></tr></thead>
            <tbody>
              {builtins.map((b) => {
                const on = draft.builtins.includes(b.name);
                return (
                  <tr key={b.name} data-testid="builtin-row">
                    <td>
                      <input type="checkbox" aria-label={`${b.name} runs`} checked={on} disabled={!canEdit}
                        onChange={(e) => onChange({ ...draft, builtins: e.target.checked ? [...draft.builtins, b.name] : draft.builtins.filter((x) => x !== b.name) })} />
                    </td>
                    <td className="mono nowrap">{b.name}</td>
                    <td className="small">{b.description}</td>
                  </tr>
                );
              })}
            </tbody>
          </table>
        </div>
      </section>
      <CustomClasses draft={draft} onChange={onChange} canEdit={canEdit} />
      <Rules draft={draft} onChange={onChange} canEdit={canEdit} classes={classes} />
    </>
  );
}

function CustomClasses({ draft, onChange, canEdit }: { draft: ClassifierSet; onChange: (next: ClassifierSet) => void; canEdit: boolean }) {
  const blank = { name: '', pattern: '', validator: 'none' as CustomClass['validator'], hints: '', ignoreCase: false };
  const [form, setForm] = useState(blank);
  const add = () => {
    const def: CustomClass = { name: form.name.trim(), pattern: form.pattern, validator: form.validator, jsonPathHints: splitList(form.hints), ignoreCase: form.ignoreCase };
    onChange({ ...draft, custom: [...draft.custom, def] });
    setForm(blank);
  };
  return (
    <section className="card" aria-labelledby="custom-title">
      <div className="card-head"><h2 id="custom-title">Custom classes</h2><span className="muted">regular expressions with bounded repetition, checked when published</span></div>
      <div className="table-wrap">
        <table className="table compact-table">
          <thead><tr><th>Class</th><th>Pattern</th><th>Validator</th><th>Only at</th>{canEdit ? <th className="actions"><span className="visually-hidden">Actions</span></th> : null}</tr></thead>
          <tbody>
            {draft.custom.map((c, i) => (
              <tr key={`${c.name}-${i}`} data-testid="custom-row">
                <td className="mono nowrap">{c.name}</td>
                <td className="mono">{c.pattern}{c.ignoreCase ? <span className="muted"> (any case)</span> : null}</td>
                <td>{c.validator === 'none' ? <span className="faint">none</span> : c.validator}</td>
                <td className="mono small">{c.jsonPathHints?.length ? c.jsonPathHints.join(', ') : <span className="faint">anywhere</span>}</td>
                {canEdit ? <td className="actions"><button type="button" className="btn small danger" onClick={() => onChange({ ...draft, custom: draft.custom.filter((_, j) => j !== i), rules: draft.rules.filter((r) => r.class !== c.name) })}>Remove</button></td> : null}
              </tr>
            ))}
          </tbody>
        </table>
        {draft.custom.length === 0 ? <p className="card-body muted small">No custom classes. Add one for identifiers of your own (employee ids, policy numbers).</p> : null}
      </div>
      {canEdit ? (
        <form className="filters add-form" onSubmit={(e) => { e.preventDefault(); if (form.name.trim() && form.pattern) add(); }}>
          <div className="field"><label htmlFor="cc-name">Name</label><input id="cc-name" className="input mono" value={form.name} placeholder="employee_id" onChange={(e) => setForm({ ...form, name: e.target.value })} style={{ width: 150 }} /></div>
          <div className="field"><label htmlFor="cc-pattern">Pattern</label><input id="cc-pattern" className="input mono" value={form.pattern} placeholder="EMP-[0-9]{6}" onChange={(e) => setForm({ ...form, pattern: e.target.value })} style={{ width: 220 }} /></div>
          <div className="field">
            <label htmlFor="cc-validator">Validator</label>
            <select id="cc-validator" className="select" value={form.validator} onChange={(e) => setForm({ ...form, validator: e.target.value as CustomClass['validator'] })}>
              <option value="none">none</option><option value="luhn">Luhn</option><option value="mod97">mod-97</option>
            </select>
          </div>
          <div className="field"><label htmlFor="cc-hints">Only at (JSON paths or keys)</label><input id="cc-hints" className="input mono" value={form.hints} placeholder="$..employee, badge" onChange={(e) => setForm({ ...form, hints: e.target.value })} style={{ width: 200 }} /></div>
          <label className="row small" style={{ gap: 6, alignSelf: 'flex-end', paddingBottom: 8 }}><input type="checkbox" checked={form.ignoreCase} onChange={(e) => setForm({ ...form, ignoreCase: e.target.checked })} /> any case</label>
          <button type="submit" className="btn" disabled={!form.name.trim() || !form.pattern}>Add class</button>
        </form>
      ) : null}
    </section>
  );
}

function Rules({ draft, onChange, canEdit, classes }: { draft: ClassifierSet; onChange: (next: ClassifierSet) => void; canEdit: boolean; classes: string[] }) {
  const blank = { class: classes[0] ?? '', direction: 'response' as Rule['direction'], action: 'redact' as Rule['action'], services: '*', except: '' };
  const [form, setForm] = useState(blank);
  const add = () => {
    onChange({ ...draft, rules: [...draft.rules, { class: form.class || classes[0], direction: form.direction, action: form.action, services: splitList(form.services), exceptCallers: splitList(form.except) }] });
    setForm({ ...blank, class: form.class });
  };
  return (
    <section className="card" aria-labelledby="rules-title">
      <div className="card-head"><h2 id="rules-title">Actions</h2><span className="muted">every class that runs is reported; these also redact or block</span></div>
      <div className="table-wrap">
        <table className="table compact-table">
          <thead><tr><th>Class</th><th>In</th><th>Action</th><th>Services</th><th>Except callers</th>{canEdit ? <th className="actions"><span className="visually-hidden">Actions</span></th> : null}</tr></thead>
          <tbody>
            {draft.rules.map((r, i) => (
              <tr key={i} data-testid="rule-row">
                <td className="mono nowrap">{r.class}</td>
                <td>{r.direction === 'both' ? 'requests and responses' : `${r.direction}s`}</td>
                <td><span className={r.action === 'block' ? 'badge danger' : r.action === 'redact' ? 'badge warn' : 'badge'}>{ACTION_WORDS[r.action]}</span></td>
                <td className="mono small">{r.services.join(', ')}</td>
                <td className="mono small">{r.exceptCallers?.length ? r.exceptCallers.join(', ') : <span className="faint">none</span>}</td>
                {canEdit ? <td className="actions"><button type="button" className="btn small danger" onClick={() => onChange({ ...draft, rules: draft.rules.filter((_, j) => j !== i) })}>Remove</button></td> : null}
              </tr>
            ))}
          </tbody>
        </table>
        {draft.rules.length === 0 ? <p className="card-body muted small">Nothing is redacted or blocked: the proxies only report what they find.</p> : null}
      </div>
      {canEdit ? (
        <form className="filters add-form" onSubmit={(e) => { e.preventDefault(); add(); }}>
          <div className="field">
            <label htmlFor="rule-class">Class</label>
            <select id="rule-class" className="select mono" value={form.class} onChange={(e) => setForm({ ...form, class: e.target.value })}>
              {classes.map((c) => <option key={c} value={c}>{c}</option>)}
            </select>
          </div>
          <div className="field">
            <label htmlFor="rule-direction">In</label>
            <select id="rule-direction" className="select" value={form.direction} onChange={(e) => setForm({ ...form, direction: e.target.value as Rule['direction'] })}>
              <option value="response">responses</option><option value="request">requests</option><option value="both">both</option>
            </select>
          </div>
          <div className="field">
            <label htmlFor="rule-action">Action</label>
            <select id="rule-action" className="select" value={form.action} onChange={(e) => setForm({ ...form, action: e.target.value as Rule['action'] })}>
              <option value="redact">redact</option><option value="block">block</option><option value="report">report</option>
            </select>
          </div>
          <div className="field"><label htmlFor="rule-services">Services</label><input id="rule-services" className="input mono" value={form.services} placeholder="shop/*" onChange={(e) => setForm({ ...form, services: e.target.value })} style={{ width: 160 }} /></div>
          <div className="field"><label htmlFor="rule-except">Except callers</label><input id="rule-except" className="input mono" value={form.except} placeholder="payments/billing" onChange={(e) => setForm({ ...form, except: e.target.value })} style={{ width: 180 }} /></div>
          <button type="submit" className="btn" disabled={!classes.length || !form.services.trim()}>Add action</button>
        </form>
      ) : null}
    </section>
  );
}
