'use client';

/** A UTC instant shown in the browser's time zone, with the exact ISO time on hover. */
export function Time({ value, relative = false }: { value: Date | string | null | undefined; relative?: boolean }) {
  if (!value) return <span className="faint">—</span>;
  const d = typeof value === 'string' ? new Date(value) : value;
  const text = relative ? ago(d) : d.toLocaleString(undefined, { dateStyle: 'medium', timeStyle: 'medium' });
  return (
    <time dateTime={d.toISOString()} title={d.toISOString()}>
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
