'use client';

import { useMutation } from '@tanstack/react-query';
import { useState } from 'react';
import { useTRPC } from '@/components/trpc';
import { issuesOf, type ClassifierSet } from './types';

const EXAMPLE = '{"customer":{"email":"ana@example.com","card":{"pan":"4111 1111 1111 1111"}},"note":"call +44 20 7946 0958"}';

/** Paste a body, see what the draft set finds and what the proxy would do with it. Nothing is stored. */
export function TryBox({ draft }: { draft: ClassifierSet }) {
  const trpc = useTRPC();
  const [body, setBody] = useState(EXAMPLE);
  const [direction, setDirection] = useState<'request' | 'response'>('response');
  const [contentType, setContentType] = useState('application/json');
  const [service, setService] = useState('');
  const [caller, setCaller] = useState('');
  const run = useMutation(trpc.classifiers.try.mutationOptions());
  const r = run.data;
  const problems = issuesOf(run.error);
  return (
    <section className="card" aria-labelledby="try-title">
      <div className="card-head"><h2 id="try-title">Try a body</h2><span className="muted">against the set as edited above; nothing is stored</span></div>
      <form className="card-body form" onSubmit={(e) => { e.preventDefault(); run.mutate({ document: draft, body, contentType, direction, service: service.trim() || '*', caller: caller.trim() }); }}>
        <div className="form-row">
          <div className="field">
            <label htmlFor="try-direction">Body of a</label>
            <select id="try-direction" className="select" value={direction} onChange={(e) => setDirection(e.target.value as 'request' | 'response')}>
              <option value="response">response</option><option value="request">request</option>
            </select>
          </div>
          <div className="field"><label htmlFor="try-type">Content type</label><input id="try-type" className="input mono" value={contentType} onChange={(e) => setContentType(e.target.value)} style={{ width: 220 }} /></div>
          <div className="field"><label htmlFor="try-service">Service</label><input id="try-service" className="input mono" value={service} placeholder="any" onChange={(e) => setService(e.target.value)} style={{ width: 160 }} /></div>
          <div className="field"><label htmlFor="try-caller">Caller</label><input id="try-caller" className="input mono" value={caller} placeholder="any" onChange={(e) => setCaller(e.target.value)} style={{ width: 160 }} /></div>
        </div>
        <div className="field">
          <label htmlFor="try-body">Body</label>
          <textarea id="try-body" className="input mono try-body" rows={6} value={body} onChange={(e) => setBody(e.target.value)} />
        </div>
        <div className="row"><button type="submit" className="btn primary" disabled={run.isPending || !body}>{run.isPending ? 'Scanning…' : 'Scan'}</button></div>
        {problems?.length ? <div className="alert error" role="alert">{problems.map((p, i) => <div key={i}>{p.message}</div>)}</div>
          : run.error ? <div className="alert error" role="alert">{run.error.message}</div> : null}
        {r ? (
          <div className="stack" data-testid="try-result">
            <div>
              The proxy would <strong>{r.action === 'none' ? 'find nothing' : r.action}</strong>
              {r.because.length && r.action !== 'report' ? <> (because of {r.because.join(', ')})</> : null}.
            </div>
            {r.matches.length ? (
              <div className="table-wrap">
                <table className="table compact-table">
                  <thead><tr><th>Class</th><th className="num">Matches</th><th>Where</th><th>Sample (masked)</th></tr></thead>
                  <tbody>
                    {r.matches.map((m) => (
                      <tr key={m.class} data-testid="try-match">
                        <td className="mono">{m.class}</td>
                        <td className="num">{m.count}</td>
                        <td className="mono small">{m.paths.map((p) => `${p.path ?? 'text'}${p.count > 1 ? ` ×${p.count}` : ''}`).join(', ')}</td>
                        <td className="mono small">{m.sample ?? ''}</td>
                      </tr>
                    ))}
                  </tbody>
                </table>
              </div>
            ) : <p className="muted">No class of the set matches this body.</p>}
            {r.redacted !== null ? (
              <div>
                <div className="mini-title">What the other side receives</div>
                <pre className="config-block" data-testid="try-redacted">{r.redacted}</pre>
              </div>
            ) : null}
          </div>
        ) : null}
      </form>
    </section>
  );
}
