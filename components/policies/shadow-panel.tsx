'use client';

import { useQuery } from '@tanstack/react-query';
import { useState } from 'react';
import { TemplateText } from '@/components/apis/state-badge';
import { useTRPC } from '@/components/trpc';
import { full } from '@/components/ui/format';
import { ErrorState } from '@/components/ui/states';
import { Time } from '@/components/ui/time';
import { DenyActorDialog, type DenyTarget } from './deny-actor-dialog';

const REASON: Record<string, string> = {
  not_whitelisted: 'not on the whitelist',
  denied_actor: 'denied actor',
  ambiguous_path: 'ambiguous path',
};
const HOURS = [1, 6, 24, 72, 168];

/** "Would have denied N requests from these callers": past traffic through this revision. */
export function ShadowPanel({ revisionId, hours, onHours, service, canDeny = false }: {
  revisionId: string;
  hours: number;
  onHours: (h: number) => void;
  /** with `canDeny`: an example's token or address can be denied in this service's draft */
  service?: string;
  canDeny?: boolean;
}) {
  const trpc = useTRPC();
  const [deny, setDeny] = useState<DenyTarget | null>(null);
  const offerDeny = canDeny && service !== undefined;
  const q = useQuery(trpc.policies.shadow.queryOptions({ id: revisionId, hours }, { staleTime: 60_000 }));
  const r = q.data;
  return (
    <div data-testid="shadow-impact">
      <div className="card-body row shadow-head">
        <span>Replay the last</span>
        <div className="segmented" role="group" aria-label="Window">
          {HOURS.map((h) => (
            <button key={h} type="button" className={h === hours ? 'active' : ''} aria-pressed={h === hours} onClick={() => onHours(h)}>{h < 24 ? `${h} h` : `${h / 24} d`}</button>
          ))}
        </div>
        <span className="muted">of traffic to this service through this revision.</span>
        {q.isFetching ? <span className="muted">Replaying…</span> : null}
      </div>
      {q.isError ? <ErrorState error={q.error} onRetry={() => q.refetch()} /> : null}
      {r ? (
        <>
          <div className="card-body shadow-summary" role="status">
            {r.evaluated === 0 ? <span>No traffic to this service in the window: nothing to compare against.</span> : r.denied === 0 ? (
              <span><strong className="diff-add">Would deny nothing</strong> of the {full(r.evaluated)} requests in the window.</span>
            ) : (
              <span>
                Would have denied <strong className="diff-del" data-testid="shadow-denied">{full(r.denied)}</strong> of {full(r.evaluated)} requests
                {' '}({((100 * r.denied) / r.evaluated).toFixed(r.denied * 1000 < r.evaluated ? 2 : 1)}%) from {r.callers} caller{r.callers === 1 ? '' : 's'}:
                {' '}{full(r.byReason.not_whitelisted)} not on the whitelist, {full(r.byReason.denied_actor)} from denied actors, {full(r.byReason.ambiguous_path)} with ambiguous paths.
              </span>
            )}
            {r.truncated ? <span className="badge warn">first {full(r.evaluated)} events only</span> : null}
            <span className="muted"> <Time value={r.from} /> – <Time value={r.to} />, {r.ms} ms</span>
          </div>
          {r.groups.length ? (
            <div className="table-wrap">
              <table className="table">
                <thead><tr><th>Caller</th><th>Endpoint</th><th>Why</th><th className="num">Requests</th><th>Examples</th></tr></thead>
                <tbody>
                  {r.groups.map((g) => (
                    <tr key={`${g.reason}${g.caller}${g.method}${g.route}`} data-testid="shadow-group">
                      <td className="mono">{g.caller}</td>
                      <td><span className="method">{g.method}</span> <TemplateText template={g.route} /></td>
                      <td><span className={`badge ${g.reason === 'not_whitelisted' ? 'warn' : 'danger'}`}>{REASON[g.reason]}</span></td>
                      <td className="num">{full(g.count)}</td>
                      <td className="examples-cell">
                        {g.examples.map((e) => (
                          <div key={e.requestId}>
                            <div className="mono example" title={`request ${e.requestId}${e.clientIp ? ` from ${e.clientIp}` : ''}`}>
                              <Time value={e.ts} /> {e.path} <span className="faint">→ {e.status}</span>
                            </div>
                            {offerDeny && g.reason !== 'denied_actor' && (e.tokenId || e.clientIp) ? (
                              <div className="example-actions" data-testid="shadow-example-deny">
                                {e.tokenId ? (
                                  <button type="button" className="btn small example-deny" aria-label={`Deny token ${e.tokenId}`} title={`Deny token ${e.tokenId}`}
                                    onClick={() => setDeny({ kind: 'token', value: e.tokenId!, services: [service!] })}>deny token</button>
                                ) : null}
                                {e.clientIp ? (
                                  <button type="button" className="btn small example-deny" aria-label={`Deny address ${e.clientIp}`} title={`Deny address ${e.clientIp}`}
                                    onClick={() => setDeny({ kind: 'ip', value: e.clientIp!, services: [service!] })}>deny address</button>
                                ) : null}
                              </div>
                            ) : null}
                          </div>
                        ))}
                      </td>
                    </tr>
                  ))}
                </tbody>
              </table>
              {r.groupsTotal > r.groups.length ? <div className="card-body muted">Showing the {r.groups.length} largest of {r.groupsTotal} groups.</div> : null}
            </div>
          ) : null}
        </>
      ) : q.isPending ? <div className="card-body"><div className="skeleton" style={{ width: '60%' }} /></div> : null}
      {offerDeny ? <DenyActorDialog target={deny} onClose={() => setDeny(null)} /> : null}
    </div>
  );
}
