'use client';

import { useQuery } from '@tanstack/react-query';
import Link from 'next/link';
import { useTRPC } from '@/components/trpc';
import { full } from '@/components/ui/format';
import { Empty, ErrorState, LoadingRows } from '@/components/ui/states';
import type { TimeRangeState } from '@/components/ui/use-time-range';
import type { FlowSort } from '@/server/traffic/dataflow-sorts';
import { ClassBadge, Direction } from './class-badge';
import { graphHref } from './links';
import { liveOptions } from './live';
import { ShareBar } from './share-bar';
import { Pager } from '@/components/ui/pager';
import { CsvDownload } from '@/components/ui/csv-download';

const PAGE_SIZE = 25;

interface Props {
  range: TimeRangeState;
  dataClass?: string;
  sort: FlowSort;
  dir: 'asc' | 'desc';
  page: number;
  onSort: (s: FlowSort, d: 'asc' | 'desc') => void;
  onPage: (p: number) => void;
  onClass: (c: string) => void;
}

/** Which edge carried which class, which way, how much: sorted and paginated on the server. */
export function FlowsTable({ range, dataClass, sort, dir, page, onSort, onPage, onClass }: Props) {
  const trpc = useTRPC();
  const input = { range: range.input, class: dataClass, sort, dir, page, pageSize: PAGE_SIZE };
  const q = useQuery(trpc.dataflow.flows.queryOptions(input, liveOptions(range)));
  const rows = q.data?.rows ?? [];
  const total = q.data?.total ?? 0;
  const pages = Math.max(1, Math.ceil(total / PAGE_SIZE));
  const max = Math.max(0, ...rows.map((r) => r.matches));

  const header = (key: FlowSort, label: string, numeric = false) => {
    const active = sort === key;
    const next = active ? (dir === 'desc' ? 'asc' : 'desc') : numeric ? 'desc' : 'asc';
    return (
      <th className={numeric ? 'num' : undefined} aria-sort={active ? (dir === 'asc' ? 'ascending' : 'descending') : 'none'}>
        <button type="button" className="sort-button" onClick={() => onSort(key, next)}>
          {label}<span className="sort-mark" aria-hidden="true">{active ? (dir === 'asc' ? '▲' : '▼') : '↕'}</span>
        </button>
      </th>
    );
  };

  return (
    <section className="card" aria-labelledby="flows-title">
      <div className="card-head">
        <h2 id="flows-title">Flows</h2>
        <span className="muted">{dataClass ? <>edges that carried <code>{dataClass}</code></> : 'every edge that carried sensitive data'}, per class and direction</span>
        <CsvDownload table="flows" input={input} label="flows" />
      </div>
      {q.isError ? <ErrorState error={q.error} onRetry={() => q.refetch()} /> : (
        <div className="table-wrap">
          <table className="table">
            <thead>
              <tr>
                {header('edge', 'Edge')}
                {header('class', 'Class')}
                <th>Direction</th>
                {header('matches', 'Matches', true)}
                {header('events', 'Events', true)}
                <th className="num"><abbr title="Matches per event that carried the class">Per event</abbr></th>
              </tr>
            </thead>
            <tbody>
              {q.isPending ? <LoadingRows columns={6} rows={8} /> : rows.map((r) => (
                <tr key={`${r.src}|${r.dst}|${r.class}|${r.direction}`} data-testid="flow-row">
                  <td className="edge-cell">
                    <Link href={graphHref(range.query, { src: r.src, dst: r.dst })} title="Open this edge in the service graph">
                      <span className="svc">{r.src}</span><span className="arrow" aria-label="to"> → </span><span className="svc">{r.dst}</span>
                    </Link>
                  </td>
                  <td>
                    {dataClass ? <ClassBadge name={r.class} /> : (
                      <button type="button" className="btn link" onClick={() => onClass(r.class)} title={`Show only ${r.class}`}>
                        <ClassBadge name={r.class} />
                      </button>
                    )}
                  </td>
                  <td><Direction value={r.direction} /></td>
                  <td className="num"><ShareBar value={r.matches} max={max} label="matches" /></td>
                  <td className="num">{full(r.events)}</td>
                  <td className="num">{r.events ? (r.matches / r.events).toFixed(1) : '—'}</td>
                </tr>
              ))}
            </tbody>
          </table>
          {q.isSuccess && rows.length === 0 ? (
            total > 0 ? <Empty title="No rows on this page"><button className="btn small" onClick={() => onPage(0)}>Back to the first page</button></Empty> : (
              <Empty title={dataClass ? `No edge carried ${dataClass} in this range` : 'No sensitive data in this range'}>
                Widen the range{dataClass ? ' or choose another class' : ''}, or check that proxies report in <Link href="/fleet">Fleet</Link>.
              </Empty>
            )
          ) : null}
        </div>
      )}
      {total > 0 ? (
        <Pager
          summary={`${full(Math.min(total, page * PAGE_SIZE + 1))}–${full(Math.min(total, (page + 1) * PAGE_SIZE))} of ${full(total)} flows`}
          page={page} pages={pages} onPage={onPage}
        />
      ) : null}
    </section>
  );
}
