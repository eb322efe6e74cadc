import { TemplateText } from '@/components/apis/state-badge';
import type { PolicyDiff } from '@/server/policy/diff';
import type { AllowRule } from '@/server/policy/model';

/** Rules grouped by endpoint: `GET /users/{id}` ← shop/web, external. */
function byEndpoint(rules: AllowRule[]) {
  const m = new Map<string, { method: string; template: string; callers: string[] }>();
  for (const r of rules) {
    const k = `${r.method} ${r.template}`;
    const g = m.get(k) ?? { method: r.method, template: r.template, callers: [] };
    g.callers.push(r.caller);
    m.set(k, g);
  }
  return [...m.values()];
}

/** What a revision changes, in words an admin can check before approving or publishing. */
export function DiffView({ diff, againstLabel }: { diff: PolicyDiff; againstLabel: string }) {
  const added = byEndpoint(diff.addedAllow);
  const removed = byEndpoint(diff.removedAllow);
  const empty = !added.length && !removed.length && !diff.addedDeny.length && !diff.removedDeny.length && !diff.changedDeny.length;
  if (empty) return <div className="card-body muted">No change against {againstLabel}.</div>;
  return (
    <div className="diff" data-testid="policy-diff">
      <p className="diff-summary">
        Against {againstLabel}: <strong className="diff-add">{diff.addedAllow.length} rule{diff.addedAllow.length === 1 ? '' : 's'} allowed</strong>,{' '}
        <strong className="diff-del">{diff.removedAllow.length} no longer allowed</strong>,{' '}
        {diff.addedDeny.length} actor{diff.addedDeny.length === 1 ? '' : 's'} newly denied, {diff.removedDeny.length} no longer denied.
      </p>
      {added.length || removed.length ? (
        <table className="table">
          <thead><tr><th style={{ width: 90 }}>Change</th><th>Endpoint</th><th>Callers</th></tr></thead>
          <tbody>
            {added.map((g) => (
              <tr key={`+${g.method}${g.template}`} className="diff-row-add" data-testid="diff-added">
                <td><span className="diff-add">+ allow</span></td>
                <td><span className="method">{g.method}</span> <TemplateText template={g.template} /></td>
                <td className="mono">{g.callers.join(', ')}</td>
              </tr>
            ))}
            {removed.map((g) => (
              <tr key={`-${g.method}${g.template}`} className="diff-row-del" data-testid="diff-removed">
                <td><span className="diff-del">− allow</span></td>
                <td><span className="method">{g.method}</span> <TemplateText template={g.template} /></td>
                <td className="mono">{g.callers.join(', ')}</td>
              </tr>
            ))}
          </tbody>
        </table>
      ) : null}
      {diff.addedDeny.length || diff.removedDeny.length || diff.changedDeny.length ? (
        <table className="table">
          <thead><tr><th style={{ width: 90 }}>Change</th><th>Denied actor</th><th>Reason</th><th>Expires</th></tr></thead>
          <tbody>
            {diff.addedDeny.map((d) => <tr key={`+${d.kind}${d.value}`} className="diff-row-add"><td><span className="diff-add">+ deny</span></td><td className="mono">{d.kind}: {d.value}</td><td>{d.reason}</td><td>{d.expiresAt ?? 'never'}</td></tr>)}
            {diff.removedDeny.map((d) => <tr key={`-${d.kind}${d.value}`} className="diff-row-del"><td><span className="diff-del">− deny</span></td><td className="mono">{d.kind}: {d.value}</td><td>{d.reason}</td><td>{d.expiresAt ?? 'never'}</td></tr>)}
            {diff.changedDeny.map(({ before, after }) => <tr key={`~${after.kind}${after.value}`}><td>changed</td><td className="mono">{after.kind}: {after.value}</td><td>{before.reason} → {after.reason}</td><td>{before.expiresAt ?? 'never'} → {after.expiresAt ?? 'never'}</td></tr>)}
          </tbody>
        </table>
      ) : null}
    </div>
  );
}
