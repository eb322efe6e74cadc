'use client';

import { useQuery } from '@tanstack/react-query';
import Link from 'next/link';
import { graphHref } from '@/components/dataflow/links';
import { liveOptions } from '@/components/dataflow/live';
import { ShareBar } from '@/components/dataflow/share-bar';
import { useTRPC } from '@/components/trpc';
import { CsvDownload } from '@/components/ui/csv-download';
import { full, ms } from '@/components/ui/format';
import { Empty, ErrorState, LoadingRows } from '@/components/ui/states';
import type { TimeRangeState } from '@/components/ui/use-time-range';
import { ErrorRate } from './error-rate';

const SHOWN = 8;

const talkersInput = (range: TimeRangeState) => ({ range: range.input, limit: SHOWN });

function useTalkers(range: TimeRangeState) {
  const trpc = useTRPC();
  return useQuery(trpc.overview.topTalkers.queryOptions(talkersInput(range), liveOptions(range)));
}

const noTraffic = (
  <Empty title="No traffic in this range">
    Widen the range, or check that proxies report in <Link href="/fleet">Fleet</Link>.
  </Empty>
);

/** The busiest edges; each opens the graph focused on it. */
export function TopEdges({ range }: { range: TimeRangeState }) {
  const q = useTalkers(range);
  const edges = q.data?.edges ?? [];
  const max = edges[0]?.requests ?? 0;
  return (
    <section className="card" aria-labelledby="top-edges-title">
      <div className="card-head">
        <h2 id="top-edges-title">Top edges</h2>
        <span className="muted">by requests</span>
        <CsvDownload table="top-edges" input={talkersInput(range)} label="top edges" />
      </div>
      {q.isError ? <ErrorState error={q.error} onRetry={() => q.refetch()} /> : (
        <div className="table-wrap">
          <table className="table compact-table">
            <thead><tr><th>Edge</th><th className="num">Requests</th><th className="num">5xx rate</th><th className="num">p95</th></tr></thead>
            <tbody>
              {q.isPending ? <LoadingRows columns={4} rows={SHOWN} /> : edges.map((e) => (
                <tr key={`${e.src}|${e.dst}`} data-testid="top-edge">
                  <td className="edge-cell">
                    <Link href={graphHref(range.query, { src: e.src, dst: e.dst })} title={`Open ${e.src} → ${e.dst} in the service graph`}>
                      <span className="svc">{e.src}</span><span className="arrow" aria-label="to"> → </span><span className="svc">{e.dst}</span>
                    </Link>
                  </td>
                  <td className="num"><ShareBar value={e.requests} max={max} label="requests" /></td>
                  <td className="num"><ErrorRate value={e.errorRate} title={`${full(e.errors)} 5xx · ${full(e.clientErrors)} 4xx`} /></td>
                  <td className="num nowrap">{ms(e.p95)}</td>
                </tr>
              ))}
            </tbody>
          </table>
          {q.isSuccess && edges.length === 0 ? noTraffic : null}
        </div>
      )}
    </section>
  );
}

/** The services that served the most requests; each opens the graph focused on it. */
export function TopServices({ range }: { range: TimeRangeState }) {
  const q = useTalkers(range);
  const services = q.data?.services ?? [];
  const max = services[0]?.requests ?? 0;
  return (
    <section className="card" aria-labelledby="top-services-title">
      <div className="card-head">
        <h2 id="top-services-title">Top services</h2>
        <span className="muted">by requests served</span>
        <CsvDownload table="top-services" input={talkersInput(range)} label="top services" />
      </div>
      {q.isError ? <ErrorState error={q.error} onRetry={() => q.refetch()} /> : (
        <div className="table-wrap">
          <table className="table compact-table">
            <thead><tr><th>Service</th><th className="num">Requests</th><th className="num">5xx rate</th><th className="num">p95</th></tr></thead>
            <tbody>
              {q.isPending ? <LoadingRows columns={4} rows={SHOWN} /> : services.map((s) => (
                <tr key={s.service} data-testid="top-service">
                  <td className="edge-cell">
                    <Link href={graphHref(range.query, { node: s.service })} title={`Open ${s.service} in the service graph`}><span className="svc">{s.service}</span></Link>
                  </td>
                  <td className="num"><ShareBar value={s.requests} max={max} label="requests" /></td>
                  <td className="num"><ErrorRate value={s.errorRate} title={`${full(s.errors)} 5xx · ${full(s.clientErrors)} 4xx`} /></td>
                  <td className="num nowrap">{ms(s.p95)}</td>
                </tr>
              ))}
            </tbody>
          </table>
          {q.isSuccess && services.length === 0 ? noTraffic : null}
        </div>
      )}
    </section>
  );
}
