'use client';

import { keepPreviousData, useQuery } from '@tanstack/react-query';
import { useEffect, useRef, useState, type FormEvent } from 'react';
import { useTRPC } from '@/components/trpc';
import { Empty, ErrorState, LoadingRows } from '@/components/ui/states';
import { Time } from '@/components/ui/time';
import { Pager } from '@/components/ui/pager';
import { CsvDownload } from '@/components/ui/csv-download';
import { useEarlyInput } from '@/components/ui/use-early-input';
import { RolloutBadge } from '@/components/policies/rollout-badge';
import {
  FIRST_DIR, PROXY_PAGE_SIZES, UNSET, type ProxyList, type ProxyListQuery, type ProxySort,
} from '@/server/fleet/proxy-list-input';
import { FleetStats } from './fleet-stats';
import { useFleetParams, type FilterKey } from './use-fleet-params';

const COLUMNS = 10;
/** how long typing in the search box waits before it asks the server */
const TYPING_MS = 300;

const ROLLOUT_LABEL: Record<string, string> = {
  current: 'current',
  pending: 'applying',
  outdated: 'outdated',
  none: 'no published policy',
};

/** The fleet's figures and its proxies: filtered, sorted and paged on the server, the view in the URL. */
export function FleetProxies() {
  const trpc = useTRPC();
  const params = useFleetParams();
  const q = useQuery(trpc.fleet.proxies.queryOptions(params.query, { refetchInterval: 10_000, placeholderData: keepPreviousData }));
  return (
    <>
      <FleetStats fleet={q.data?.fleet} />
      <section className="card" aria-labelledby="proxies-title">
        <div className="card-head">
          <h2 id="proxies-title">Proxies</h2>
          <span className="muted">newest contact first unless sorted by a column</span>
          <CsvDownload table="fleet-proxies" input={params.query} label="proxies" />
        </div>
        <ProxyFilters query={params.query} facets={q.data?.facets} filtered={params.filtered} onFilter={params.setFilter} onClear={params.clearFilters} />
        {q.isError ? <ErrorState error={q.error} onRetry={() => q.refetch()} /> : (
          <ProxyRows
            data={q.data}
            busy={q.isFetching && q.isPlaceholderData}
            query={params.query}
            filtered={params.filtered}
            onSort={params.setSort}
            onClear={params.clearFilters}
          />
        )}
        {q.data && q.data.total > 0 ? (
          <Pager
            summary={<PageSummary data={q.data} filtered={params.filtered} onPageSize={params.setPageSize} />}
            page={q.data.page}
            pages={Math.max(1, Math.ceil(q.data.total / q.data.pageSize))}
            onPage={params.setPage}
          />
        ) : null}
      </section>
    </>
  );
}

