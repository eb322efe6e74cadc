'use client';

import { keepPreviousData, useQuery } from '@tanstack/react-query';
import { useState } from 'react';
import { useTRPC } from '@/components/trpc';
import { Pager } from '@/components/ui/pager';
import { ErrorState, LoadingRows } from '@/components/ui/states';
import type { ActorType } from '@/lib/enums';
import { ActorChip } from './badges';
import { ACTOR_LABEL } from './words';

const PAGE = 25;

/** Every actor of the incident, most implicated first, a page at a time (a botnet names hundreds). */
export function ActorsPanel({ id, canAct, onDeny }: { id: string; canAct: boolean; onDeny: (a: { type: ActorType; id: string }) => void }) {
  const trpc = useTRPC();
  const [page, setPage] = useState(0);
  const q = useQuery(trpc.detections.actors.queryOptions({ id, offset: page * PAGE, limit: PAGE }, { placeholderData: keepPreviousData }));
  const total = q.data?.total ?? 0;
  const pages = Math.max(1, Math.ceil(total / PAGE));
  if (q.isError) return <ErrorState error={q.error} onRetry={() => q.refetch()} />;
  return (
    <>
      <div className="table-wrap">
        <table className="table compact-table">
          <thead><tr><th className="num">#</th><th>Type</th><th>Actor</th>{canAct ? <th className="actions"><span className="visually-hidden">Actions</span></th> : null}</tr></thead>
          <tbody>
            {q.isPending ? <LoadingRows columns={canAct ? 4 : 3} rows={5} /> : q.data.rows.map((a) => (
              <tr key={`${a.type}:${a.id}`} data-testid="actor-row">
                <td className="num faint">{a.rank + 1}</td>
                <td className="muted nowrap">{ACTOR_LABEL[a.type] ?? a.type}</td>
                <td><ActorChip type={a.type} id={a.id} /></td>
                {canAct ? (
                  <td className="actions">
                    {a.type === 'service'
                      ? <span className="faint small" title="A calling service is governed by the whitelist: change its allow rules on the policy page">whitelist</span>
                      : <button type="button" className="btn small danger" onClick={() => onDeny({ type: a.type, id: a.id })} aria-label={`Deny ${a.id}`}>Deny…</button>}
                  </td>
                ) : null}
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      {pages > 1 ? <Pager summary={`${total.toLocaleString()} actors`} page={page} pages={pages} onPage={setPage} /> : null}
    </>
  );
}
