'use client';

import { useQuery } from '@tanstack/react-query';
import { useTRPC } from '@/components/trpc';

export function VerifyChain() {
  const trpc = useTRPC();
  const q = useQuery(trpc.audit.verify.queryOptions(undefined, { enabled: false, staleTime: 0 }));
  const r = q.data;
  return (
    <section className="card" aria-labelledby="verify-title">
      <div className="card-head">
        <h2 id="verify-title">Integrity</h2>
        <button className="btn" onClick={() => q.refetch()} disabled={q.isFetching}>{q.isFetching ? 'Verifying…' : 'Verify hash chain'}</button>
      </div>
      <div className="card-body" aria-live="polite">
        {q.isError ? <div className="alert error" role="alert">Verification could not run: {q.error.message}</div>
          : !r ? <span className="muted">Each entry carries a SHA-256 over the previous one. Verify recomputes the whole chain and names the first entry that was altered, removed or reordered.</span>
          : r.ok ? <div className="alert ok" data-testid="verify-result">Chain intact: {r.checked.toLocaleString()} entries verified.</div>
          : <div className="alert error" role="alert" data-testid="verify-result">Chain broken at entry {r.brokenAt}: {r.problem}. {r.checked.toLocaleString()} entries before it verified.</div>}
      </div>
    </section>
  );
}
