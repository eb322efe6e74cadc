'use client';

import Link from 'next/link';
import { useState } from 'react';
import { ErrorRate } from '@/components/overview/error-rate';
import { bytes, compact, full } from '@/components/ui/format';
import { Empty, LoadingRows } from '@/components/ui/states';
import type { TimeRangeState } from '@/components/ui/use-time-range';
import type { TokenActivity } from '@/server/traffic/token-activity';
import { ClassBadge, Direction } from './class-badge';
import { dataHref, graphHref } from './links';
import { ShareBar } from './share-bar';
import { Pager } from '@/components/ui/pager';

interface Props {
  activity: TokenActivity | undefined;
  pending: boolean;
  range: TimeRangeState;
}

/** The classes the token's traffic carried, by direction. */
export function TokenClasses({ activity, pending, range }: Props) {
  const classes = activity?.classes ?? [];
  const max = Math.max(0, ...classes.map((c) => c.matches));
  return (
    <section className="card" aria-labelledby="token-classes-title">
      <div className="card-head"><h2 id="token-classes-title">Sensitive data it touched</h2><span className="muted">by class and direction</span></div>
      <div className="table-wrap">
        <table className="table compact-table">
          <thead><tr><th>Class</th><th>Direction</th><th className="num">Matches</th><th className="num">Events</th></tr></thead>
          <tbody>
            {pending ? <LoadingRows columns={4} rows={3} /> : classes.map((c) => (
              <tr key={`${c.class}|${c.direction}`} data-testid="token-class">
                <td><Link href={dataHref(range.query, c.class)} title={`All flows of ${c.class}`}><ClassBadge name={c.class} /></Link></td>
                <td><Direction value={c.direction} /></td>
                <td className="num"><ShareBar value={c.matches} max={max} label="matches" /></td>
                <td className="num">{full(c.events)}</td>
              </tr>
            ))}
          </tbody>
        </table>
        {!pending && classes.length === 0 ? <Empty title="No sensitive data in this token's traffic in this range" /> : null}
      </div>
    </section>
  );
}

/** The edges (caller → service) the token was used on. */
export function TokenEdges({ activity, pending, range }: Props) {
  const edges = activity?.edges ?? [];
  const max = Math.max(0, ...edges.map((e) => e.requests));
  return (
    <section className="card" aria-labelledby="token-edges-title">
      <div className="card-head"><h2 id="token-edges-title">Services and edges</h2><span className="muted">where it was used</span></div>
      <div className="table-wrap">
        <table className="table compact-table">
          <thead><tr><th>Edge</th><th className="num">Requests</th><th className="num">5xx rate</th><th className="num">4xx</th><th className="num">Routes</th></tr></thead>
          <tbody>
            {pending ? <LoadingRows columns={5} rows={3} /> : edges.map((e) => (
              <tr key={`${e.src}|${e.dst}`} data-testid="token-edge">
                <td className="edge-cell">
                  <Link href={graphHref(range.query, { src: e.src, dst: e.dst })} title="Open this edge in the service graph">
                    <span className="svc">{e.src}</span><span className="arrow" aria-label="to"> → </span><span className="svc">{e.dst}</span>
                  </Link>
                </td>
                <td className="num"><ShareBar value={e.requests} max={max} label="requests" /></td>
                <td className="num"><ErrorRate value={e.errors / Math.max(1, e.requests)} title={`${full(e.errors)} 5xx`} /></td>
                <td className="num">{compact(e.clientErrors)}</td>
                <td className="num">{e.routes}</td>
              </tr>
            ))}
          </tbody>
        </table>
        {!pending && edges.length === 0 ? <Empty title="No requests with this token in this range" /> : null}
      </div>
    </section>
  );
}

const ROUTES_PAGE = 15;

/** Every route (method + coarse path) the token called, busiest first. */
export function TokenRoutes({ activity, pending }: Props) {
  const [page, setPage] = useState(0);
  const routes = activity?.routes ?? [];
  const pages = Math.max(1, Math.ceil(routes.length / ROUTES_PAGE));
  const shown = routes.slice(page * ROUTES_PAGE, (page + 1) * ROUTES_PAGE);
  const max = Math.max(0, ...routes.map((r) => r.requests));
  return (
    <section className="card" aria-labelledby="token-routes-title">
      <div className="card-head">
        <h2 id="token-routes-title">Endpoints called</h2>
        <span className="muted">method and route per edge{activity && activity.routesTotal > routes.length ? ` · busiest ${routes.length} of ${activity.routesTotal}` : ''}</span>
      </div>
      <div className="table-wrap">
        <table className="table compact-table">
          <thead>
            <tr><th>Service</th><th>Endpoint</th><th>Caller</th><th className="num">Requests</th><th className="num">5xx</th><th className="num">4xx</th><th className="num">Bytes out</th></tr>
          </thead>
          <tbody>
            {pending ? <LoadingRows columns={7} rows={4} /> : shown.map((r) => (
              <tr key={`${r.src}|${r.dst}|${r.method}|${r.route}`} data-testid="token-route">
                <td className="nowrap">{r.dst}</td>
                <td className="mono"><span className="method">{r.method}</span> {r.route}</td>
                <td className="muted nowrap">{r.src}</td>
                <td className="num"><ShareBar value={r.requests} max={max} label="requests" /></td>
                <td className="num">{r.errors ? <span className="danger-text">{full(r.errors)}</span> : <span className="faint">0</span>}</td>
                <td className="num">{r.clientErrors ? full(r.clientErrors) : <span className="faint">0</span>}</td>
                <td className="num nowrap">{bytes(r.bytesOut)}</td>
              </tr>
            ))}
          </tbody>
        </table>
        {!pending && routes.length === 0 ? <Empty title="No endpoints called with this token in this range" /> : null}
      </div>
      {pages > 1 ? (
        <Pager summary={`${routes.length} endpoints`} page={page} pages={pages} onPage={setPage} />
      ) : null}
    </section>
  );
}
