'use client';

import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { usePathname, useRouter, useSearchParams } from 'next/navigation';
import { useState } from 'react';
import { useTRPC } from '@/components/trpc';
import { ConfirmWithReason } from '@/components/ui/confirm-with-reason';
import { Empty, ErrorState, LoadingRows } from '@/components/ui/states';
import { Time } from '@/components/ui/time';
import { ClusterEditor } from './cluster-editor';
import { EVERY_CLUSTER, selectorText, type ClusterList, type ClusterSettings } from './types';

interface Row {
  cluster: string;
  settings: ClusterSettings;
  /** where the settings come from: the cluster's own row, `*`, or the built-in defaults */
  from: 'own' | 'every' | 'defaults';
  proxies: number | null;
  updatedBy: string | null;
  updatedAt: Date | string | null;
}

function rowsOf(list: ClusterList): Row[] {
  const every = list.every?.settings ?? list.defaults;
  const proxiesOf = new Map(list.known.map((k) => [k.cluster, k.proxies]));
  const rows: Row[] = [{
    cluster: EVERY_CLUSTER, settings: every, from: list.every ? 'own' : 'defaults', proxies: null,
    updatedBy: list.every?.updatedBy ?? null, updatedAt: list.every?.updatedAt ?? null,
  }];
  for (const r of list.rows) rows.push({ cluster: r.cluster, settings: r.settings, from: 'own', proxies: proxiesOf.get(r.cluster) ?? 0, updatedBy: r.updatedBy, updatedAt: r.updatedAt });
  for (const k of list.known) {
    if (!k.own) rows.push({ cluster: k.cluster, settings: every, from: list.every ? 'every' : 'defaults', proxies: k.proxies, updatedBy: null, updatedAt: null });
  }
  return rows;
}

const account = (s: ClusterSettings) => {
  const n = Object.keys(s.serviceAccounts).length;
  return `${s.serviceAccountTemplate}${n ? ` (+${n} exception${n === 1 ? '' : 's'})` : ''}`;
};

/** `/settings/clusters`: how policies are compiled for each cluster's workloads; admins change it. */
export function ClustersView({ isAdmin }: { isAdmin: boolean }) {
  const trpc = useTRPC();
  const qc = useQueryClient();
  const params = useSearchParams();
  const router = useRouter();
  const pathname = usePathname();
  const editing = params.get('cluster');
  const setEditing = (c: string | null) => router.replace(c === null ? pathname : `${pathname}?cluster=${encodeURIComponent(c)}`, { scroll: false });
  const q = useQuery(trpc.clusters.list.queryOptions());
  const [removing, setRemoving] = useState<string | null>(null);
  const remove = useMutation(trpc.clusters.remove.mutationOptions({
    onSuccess: () => { setRemoving(null); setEditing(null); void qc.invalidateQueries({ queryKey: trpc.clusters.pathKey() }); },
  }));
  const rows = q.data ? rowsOf(q.data) : [];
  return (
    <div className="page stack">
      <div className="page-head">
        <div>
          <h1>Clusters</h1>
          <p>
            How policies are written for each cluster&apos;s workloads: the trust domain of its SPIFFE ids, the service account each service runs as, and the labels
            that select its pods. A mesh that differs from the stock defaults (another trust domain, accounts like <span className="mono">bookinfo-reviews</span>)
            would be denied its own traffic by policies compiled without them. Proxies name their cluster when they pull a bundle
            (<span className="mono">?cluster=</span>; the nginx agent sends <span className="mono">MESHWARD_CLUSTER</span>).{isAdmin ? '' : ' Admins change them.'}
          </p>
        </div>
      </div>
      <section className="card" aria-labelledby="clusters-title">
        <div className="card-head"><h2 id="clusters-title">In force</h2><span className="muted">a cluster without its own row uses the * row</span></div>
        {q.isError ? <ErrorState error={q.error} onRetry={() => q.refetch()} /> : (
          <div className="table-wrap">
            <table className="table compact-table" data-testid="clusters-table">
              <thead>
                <tr>
                  <th>Cluster</th><th>Trust domain</th><th>Service account</th><th>Selector</th><th>Istio</th><th className="num">Proxies</th><th>Changed</th>
                  {isAdmin ? <th className="actions"><span className="visually-hidden">Actions</span></th> : null}
                </tr>
              </thead>
              <tbody>
                {q.isPending ? <LoadingRows columns={isAdmin ? 8 : 7} rows={2} /> : rows.map((r) => (
                  <tr key={r.cluster} data-testid="cluster-row" aria-current={editing === r.cluster ? 'true' : undefined}>
                    <td className="nowrap">
                      {r.cluster === EVERY_CLUSTER ? <><span className="mono">*</span> <span className="muted">every cluster</span></> : <span className="mono">{r.cluster}</span>}
                      {r.from === 'every' ? <span className="badge" style={{ marginLeft: 6 }}>uses *</span> : null}
                      {r.from === 'defaults' ? <span className="badge" style={{ marginLeft: 6 }}>defaults</span> : null}
                    </td>
                    <td className="mono nowrap">{r.settings.trustDomain}</td>
                    <td className="mono nowrap">{account(r.settings)}</td>
                    <td className="mono">{r.settings.istioAttach === 'service' ? <span className="muted">the Service</span> : selectorText(r.settings.selectorLabels)}</td>
                    <td className="nowrap">
                      {r.settings.istioDryRun ? <span className="badge warn" title="Istio logs what the policies would decide and enforces nothing">dry-run</span> : 'enforce'}
                      {r.settings.istioAttach === 'service' ? <span className="muted"> · at the waypoint</span> : null}
                    </td>
                    <td className="num">{r.proxies === null ? '' : r.proxies.toLocaleString()}</td>
                    <td className="who-cell">{r.updatedBy ? <><div>{r.updatedBy}</div><div className="faint"><Time value={r.updatedAt!} relative /></div></> : <span className="faint">never</span>}</td>
                    {isAdmin ? (
                      <td className="actions nowrap">
                        <button type="button" className="btn small" onClick={() => setEditing(r.cluster)} aria-label={`Edit ${r.cluster === EVERY_CLUSTER ? 'the * row' : r.cluster}`}>Edit</button>
                        {r.from === 'own' && r.cluster !== EVERY_CLUSTER
                          ? <button type="button" className="btn small danger" style={{ marginLeft: 6 }} onClick={() => setRemoving(r.cluster)}>Use *</button> : null}
                      </td>
                    ) : null}
                  </tr>
                ))}
              </tbody>
            </table>
            {q.data && q.data.known.length === 0 && q.data.rows.length === 0
              ? <Empty title="No proxy has named its cluster yet">Every bundle is compiled with the * row. Clusters appear here when proxies report them in heartbeats.</Empty> : null}
          </div>
        )}
      </section>
      {isAdmin && q.data ? (
        <ClusterEditor key={editing ?? EVERY_CLUSTER} list={q.data} cluster={editing ?? EVERY_CLUSTER} onCluster={setEditing} />
      ) : null}
      <ConfirmWithReason open={removing !== null} title={`Compile ${removing ?? ''} with the * row`}
        description={<p>The cluster&apos;s own settings are removed; its proxies get bundles compiled with the * row from their next pull.</p>}
        confirmLabel="Use the * row" danger pending={remove.isPending} error={remove.error?.message ?? null}
        onCancel={() => { remove.reset(); setRemoving(null); }} onConfirm={(reason) => removing && remove.mutate({ cluster: removing, reason })} />
    </div>
  );
}
