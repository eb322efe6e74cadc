'use client';

import { keepPreviousData, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useDeferredValue, useMemo, useState } from 'react';
import { useTRPC } from '@/components/trpc';
import { ConfirmWithReason } from '@/components/ui/confirm-with-reason';
import { EVERY_CLUSTER, pairsText, parsePairs, selectorText, type ClusterList, type ClusterSettings } from './types';

type Issues = Array<{ path: string; message: string }> | null | undefined;
const issuesOf = (e: unknown): Issues => (e as { data?: { zodIssues?: Issues } } | null)?.data?.zodIssues;

/**
 * Edits the * row or one cluster's own settings. A preview shows what the values make of a few
 * of the mesh's services (the principal callers present, the selector of the service's policy)
 * and names what Kubernetes or SPIFFE would refuse, before anything is saved.
 */
export function ClusterEditor({ list, cluster, onCluster }: { list: ClusterList; cluster: string; onCluster: (c: string | null) => void }) {
  const trpc = useTRPC();
  const qc = useQueryClient();
  const own = cluster === EVERY_CLUSTER ? list.every : list.rows.find((r) => r.cluster === cluster);
  const start: ClusterSettings = own?.settings ?? list.every?.settings ?? list.defaults;
  const [trustDomain, setTrustDomain] = useState(start.trustDomain);
  const [accountTemplate, setAccountTemplate] = useState(start.serviceAccountTemplate);
  const [exceptions, setExceptions] = useState(pairsText(start.serviceAccounts));
  const [labels, setLabels] = useState(pairsText(start.selectorLabels));
  const [dryRun, setDryRun] = useState(start.istioDryRun);
  const [attach, setAttach] = useState(start.istioAttach);
  const [otherCluster, setOtherCluster] = useState('');
  const [saving, setSaving] = useState(false);

  const ex = parsePairs(exceptions);
  const sel = parsePairs(labels);
  const candidate: ClusterSettings = { trustDomain: trustDomain.trim(), serviceAccountTemplate: accountTemplate.trim(), serviceAccounts: ex.value, selectorLabels: sel.value, istioDryRun: dryRun, istioAttach: attach };
  const lineError = ex.error ? `Exceptions: ${ex.error}` : sel.error ? `Selector labels: ${sel.error}` : null;

  const services = useQuery(trpc.apis.services.queryOptions(undefined, { staleTime: 60_000 }));
  const sample = useMemo(() => {
    const names = (services.data ?? []).map((s) => s.service).filter((s) => /^[^/]+\/[^/]+$/.test(s));
    return [...new Set([...Object.keys(ex.value).filter((s) => s.includes('/')), ...names])].slice(0, 6);
  }, [services.data, ex.value]);
  const asked = useDeferredValue(JSON.stringify({ settings: candidate, services: sample.length ? sample : ['shop/web'] }));
  const preview = useQuery(trpc.clusters.preview.queryOptions(JSON.parse(asked), { enabled: lineError === null, placeholderData: keepPreviousData, retry: false }));
  const problems = issuesOf(preview.error);

  const save = useMutation(trpc.clusters.set.mutationOptions({
    onSuccess: () => { setSaving(false); void qc.invalidateQueries({ queryKey: trpc.clusters.pathKey() }); },
  }));
  const unchanged = own !== undefined && own !== null && JSON.stringify(candidate) === JSON.stringify(own.settings);
  const ready = lineError === null && preview.isSuccess && !preview.isPlaceholderData && !unchanged;
  const known = list.known.map((k) => k.cluster);
  const choices = [...new Set([...list.rows.map((r) => r.cluster), ...known, ...(cluster !== EVERY_CLUSTER ? [cluster] : [])])].sort();

  return (
    <section className="card" aria-labelledby="cluster-edit-title">
      <div className="card-head">
        <h2 id="cluster-edit-title">Change compile settings</h2>
        <span className="muted">applies to bundles pulled after saving</span>
      </div>
      <div className="card-body form">
        <div className="form-row">
          <div className="field">
            <label htmlFor="cluster-scope">Cluster</label>
            <select id="cluster-scope" className="select" value={cluster} style={{ width: 260 }} onChange={(e) => onCluster(e.target.value === EVERY_CLUSTER ? null : e.target.value)}>
              <option value={EVERY_CLUSTER}>* (every cluster without its own)</option>
              {choices.map((c) => <option key={c} value={c}>{c}{list.rows.some((r) => r.cluster === c) ? ' (own settings)' : ''}</option>)}
            </select>
          </div>
          <form className="row other-service" onSubmit={(e) => { e.preventDefault(); if (otherCluster.trim()) { onCluster(otherCluster.trim()); setOtherCluster(''); } }}>
            <label htmlFor="other-cluster" className="muted small">or another cluster</label>
            <input id="other-cluster" className="input" placeholder="prod-eu-1" value={otherCluster} onChange={(e) => setOtherCluster(e.target.value)} style={{ width: 180 }} />
            <button type="submit" className="btn small" disabled={!otherCluster.trim()}>Use</button>
          </form>
        </div>
        <div className="form-row cluster-fields">
          <div className="field">
            <label htmlFor="c-trust">Trust domain</label>
            <input id="c-trust" className="input mono" value={trustDomain} onChange={(e) => setTrustDomain(e.target.value)} style={{ width: 220 }} />
            <span className="hint">of <span className="mono">spiffe://…/ns/…/sa/…</span> ids</span>
          </div>
          <div className="field">
            <label htmlFor="c-account">Service account</label>
            <input id="c-account" className="input mono" value={accountTemplate} onChange={(e) => setAccountTemplate(e.target.value)} style={{ width: 220 }} />
            <span className="hint"><span className="mono">{'{name}'}</span> and <span className="mono">{'{namespace}'}</span> of the service</span>
          </div>
          <div className="field">
            <label htmlFor="c-attach">Istio policies apply to</label>
            <select id="c-attach" className="select" value={attach} onChange={(e) => setAttach(e.target.value as ClusterSettings['istioAttach'])} style={{ width: 250 }}>
              <option value="workload">pods, by selector labels (sidecars)</option>
              <option value="service">the Service, at its waypoint (ambient)</option>
            </select>
          </div>
          <div className="field">
            <label htmlFor="c-dry">Istio rollout</label>
            <label className="row small" style={{ gap: 6 }}>
              <input id="c-dry" type="checkbox" checked={dryRun} onChange={(e) => setDryRun(e.target.checked)} />
              dry-run (<span className="mono">istio.io/dry-run</span>: log decisions, enforce nothing)
            </label>
          </div>
        </div>
        <div className="form-row cluster-fields">
          <div className="field grow">
            <label htmlFor="c-exceptions">Service account exceptions</label>
            <textarea id="c-exceptions" className="input mono" rows={3} value={exceptions} placeholder="shop/web = storefront" onChange={(e) => setExceptions(e.target.value)} />
            <span className="hint">one <span className="mono">namespace/name = account</span> per line, for services the template gets wrong</span>
          </div>
          <div className="field grow">
            <label htmlFor="c-labels">Workload selector labels</label>
            <textarea id="c-labels" className="input mono" rows={3} value={labels} placeholder="app = {name}" onChange={(e) => setLabels(e.target.value)} />
            <span className="hint">{attach === 'service' ? 'not used while policies apply to the Service' : <>one <span className="mono">label = value</span> per line; the Istio policy selects pods with all of them</>}</span>
          </div>
        </div>
        {lineError ? <div className="alert error" role="alert">{lineError}</div> : null}
        {problems?.length ? (
          <div className="alert error" role="alert" data-testid="cluster-problems">
            {problems.map((p, i) => <div key={i}>{p.message}</div>)}
          </div>
        ) : preview.isError ? <div className="alert error" role="alert">{preview.error.message}</div> : null}
        <div className="table-wrap">
          <table className="table compact-table" data-testid="cluster-preview" aria-label="What these settings make of services">
            <thead><tr><th>Service</th><th>Callers from it present</th><th>Its policy selects pods with</th></tr></thead>
            <tbody>
              {(preview.data ?? []).map((p) => (
                <tr key={p.service}>
                  <td className="mono">{p.service}</td>
                  <td className="mono">{p.principal ?? <span className="faint">—</span>}</td>
                  <td className="mono">{p.problem ? <span className="danger-text">{p.problem}</span> : p.selector ? selectorText(p.selector) : ''}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
        <div className="row">
          <span className="spacer" />
          <button type="button" className="btn primary" data-testid="save-cluster" disabled={!ready} onClick={() => setSaving(true)}
            title={unchanged ? 'Nothing changed' : ready ? undefined : 'Fix what the preview names first'}>
            Save…
          </button>
        </div>
      </div>
      <ConfirmWithReason
        open={saving}
        title={cluster === EVERY_CLUSTER ? 'Save the settings of every cluster' : `Save the settings of ${cluster}`}
        description={<p>Bundles for {cluster === EVERY_CLUSTER ? 'every cluster without its own settings' : `proxies in ${cluster}`} are compiled with trust domain <span className="mono">{candidate.trustDomain}</span> and service account <span className="mono">{candidate.serviceAccountTemplate}</span> from their next pull. A wrong value denies the mesh its own traffic: check the preview.</p>}
        confirmLabel="Save settings"
        pending={save.isPending}
        error={save.error ? (issuesOf(save.error)?.map((i) => i.message).join(' ') || save.error.message) : null}
        onCancel={() => { save.reset(); setSaving(false); }}
        onConfirm={(reason) => save.mutate({ cluster, settings: candidate, reason })}
      />
    </section>
  );
}