function ProxyFilters({ query, facets, filtered, onFilter, onClear }: {
  query: ProxyListQuery;
  facets: ProxyList['facets'] | undefined;
  filtered: boolean;
  onFilter: (key: FilterKey, value: string | null) => void;
  onClear: () => void;
}) {
  // The search box keeps what is typed; the URL (and the query) follow a moment later.
  const [text, setText] = useState(query.q ?? '');
  const sent = useRef(query.q ?? '');
  useEffect(() => {
    // changed from outside (back button, "Clear filters"): show it
    if ((query.q ?? '') !== sent.current) {
      sent.current = query.q ?? '';
      setText(sent.current);
    }
  }, [query.q]);
  const send = (v: string) => {
    if (v.trim() === sent.current) return;
    sent.current = v.trim();
    onFilter('q', v.trim() || null);
  };
  useEffect(() => {
    const t = setTimeout(() => send(text), TYPING_MS);
    return () => clearTimeout(t);
  }, [text]); // eslint-disable-line react-hooks/exhaustive-deps -- on typing only; the URL update reads the address itself
  // what was typed or picked before hydration counts too
  const searchBox = useRef<HTMLInputElement>(null);
  const healthBox = useRef<HTMLSelectElement>(null);
  const rolloutBox = useRef<HTMLSelectElement>(null);
  useEarlyInput(searchBox, query.q ?? '', setText);
  useEarlyInput(healthBox, query.health ?? '', (v) => onFilter('health', v || null));
  useEarlyInput(rolloutBox, query.rollout ?? '', (v) => onFilter('rollout', v || null));
  const submit = (e: FormEvent) => {
    e.preventDefault();
    send(text);
  };

  const select = (key: Extract<FilterKey, 'version' | 'cluster' | 'revision'>, label: string, any: string, values: ProxyList['facets']['versions'] | undefined) => {
    const current = query[key];
    const options = [...(values ?? [])];
    // a value from a shared link that no proxy has any more still shows as chosen
    // (its count unknown until the facets load)
    if (current && !options.some((o) => (o.value ?? UNSET) === current)) options.unshift({ value: current === UNSET ? null : current, proxies: values ? 0 : -1 });
    return (
      <div className="field">
        <label htmlFor={`proxy-${key}`}>{label}</label>
        <select id={`proxy-${key}`} className="select" value={current ?? ''} onChange={(e) => onFilter(key, e.target.value || null)}>
          <option value="">{any}</option>
          {options.map((o) => (
            <option key={o.value ?? UNSET} value={o.value ?? UNSET}>{o.value ?? 'not reported'}{o.proxies >= 0 ? ` (${o.proxies})` : ''}</option>
          ))}
        </select>
      </div>
    );
  };

  return (
    <form className="filters" role="search" aria-label="Proxy filters" onSubmit={submit}>
      <div className="field">
        <label htmlFor="proxy-search">Search proxies</label>
        <input ref={searchBox} id="proxy-search" className="input" type="search" value={text} maxLength={200}
          placeholder="id, service, cluster, node…" onChange={(e) => setText(e.target.value)} style={{ width: 220 }} />
      </div>
      <div className="field">
        <label htmlFor="proxy-health">Health</label>
        <select ref={healthBox} id="proxy-health" className="select" value={query.health ?? ''} onChange={(e) => onFilter('health', e.target.value || null)}>
          <option value="">any</option>
          <option value="reporting">reporting</option>
          <option value="silent">silent</option>
        </select>
      </div>
      {select('version', 'Version', 'any version', facets?.versions)}
      {select('cluster', 'Cluster', 'any cluster', facets?.clusters)}
      {select('revision', 'Policy revision', 'any revision', facets?.revisions)}
      <div className="field">
        <label htmlFor="proxy-rollout">Policy state</label>
        <select ref={rolloutBox} id="proxy-rollout" className="select" value={query.rollout ?? ''} onChange={(e) => onFilter('rollout', e.target.value || null)}
          title="Against the newest published revision of the proxy's service">
          <option value="">any</option>
          {Object.entries(ROLLOUT_LABEL).map(([v, label]) => <option key={v} value={v}>{label}</option>)}
        </select>
      </div>
      {filtered ? <button type="button" className="btn" onClick={onClear}>Clear filters</button> : null}
    </form>
  );
}

