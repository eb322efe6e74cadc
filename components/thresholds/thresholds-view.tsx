'use client';

import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { usePathname, useRouter, useSearchParams } from 'next/navigation';
import { useState } from 'react';
import { useTRPC } from '@/components/trpc';
import { ConfirmWithReason } from '@/components/ui/confirm-with-reason';
import { ErrorState } from '@/components/ui/states';
import { AllowList } from './allow-list';
import { Suppressions } from './suppressions';
import { ThresholdEditor } from './threshold-editor';
import { ThresholdsTable } from './thresholds-table';
import { GLOBAL } from './types';

/** `/settings/thresholds`: thresholds in force, the editor with its backtest (admins), the allow-list and suppressions. */
export function ThresholdsView({ isAdmin, canTriage }: { isAdmin: boolean; canTriage: boolean }) {
  const trpc = useTRPC();
  const qc = useQueryClient();
  const params = useSearchParams();
  const router = useRouter();
  const pathname = usePathname();
  const scope = params.get('scope') || GLOBAL;
  const setScope = (s: string) => router.replace(s === GLOBAL ? pathname : `${pathname}?scope=${encodeURIComponent(s)}`, { scroll: false });
  const q = useQuery(trpc.thresholds.list.queryOptions());
  const services = useQuery(trpc.apis.services.queryOptions(undefined, { staleTime: 60_000 }));
  const [removing, setRemoving] = useState<string | null>(null);
  const remove = useMutation(trpc.thresholds.remove.mutationOptions({
    onSuccess: () => { setRemoving(null); setScope(GLOBAL); void qc.invalidateQueries({ queryKey: trpc.thresholds.pathKey() }); },
  }));
  return (
    <div className="page stack">
      <div className="page-head">
        <div>
          <h1>Suspicion thresholds</h1>
          <p>The score at which a detection is raised and at which denying its actors is proposed, globally and per service, and how far each window&apos;s features must stray from their baseline to count.{isAdmin ? '' : ' Admins change them.'}</p>
        </div>
      </div>
      <section className="card" aria-labelledby="inforce-title">
        <div className="card-head"><h2 id="inforce-title">In force</h2></div>
        {q.isError ? <ErrorState error={q.error} onRetry={() => q.refetch()} />
          : q.data ? <ThresholdsTable list={q.data} canEdit={isAdmin} onEdit={setScope} onRemove={setRemoving} />
          : <div className="card-body"><div className="skeleton" /></div>}
      </section>
      {isAdmin && q.data ? <ThresholdEditor key={scope} list={q.data} scope={scope} onScope={setScope} services={(services.data ?? []).map((s) => s.service)} /> : null}
      <AllowList canEdit={isAdmin} />
      <Suppressions canLift={canTriage} />
      <ConfirmWithReason open={removing !== null} title={`Use the global thresholds for ${removing ?? ''}`}
        description={<p>The service&apos;s own thresholds are removed; the global ones apply to it from now on.</p>}
        confirmLabel="Use global" danger pending={remove.isPending} error={remove.error?.message ?? null}
        onCancel={() => { remove.reset(); setRemoving(null); }} onConfirm={(reason) => removing && remove.mutate({ service: removing, reason })} />
    </div>
  );
}
