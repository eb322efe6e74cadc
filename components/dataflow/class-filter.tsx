'use client';

import { useQuery } from '@tanstack/react-query';
import { useTRPC } from '@/components/trpc';
import { compact, full } from '@/components/ui/format';
import { ErrorState } from '@/components/ui/states';
import type { TimeRangeState } from '@/components/ui/use-time-range';
import { classColorVar } from './class-badge';
import { liveOptions } from './live';

/** The classes seen in the range, with their volume; choosing one filters the view (`?class=`). */
export function ClassFilter({ range, value, onChange }: { range: TimeRangeState; value?: string; onChange: (c: string | null) => void }) {
  const trpc = useTRPC();
  const q = useQuery(trpc.dataflow.classes.queryOptions({ range: range.input }, liveOptions(range)));
  if (q.isError) return <div className="card"><ErrorState error={q.error} onRetry={() => q.refetch()} /></div>;
  const classes = q.data ?? [];
  const total = classes.reduce((s, c) => s + c.matches, 0);
  // A class from the URL that has no traffic in this range still shows, so it can be cleared.
  const shown = value && !classes.some((c) => c.class === value)
    ? [...classes, { class: value, matches: 0, requestMatches: 0, responseMatches: 0, events: 0, edges: 0 }]
    : classes;
  return (
    <div className="class-filter" role="group" aria-label="Filter by sensitive-data class">
      <button type="button" className="class-chip" aria-pressed={!value} onClick={() => onChange(null)}>
        <span className="class-chip-name">All classes</span>
        <span className="class-chip-value">{q.isPending ? '…' : compact(total)}</span>
        <span className="class-chip-sub">{q.isPending ? '' : `${classes.length} ${classes.length === 1 ? 'class' : 'classes'}`}</span>
      </button>
      {shown.map((c) => (
        <button
          key={c.class}
          type="button"
          className="class-chip"
          aria-pressed={value === c.class}
          style={{ ['--class-color' as string]: classColorVar(c.class) }}
          title={`${full(c.matches)} matches in ${full(c.events)} events on ${c.edges} edges: ${full(c.responseMatches)} in responses, ${full(c.requestMatches)} in requests`}
          onClick={() => onChange(value === c.class ? null : c.class)}
          data-testid="class-chip"
        >
          <span className="class-chip-name mono">{c.class}</span>
          <span className="class-chip-value">{compact(c.matches)}</span>
          <span className="class-chip-sub">{c.edges} {c.edges === 1 ? 'edge' : 'edges'} · {total ? Math.round((c.responseMatches / Math.max(1, c.matches)) * 100) : 0}% out</span>
        </button>
      ))}
    </div>
  );
}
