'use client';

import { useQuery } from '@tanstack/react-query';
import Link from 'next/link';
import { ClassBadge } from '@/components/dataflow/class-badge';
import { tokenHref } from '@/components/dataflow/links';
import { liveOptions } from '@/components/dataflow/live';
import { useTRPC } from '@/components/trpc';
import { CsvDownload } from '@/components/ui/csv-download';
import { compact, full } from '@/components/ui/format';
import { Empty, ErrorState, LoadingRows } from '@/components/ui/states';
import type { TimeRangeState } from '@/components/ui/use-time-range';

const SHOWN = 7;
const CLASSES_SHOWN = 1;

/** Tokens whose traffic carried the most sensitive data; each opens its token page. */
export function TopTokens({ range }: { range: TimeRangeState }) {
  const trpc = useTRPC();
  const input = { range: range.input, limit: SHOWN };
  const q = useQuery(trpc.overview.topTokens.queryOptions(input, liveOptions(range)));
  const tokens = q.data ?? [];
  return (
    <section className="card top-tokens" aria-labelledby="top-tokens-title">
      <div className="card-head">
        <h2 id="top-tokens-title">Top tokens</h2>
        <span className="muted">by sensitive matches</span>
        <CsvDownload table="top-tokens" input={input} label="top tokens" />
      </div>
      {q.isError ? <ErrorState error={q.error} onRetry={() => q.refetch()} /> : (
        <div className="table-wrap">
          <table className="table compact-table">
            <thead><tr><th>Token</th><th>Classes</th><th className="num">Matches</th><th className="num">Requests</th></tr></thead>
            <tbody>
              {q.isPending ? <LoadingRows columns={4} rows={SHOWN} /> : tokens.map((t) => (
                <tr key={t.tokenId} data-testid="top-token">
                  <td><Link className="mono token-id" href={tokenHref(range.query, t.tokenId)} title={`Open token ${t.tokenId}`}>{t.tokenId}</Link></td>
                  <td>
                    <span className="badges">
                      {t.classes.slice(0, CLASSES_SHOWN).map((c) => <ClassBadge key={c} name={c} />)}
                      {t.classes.length > CLASSES_SHOWN ? <span className="faint" title={t.classes.slice(CLASSES_SHOWN).join(', ')}>+{t.classes.length - CLASSES_SHOWN}</span> : null}
                    </span>
                  </td>
                  <td className="num" title={`${full(t.matches)} matches in ${full(t.events)} events`}>{compact(t.matches)}</td>
                  <td className="num" title={full(t.requests)}>{compact(t.requests)}</td>
                </tr>
              ))}
            </tbody>
          </table>
          {q.isSuccess && tokens.length === 0 ? (
            <Empty title="No token moved sensitive data in this range">Only requests with a token (<code>meshward.token_id</code>) and sensitive matches count here.</Empty>
          ) : null}
        </div>
      )}
    </section>
  );
}
