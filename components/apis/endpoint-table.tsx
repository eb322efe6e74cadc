'use client';

import Link from 'next/link';
import { ClassBadge } from '@/components/dataflow/class-badge';
import { Empty, LoadingRows } from '@/components/ui/states';
import { Time } from '@/components/ui/time';
import type { EndpointRow } from '@/server/discovery/schemas';
import { StateBadge, TemplateText } from './state-badge';

/** The inventory rows, with a checkbox each for bulk review when the person may review. */
export function EndpointTable({
  rows, pending, selectable, selected, onToggle, onToggleAll, showService, filtered, backQuery,
}: {
  rows: EndpointRow[];
  pending: boolean;
  selectable: boolean;
  selected: Set<string>;
  onToggle: (id: string) => void;
  onToggleAll: (on: boolean) => void;
  showService: boolean;
  filtered: boolean;
  backQuery: string;
}) {
  const all = rows.length > 0 && rows.every((r) => selected.has(r.id));
  const columns = 8 + (selectable ? 1 : 0) + (showService ? 1 : 0);
  return (
    <div className="table-wrap">
      <table className="table endpoint-table">
        <thead>
          <tr>
            {selectable ? (
              <th className="check-col">
                <input type="checkbox" aria-label="Select all endpoints on this page" checked={all} onChange={(e) => onToggleAll(e.target.checked)} />
              </th>
            ) : null}
            {showService ? <th>Service</th> : null}
            <th>Endpoint</th>
            <th>State</th>
            <th>Parameters</th>
            <th>Sensitive</th>
            <th className="num">Callers</th>
            <th className="num">Calls</th>
            <th>Learned</th>
            <th>Last seen</th>
          </tr>
        </thead>
        <tbody>
          {pending ? <LoadingRows columns={columns} rows={8} /> : rows.map((e) => (
            <tr key={e.id} data-testid="endpoint-row" className={selected.has(e.id) ? 'selected' : undefined}>
              {selectable ? (
                <td className="check-col">
                  <input type="checkbox" aria-label={`Select ${e.method} ${e.template}`} checked={selected.has(e.id)} onChange={() => onToggle(e.id)} />
                </td>
              ) : null}
              {showService ? <td className="mono nowrap">{e.service}</td> : null}
              <td className="endpoint-cell">
                <Link href={`/apis/${encodeURIComponent(e.id)}${backQuery ? `?back=${encodeURIComponent(backQuery)}` : ''}`} className="endpoint-link">
                  <span className="method">{e.method}</span> <TemplateText template={e.template} />
                </Link>
                {e.origin === 'manual' ? <span className="badge plain" title="made by an analyst's merge or split" style={{ marginLeft: 6 }}>manual</span> : null}
              </td>
              <td><StateBadge state={e.state} changed={e.changed} reason={e.changedReason} /></td>
              <td className="nowrap">
                {e.params.length === 0 ? <span className="faint">—</span> : e.params.map((p) => (
                  <span key={p.name} className="param-chip mono" title={`{${p.name}}: ${p.type}`}>{p.type}</span>
                ))}
              </td>
              <td>
                {e.sensitiveClasses.length === 0 ? <span className="faint">—</span> : (
                  <span className="badges">{e.sensitiveClasses.map((c) => <ClassBadge key={c} name={c} />)}</span>
                )}
              </td>
              <td className="num">{e.callers}</td>
              <td className="num">{e.calls.toLocaleString()}</td>
              <td><Time value={e.createdAt} relative /></td>
              <td><Time value={e.lastSeenAt} relative /></td>
            </tr>
          ))}
        </tbody>
      </table>
      {!pending && rows.length === 0 ? (
        filtered ? <Empty title="No endpoint matches these filters">Clear a filter or pick another service.</Empty> : (
          <Empty title="No endpoints learned yet">
            Meshward learns each service&apos;s API from the traffic its proxies report; endpoints appear here within a minute of the first requests.
          </Empty>
        )
      ) : null}
    </div>
  );
}
