'use client';

import { useQuery } from '@tanstack/react-query';
import Link from 'next/link';
import { liveOptions } from '@/components/dataflow/live';
import { useTRPC } from '@/components/trpc';
import { ErrorState } from '@/components/ui/states';
import type { TimeRangeState } from '@/components/ui/use-time-range';
import { SEVERITIES } from '@/lib/enums';
import { SEVERITY_LABEL } from '@/components/detections/words';

/** Open detections in the range by severity; each count opens the queue filtered to it. */
export function OpenDetections({ range }: { range: TimeRangeState }) {
  const trpc = useTRPC();
  const q = useQuery(trpc.detections.summary.queryOptions({ range: range.input }, liveOptions(range)));
  if (q.isError) return <div className="card"><ErrorState error={q.error} onRetry={() => q.refetch()} /></div>;
  const by = q.data?.bySeverity;
  return (
    <section className="card open-detections" aria-labelledby="open-det-title">
      <div className="card-head">
        <h2 id="open-det-title">Open detections by severity</h2>
        <Link className="card-link" href={`/detections?state=open&${range.query}`}>Open the queue →</Link>
      </div>
      <div className="severity-strip" data-testid="open-detections">
        {SEVERITIES.slice().reverse().map((s) => (
          <Link key={s} href={`/detections?state=open&severity=${s}&${range.query}`} className={`severity-count sev-${s}${by && by[s] > 0 ? ' some' : ''}`} data-testid={`open-${s}`}>
            <span className="severity-name">{SEVERITY_LABEL[s]}</span>
            <span className="severity-value">{by ? by[s].toLocaleString() : '…'}</span>
          </Link>
        ))}
      </div>
    </section>
  );
}
