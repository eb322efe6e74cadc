'use client';

import Link from 'next/link';
import { useEffect, useRef } from 'react';
import { ClassBadge, Direction } from '@/components/dataflow/class-badge';
import { graphHref, tokenHref, windowQuery } from '@/components/dataflow/links';
import { bytes, ms } from '@/components/ui/format';
import type { EventRow } from '@/server/search/events';
import { stamp, type TimeZoneMode } from './columns';
import { pivotsOf } from './pivots';
import { around, clause, searchHref } from './search-url';

/** A field of the event with actions: add it to the query, or exclude it. */
function Field({ name, label, value, shown, onFilter }: {
  name: string | null;
  label: string;
  value: string | null;
  shown?: React.ReactNode;
  onFilter: (q: string) => void;
}) {
  return (
    <>
      <dt>{label}</dt>
      <dd>
        <span className="detail-value">{value === null ? <span className="faint">—</span> : shown ?? value}</span>
        {name && value !== null ? (
          <span className="detail-actions">
            <button type="button" className="btn tiny" title={`Only events with ${label.toLowerCase()} ${value}`} aria-label={`Filter on ${label.toLowerCase()}`} onClick={() => onFilter(clause(name, value))}>+</button>
            <button type="button" className="btn tiny" title={`Leave out events with ${label.toLowerCase()} ${value}`} aria-label={`Exclude ${label.toLowerCase()}`} onClick={() => onFilter(`NOT ${clause(name, value)}`)}>−</button>
          </span>
        ) : null}
      </dd>
    </>
  );
}

/**
 * One event, every field of it, and where to go from it: pivots into search around it,
 * filters from its values into the current query, and the graph and token views.
 */
export function EventDetail({ row, zone, onClose, onFilter }: {
  row: EventRow;
  zone: TimeZoneMode;
  onClose: () => void;
  onFilter: (clause: string) => void;
}) {
  const closeRef = useRef<HTMLButtonElement>(null);
  useEffect(() => {
    closeRef.current?.focus();
    const onKey = (e: KeyboardEvent) => {
      if (e.key === 'Escape' && !document.querySelector('dialog[open]')) onClose();
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, [row.key, onClose]);
  const win = around(row.ts);
  const rangeQuery = windowQuery(win.from.getTime(), win.to.getTime());
  return (
    <aside className="search-detail card" aria-labelledby="event-title" data-testid="event-detail">
      <div className="card-head">
        <h2 id="event-title" className="ellipsis">
          <span className="method">{row.method}</span> <span className="mono">{row.path}</span>
        </h2>
        <button ref={closeRef} type="button" className="btn small" onClick={onClose} aria-label="Close event">Close</button>
      </div>
      <div className="card-body stack">
        <section aria-labelledby="pivot-title">
          <h3 id="pivot-title" className="mini-title">Pivot ±5 min</h3>
          <div className="pivot-links">
            {pivotsOf(row).map((p) => (
              <Link key={p.label} className="btn small" href={searchHref(p.q, win)} title={p.q}>{p.label}</Link>
            ))}
          </div>
        </section>
        <dl className="kv detail-kv">
          <Field name={null} label="Time" value={stamp(row.ts, zone)} shown={<span className="mono">{stamp(row.ts, zone)} {zone === 'utc' ? 'UTC' : ''}</span>} onFilter={onFilter} />
          <Field name="status" label="Status" value={String(row.status)} onFilter={onFilter} />
          <Field name="method" label="Method" value={row.method} onFilter={onFilter} />
          <Field name="path" label="Path" value={row.path} shown={<span className="mono wrap">{row.path}</span>} onFilter={onFilter} />
          <Field name="endpoint" label="Endpoint" value={row.endpoint} shown={<span className="mono wrap">{row.endpoint}</span>} onFilter={onFilter} />
          <Field name="caller" label="Caller" value={row.caller} onFilter={onFilter} />
          <Field name="service" label="Service" value={row.service} onFilter={onFilter} />
          <Field name="client.address" label="Client address" value={row.clientAddress} shown={<span className="mono">{row.clientAddress}</span>} onFilter={onFilter} />
          <Field name="user" label="User" value={row.user} onFilter={onFilter} />
          <Field name="token" label="Token" value={row.token} shown={row.token ? <Link className="mono" href={tokenHref(rangeQuery, row.token)}>{row.token}</Link> : null} onFilter={onFilter} />
          <Field name="user_agent" label="User agent" value={row.userAgent} shown={<span className="wrap">{row.userAgent}</span>} onFilter={onFilter} />
          <Field name={null} label="Bytes in / out" value={`${row.bytesIn === null ? '—' : bytes(row.bytesIn)} / ${row.bytesOut === null ? '—' : bytes(row.bytesOut)}`} onFilter={onFilter} />
          <Field name={null} label="Duration" value={ms(row.durationMs)} onFilter={onFilter} />
          <Field name="proxy" label="Proxy" value={row.proxy} shown={<span className="mono">{row.proxy}</span>} onFilter={onFilter} />
          <Field name="cluster" label="Cluster" value={row.cluster} onFilter={onFilter} />
          <Field name="namespace" label="Namespace" value={row.namespace} onFilter={onFilter} />
          <Field name={null} label="Request id" value={row.requestId} shown={<span className="mono wrap">{row.requestId}</span>} onFilter={onFilter} />
        </dl>
        <section aria-labelledby="sensitive-title">
          <h3 id="sensitive-title" className="mini-title">Sensitive data</h3>
          {row.sensitive.length ? (
            <ul className="mini-list detail-sensitive">
              {row.sensitive.map((s) => (
                <li key={`${s.class}-${s.direction}`}>
                  <ClassBadge name={s.class} />
                  <span>×{s.count}</span>
                  {s.direction === 'request' || s.direction === 'response' ? <Direction value={s.direction} /> : <span className="faint">{s.direction}</span>}
                  <button type="button" className="btn tiny" aria-label={`Filter on class ${s.class}`} onClick={() => onFilter(clause('class', s.class))}>+</button>
                </li>
              ))}
            </ul>
          ) : <p className="faint small">None reported for this event.</p>}
        </section>
        <p className="small">
          <Link href={graphHref(rangeQuery, { src: row.caller, dst: row.service })}>This edge in the service graph →</Link>
        </p>
      </div>
    </aside>
  );
}