function ProxyRows({ data, busy, query, filtered, onSort, onClear }: {
  data: ProxyList | undefined;
  busy: boolean;
  query: ProxyListQuery;
  filtered: boolean;
  onSort: (sort: ProxySort, dir: 'asc' | 'desc') => void;
  onClear: () => void;
}) {
  const header = (key: ProxySort, label: string) => {
    const active = query.sort === key;
    const next = active ? (query.dir === 'desc' ? 'asc' : 'desc') : FIRST_DIR[key];
    return (
      <th aria-sort={active ? (query.dir === 'asc' ? 'ascending' : 'descending') : 'none'}>
        <button type="button" className="sort-button" onClick={() => onSort(key, next)} title={`Sort by ${label.toLowerCase()}`}>
          {label}<span className="sort-mark" aria-hidden="true">{active ? (query.dir === 'asc' ? '▲' : '▼') : '↕'}</span>
        </button>
      </th>
    );
  };
  const rows = data?.rows ?? [];
  return (
    <div className="table-wrap">
      <table className="table" aria-busy={busy || undefined}>
        <thead>
          <tr>
            {header('name', 'Proxy')}{header('health', 'Health')}<th>Service</th>{header('cluster', 'Cluster')}<th>Node</th>{header('version', 'Version')}
            <th><abbr title="Policy revision the proxy last applied (and the classifier set its content filter applied)">Policy rev.</abbr></th>{header('lastSeen', 'Last seen')}<th className="num">Events/min</th><th>Token</th>
          </tr>
        </thead>
        <tbody>
          {!data ? <LoadingRows columns={COLUMNS} /> : rows.map((p) => (
            <tr key={p.id} data-testid="proxy-row">
              <td className="mono proxy-id">{p.id}</td>
              <td>
                {p.silent
                  ? <span className="badge danger" title={`No contact for more than ${2 * p.intervalS}s (heartbeat every ${p.intervalS}s)`}>silent</span>
                  : <span className="badge ok">reporting</span>}
              </td>
              <td>{p.service ?? <span className="faint">—</span>}</td>
              <td className="nowrap">{p.cluster ?? <span className="faint">—</span>}</td>
              <td className="ellipsis proxy-node" title={p.node ?? undefined}>{p.node ?? <span className="faint">—</span>}</td>
              <td className="mono nowrap">{p.version ?? <span className="faint">—</span>}</td>
              <td className="mono nowrap">
                {p.policyRevision ?? <span className="faint">none</span>}
                {p.rollout !== 'none' ? <> <RolloutBadge state={p.rollout} /></> : null}
                {p.classifierRevision !== null ? <div className="faint small" title="Classifier set revision the content filter applied">classifiers r{p.classifierRevision}</div> : null}
              </td>
              <td className="nowrap"><Time value={p.lastSeenAt} relative /></td>
              <td className="num">{p.eventsPerMin.toLocaleString(undefined, { minimumFractionDigits: 1, maximumFractionDigits: 1 })}</td>
              <td className="proxy-token"><span className="ellipsis" title={p.tokenName ?? undefined}>{p.tokenName ?? <span className="faint">—</span>}</span>{p.tokenRevoked ? <> <span className="badge warn">revoked</span></> : null}</td>
            </tr>
          ))}
        </tbody>
      </table>
      {data && data.total === 0 ? (
        data.fleet.proxies > 0 || filtered ? (
          <Empty title="No proxy matches these filters">
            <p style={{ margin: '4px 0 10px' }}>{data.fleet.proxies.toLocaleString()} prox{data.fleet.proxies === 1 ? 'y' : 'ies'} in the fleet; none with all of these.</p>
            <button type="button" className="btn small" onClick={onClear}>Clear filters</button>
          </Empty>
        ) : (
          <Empty title="No proxies have reported yet">
            Create a proxy token (Create token, at the top of this page) and point a proxy&apos;s OpenTelemetry access logger at <code>/v1/logs</code>.
          </Empty>
        )
      ) : null}
    </div>
  );
}

function PageSummary({ data, filtered, onPageSize }: { data: ProxyList; filtered: boolean; onPageSize: (size: number) => void }) {
  const from = data.page * data.pageSize + 1;
  const to = Math.min(data.total, from + data.rows.length - 1);
  return (
    <span className="row" style={{ gap: 12 }}>
      <span data-testid="proxy-count">
        {from.toLocaleString()}–{to.toLocaleString()} of {data.total.toLocaleString()} prox{data.total === 1 ? 'y' : 'ies'}
        {filtered ? <> matching, {data.fleet.proxies.toLocaleString()} in the fleet</> : null}
      </span>
      <label className="row" style={{ gap: 6 }}>
        Per page
        <select className="select" value={data.pageSize} onChange={(e) => onPageSize(Number(e.target.value))} style={{ width: 'auto' }}>
          {PROXY_PAGE_SIZES.map((n) => <option key={n} value={n}>{n}</option>)}
        </select>
      </label>
    </span>
  );
}
