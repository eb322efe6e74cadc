'use client';

import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { useTRPC } from '@/components/trpc';
import { ConfirmWithReason } from '@/components/ui/confirm-with-reason';
import { CsvDownload } from '@/components/ui/csv-download';
import { Empty, ErrorState, LoadingRows } from '@/components/ui/states';
import { Time } from '@/components/ui/time';

export function TokensPanel({ canManage }: { canManage: boolean }) {
  const trpc = useTRPC();
  const qc = useQueryClient();
  const q = useQuery(trpc.fleet.tokens.queryOptions());
  const [revoking, setRevoking] = useState<{ id: string; name: string } | null>(null);
  const revoke = useMutation(
    trpc.fleet.revokeToken.mutationOptions({
      onSuccess: () => {
        setRevoking(null);
        void qc.invalidateQueries({ queryKey: trpc.fleet.pathKey() });
      },
    }),
  );

  return (
    <section className="card" aria-labelledby="tokens-title">
      <div className="card-head">
        <h2 id="tokens-title">Proxy tokens</h2>
        <CsvDownload table="fleet-tokens" label="proxy tokens" />
      </div>
      {q.isError ? <ErrorState error={q.error} onRetry={() => q.refetch()} /> : (
        <div className="table-wrap">
          <table className="table">
            <thead>
              <tr>
                <th>Name</th><th>Token</th><th>Status</th><th>Created</th><th>Created by</th><th>Last used</th>
                <th className="num">Proxies</th><th>Services</th>{canManage ? <th className="actions"><span className="visually-hidden">Actions</span></th> : null}
              </tr>
            </thead>
            <tbody>
              {q.isPending ? <LoadingRows columns={canManage ? 9 : 8} rows={2} /> : (q.data ?? []).map((t) => (
                <tr key={t.id} className={t.revokedAt ? 'dim' : undefined} data-testid="token-row">
                  <td>{t.name}</td>
                  <td className="mono">{t.prefix}…</td>
                  <td>{t.revokedAt ? <span className="badge warn" title={`Revoked ${new Date(t.revokedAt).toLocaleString()}`}>revoked</span> : <span className="badge ok">active</span>}</td>
                  <td><Time value={t.createdAt} /></td>
                  <td>{t.createdBy ?? '—'}</td>
                  <td><Time value={t.lastUsedAt} relative /></td>
                  <td className="num">{t.proxies}</td>
                  <td className="mono" data-testid="token-services">
                    {t.services.includes('*') ? <span className="badge" title="This token may report for, and fetch the policy of, every service">all services (*)</span> : t.services.join(', ')}
                  </td>
                  {canManage ? (
                    <td className="actions">
                      {t.revokedAt ? null : (
                        <button className="btn small danger" onClick={() => { revoke.reset(); setRevoking({ id: t.id, name: t.name }); }}>
                          Revoke<span className="visually-hidden"> {t.name}</span>
                        </button>
                      )}
                    </td>
                  ) : null}
                </tr>
              ))}
            </tbody>
          </table>
          {q.data?.length === 0 ? (
            <Empty title="No proxy tokens yet">
              {canManage ? 'Create one (Create token, at the top of this page) for each cluster or proxy that will send telemetry.' : 'An admin creates tokens for proxies to send telemetry.'}
            </Empty>
          ) : null}
        </div>
      )}
      <ConfirmWithReason
        open={revoking !== null}
        title="Revoke proxy token"
        description={<>Proxies using <strong>{revoking?.name}</strong> will be refused from now on (within 5 seconds on every console replica). This cannot be undone.</>}
        confirmLabel="Revoke token"
        danger
        pending={revoke.isPending}
        error={revoke.error?.message}
        onCancel={() => setRevoking(null)}
        onConfirm={(reason) => revoking && revoke.mutate({ tokenId: revoking.id, reason })}
      />
    </section>
  );
}
