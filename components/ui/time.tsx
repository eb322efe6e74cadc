'use client';

import { formatWall } from '@/lib/time-zone';
import { useDisplayZone } from './display-zone';

/** A UTC instant shown in the display zone (the browser's, or UTC with `tz=utc`), with the exact ISO time on hover. */
export function Time({ value, relative = false }: { value: Date | string | null | undefined; relative?: boolean }) {
  const zone = useDisplayZone();
  if (!value) return <span className="faint">—</span>;
  const d = typeof value === 'string' ? new Date(value) : value;
  const text = relative ? ago(d) : localStamp(d, zone);
  return (
    <time dateTime={d.toISOString()} title={`${d.toISOString()} (UTC)`} style={{ whiteSpace: 'nowrap' }}>
      {text}
    </time>
  );
}

export function ago(d: Date, now = Date.now()): string {
  const s = Math.round((now - d.getTime()) / 1000);
  if (s < 0) return 'in the future';
  if (s < 5) return 'just now';
  if (s < 60) return `${s}s ago`;
  if (s < 3600) return `${Math.floor(s / 60)}m ago`;
  if (s < 86_400) return `${Math.floor(s / 3600)}h ago`;
  return `${Math.floor(s / 86_400)}d ago`;
}

const pad = (n: number) => String(n).padStart(2, '0');

/** `2026-11-23 14:05:09` in the browser's zone (or `zone`, from useDisplayZone): sortable, unambiguous, one line in a table. */
export function localStamp(d: Date, zone?: string): string {
  if (zone) return formatWall(d.getTime(), zone, true);
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())} ${pad(d.getHours())}:${pad(d.getMinutes())}:${pad(d.getSeconds())}`;
}
