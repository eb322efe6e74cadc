'use client';

import { keepPreviousData, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import Link from 'next/link';
import { useEffect, useState } from 'react';
import { useTRPC } from '@/components/trpc';
import { ConfirmWithReason } from '@/components/ui/confirm-with-reason';
import { Pager } from '@/components/ui/pager';
import { ErrorState } from '@/components/ui/states';
import { Time } from '@/components/ui/time';
import { SetEditor } from './set-editor';
import { ShadowImpact } from './shadow-impact';
import { TryBox } from './try-box';
import { issuesOf, type ClassifierSet } from './types';

const HISTORY_PAGE = 10;

/** `/data/classifiers`: the classifier set in force, a draft of the next one (admins), a test box, the history. */
export function ClassifiersView({ isAdmin, canTry }: { isAdmin: boolean; canTry: boolean }) {
  const trpc = useTRPC();
  const qc = useQueryClient();
  const q = useQuery(trpc.classifiers.current.queryOptions());
  const [page, setPage] = useState(0);
  const history = useQuery(trpc.classifiers.history.queryOptions({ offset: page * HISTORY_PAGE, limit: HISTORY_PAGE }, { placeholderData: keepPreviousData }));
  const [draft, setDraft] = useState<ClassifierSet | null>(null);
  const [confirm, setConfirm] = useState<'publish' | { republish: number } | null>(null);
  const current = q.data;
  // a new revision in force (published here or elsewhere) starts a fresh draft
  useEffect(() => {
    if (current) setDraft(structuredClone(current.document) as ClassifierSet);
  }, [current?.revision]); // eslint-disable-line react-hooks/exhaustive-deps
  const refresh = () => qc.invalidateQueries({ queryKey: trpc.classifiers.pathKey() });
  const publish = useMutation(trpc.classifiers.publish.mutationOptions({ onSuccess: () => { setConfirm(null); void refresh(); } }));
  const republish = useMutation(trpc.classifiers.republish.mutationOptions({ onSuccess: () => { setConfirm(null); void refresh(); } }));
  const changed = current && draft ? JSON.stringify(draft) !== JSON.stringify(current.document) : false;
  const pending = publish.isPending || republish.isPending;
  const failure = confirm === 'publish' ? publish.error : republish.error;
  const failureText = failure ? (issuesOf(failure)?.map((i) => i.message).join(' ') || failure.message) : null;

  return (
    <div className="page stack">
      <div className="page-head">
        <div>
          <h1>Classifiers</h1>
          <p>
            What the proxies&apos; content filters look for in request and response bodies, and what they do on a match. Matched values never leave the proxy:
            only the class, a count, the JSON path and a masked sample reach <Link href="/data">Sensitive data</Link>. A published set reaches the fleet as a signed
            bundle (<span className="mono">?format=classifiers</span>) and Fleet shows which revision each proxy applied.{isAdmin ? '' : ' Admins change and publish it.'}
          </p>
        </div>
      </div>
      {q.isError ? <ErrorState error={q.error} onRetry={() => q.refetch()} /> : !current || !draft ? <div className="card"><div className="card-body"><div className="skeleton" style={{ height: 120 }} /></div></div> : (
        <>
          <div className="alert info" data-testid="in-force">
            {current.revision === 0
              ? <span>In force: <strong>the built-in set</strong> (revision 0): every built-in class is reported, nothing is redacted or blocked.</span>
              : <span>In force: <strong>revision {current.revision}</strong>, published by {current.publishedBy} <Time value={current.publishedAt!} relative />{current.reason ? <> — “{current.reason}”</> : null}.</span>}
          </div>
          <SetEditor draft={draft} onChange={setDraft} builtins={current.builtinClasses} canEdit={isAdmin} />
          {isAdmin ? (
            <section className="card" aria-labelledby="limit-title">
              <div className="card-head"><h2 id="limit-title">Body limit</h2></div>
              <div className="card-body form-row">
                <div className="field">
                  <label htmlFor="max-body">Inspect bodies up to (KiB)</label>
                  <input id="max-body" className="input num-input" style={{ width: 120 }} type="number" min={1} max={8192} value={Math.round(draft.maxBodyBytes / 1024)}
                    onChange={(e) => setDraft({ ...draft, maxBodyBytes: Math.max(1, Number(e.target.value) || 1) * 1024 })} />
                  <span className="hint">larger bodies pass uninspected, and are counted as such</span>
                </div>
              </div>
            </section>
          ) : null}
          {isAdmin ? (
            <div className="publish-bar row">
              <span className={changed ? 'warn-text' : 'muted'}>{changed ? 'The set above differs from the one in force.' : 'No change to publish.'}</span>
              <span className="spacer" />
              <button type="button" className="btn" disabled={!changed} onClick={() => setDraft(structuredClone(current.document) as ClassifierSet)}>Discard changes</button>
              <button type="button" className="btn primary" data-testid="publish-classifiers" disabled={!changed} onClick={() => { publish.reset(); setConfirm('publish'); }}>Publish…</button>
            </div>
          ) : null}
          {canTry ? <ShadowImpact draft={draft} /> : null}
          {canTry ? <TryBox draft={draft} /> : null}
        </>
      )}
      <section className="card" aria-labelledby="history-title">
        <div className="card-head"><h2 id="history-title">Published revisions</h2></div>
        {history.isError ? <ErrorState error={history.error} onRetry={() => history.refetch()} /> : (
          <div className="table-wrap">
            <table className="table compact-table">
              <thead><tr><th className="num">Revision</th><th>Published</th><th>Why</th><th>Classes</th><th>Actions</th>{isAdmin ? <th className="actions"><span className="visually-hidden">Actions</span></th> : null}</tr></thead>
              <tbody>
                {(history.data?.rows ?? []).map((r) => (
                  <tr key={r.revision} data-testid="revision-row">
                    <td className="num">{r.revision}{r.revision === current?.revision ? <span className="badge ok" style={{ marginLeft: 6 }}>in force</span> : null}</td>
                    <td className="who-cell">{r.publishedBy ? <><div>{r.publishedBy}</div><div className="faint"><Time value={r.publishedAt!} relative /></div></> : <span className="faint">built in</span>}</td>
                    <td>{r.reason ?? <span className="faint">—</span>}{r.republishOf !== null ? <span className="muted"> (revision {r.republishOf} again)</span> : null}</td>
                    <td>{r.document.builtins.length + r.document.custom.length}</td>
                    <td>{r.document.rules.length ? r.document.rules.map((x) => `${x.action} ${x.class}`).join(', ') : <span className="faint">report only</span>}</td>
                    {isAdmin ? (
                      <td className="actions">
                        {r.revision > 0 && r.revision !== current?.revision
                          ? <button type="button" className="btn small" onClick={() => { republish.reset(); setConfirm({ republish: r.revision }); }}>Publish again…</button> : null}
                      </td>
                    ) : null}
                  </tr>
                ))}
              </tbody>
            </table>
            {history.data && history.data.total > HISTORY_PAGE
              ? <Pager summary={<span className="muted">{history.data.total} revisions</span>} page={page} pages={Math.ceil(history.data.total / HISTORY_PAGE)} onPage={setPage} /> : null}
          </div>
        )}
      </section>
      <ConfirmWithReason
        open={confirm !== null}
        title={confirm === 'publish' ? `Publish classifier revision ${(current?.revision ?? 0) + 1}` : `Publish revision ${typeof confirm === 'object' && confirm ? confirm.republish : ''} again`}
        description={<p>Every proxy applies it on its next poll. Redact and block rules change what callers receive: check them with a body above first.</p>}
        confirmLabel="Publish"
        pending={pending}
        error={failureText}
        onCancel={() => setConfirm(null)}
        onConfirm={(reason) => {
          if (!current || !draft) return;
          if (confirm === 'publish') publish.mutate({ document: draft, basedOn: current.revision, reason });
          else if (confirm) republish.mutate({ revision: confirm.republish, basedOn: current.revision, reason });
        }}
      />
    </div>
  );
}
