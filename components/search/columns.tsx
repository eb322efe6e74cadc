import type { ReactNode } from 'react';
import { ClassBadge } from '@/components/dataflow/class-badge';
import { bytes, ms } from '@/components/ui/format';
import type { EventRow } from '@/server/search/events';

/** The table's columns: the event fields an export can carry too (the same ids). */
export const COLUMN_IDS = [
  'ts', 'method', 'path', 'status', 'caller', 'service', 'endpoint', 'clientAddress', 'user', 'token', 'userAgent', 'bytesOut',
  'bytesIn', 'durationMs', 'sensitive', 'proxy', 'cluster', 'namespace', 'requestId',
] as const;
export type ColumnId = (typeof COLUMN_IDS)[number];

export const DEFAULT_COLUMNS: ColumnId[] = ['ts', 'method', 'path', 'status', 'caller', 'service', 'clientAddress', 'user', 'sensitive'];

export interface Column {
  id: ColumnId;
  label: string;
  /** px; the table lays out fixed so virtual rows line up. `flex`: takes what is left, at least this */
  width: number;
  flex?: boolean;
  align?: 'right';
  render: (r: EventRow, zone: TimeZoneMode) => ReactNode;
  /** the plain text of the cell, for its title (long values are cut) */
  text?: (r: EventRow) => string;
}

export type TimeZoneMode = 'local' | 'utc';

const pad = (n: number, w = 2) => String(n).padStart(w, '0');
/** `2026-12-06 15:04:05.123`, in the browser's zone or UTC */
export function stamp(iso: string, zone: TimeZoneMode): string {
  const d = new Date(iso);
  if (zone === 'utc') return `${iso.slice(0, 10)} ${iso.slice(11, 23)}`;
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())} ${pad(d.getHours())}:${pad(d.getMinutes())}:${pad(d.getSeconds())}.${pad(d.getMilliseconds(), 3)}`;
}

const dash = (v: string | null) => v ?? '—';
const statusClass = (s: number) => (s >= 500 ? 'danger-text' : s >= 400 ? 'warn-text' : undefined);

export const COLUMNS: Record<ColumnId, Column> = {
  // month-day and time: the year is in the detail and the title
  ts: { id: 'ts', label: 'Time', width: 172, render: (r, z) => <span className="mono">{stamp(r.ts, z).slice(5)}</span>, text: (r) => r.ts },
  method: { id: 'method', label: 'Method', width: 68, render: (r) => <span className="method">{r.method}</span> },
  path: { id: 'path', label: 'Path', width: 200, flex: true, render: (r) => <span className="mono">{r.path}</span>, text: (r) => r.path },
  status: { id: 'status', label: 'Status', width: 58, align: 'right', render: (r) => <span className={statusClass(r.status)}>{r.status}</span> },
  caller: { id: 'caller', label: 'Caller', width: 130, render: (r) => r.caller, text: (r) => r.caller },
  service: { id: 'service', label: 'Service', width: 130, render: (r) => r.service, text: (r) => r.service },
  endpoint: { id: 'endpoint', label: 'Endpoint', width: 240, render: (r) => <span className="mono">{r.endpoint}</span>, text: (r) => r.endpoint },
  clientAddress: { id: 'clientAddress', label: 'Client address', width: 122, render: (r) => <span className="mono">{dash(r.clientAddress)}</span> },
  user: { id: 'user', label: 'User', width: 130, render: (r) => dash(r.user), text: (r) => dash(r.user) },
  token: { id: 'token', label: 'Token', width: 140, render: (r) => <span className="mono">{dash(r.token)}</span>, text: (r) => dash(r.token) },
  userAgent: { id: 'userAgent', label: 'User agent', width: 220, render: (r) => dash(r.userAgent), text: (r) => dash(r.userAgent) },
  bytesOut: { id: 'bytesOut', label: 'Bytes out', width: 88, align: 'right', render: (r) => (r.bytesOut === null ? '—' : bytes(r.bytesOut)) },
  bytesIn: { id: 'bytesIn', label: 'Bytes in', width: 88, align: 'right', render: (r) => (r.bytesIn === null ? '—' : bytes(r.bytesIn)) },
  durationMs: { id: 'durationMs', label: 'Duration', width: 84, align: 'right', render: (r) => ms(r.durationMs) },
  sensitive: {
    id: 'sensitive',
    label: 'Sensitive data',
    width: 130,
    render: (r) => (r.sensitive.length ? <span className="badges">{[...new Set(r.sensitive.map((s) => s.class))].map((c) => <ClassBadge key={c} name={c} />)}</span> : <span className="faint">—</span>),
    text: (r) => r.sensitive.map((s) => `${s.class} ×${s.count} (${s.direction})`).join(', '),
  },
  proxy: { id: 'proxy', label: 'Proxy', width: 150, render: (r) => <span className="mono">{r.proxy}</span>, text: (r) => r.proxy },
  cluster: { id: 'cluster', label: 'Cluster', width: 110, render: (r) => dash(r.cluster) },
  namespace: { id: 'namespace', label: 'Namespace', width: 120, render: (r) => dash(r.namespace) },
  requestId: { id: 'requestId', label: 'Request id', width: 200, render: (r) => <span className="mono">{r.requestId}</span>, text: (r) => r.requestId },
};
