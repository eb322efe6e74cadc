/** Figures for dense tables and tiles: short, fixed rules, the same everywhere. */

/** 950 · 12.4k · 3.1M */
export function compact(n: number): string {
  const abs = Math.abs(n);
  if (abs < 1000) return String(Math.round(n));
  const [div, unit] = abs < 1e6 ? [1e3, 'k'] : abs < 1e9 ? [1e6, 'M'] : [1e9, 'B'];
  const v = n / div;
  return `${Math.abs(v) < 10 ? v.toFixed(1) : Math.round(v)}${unit}`;
}

/** Full figure with thousands separators, for tooltips and tables. */
export const full = (n: number) => Math.round(n).toLocaleString('en-US');

/** 0 % · 0.04 % · 2.5 % · 31 % */
export function percent(ratio: number): string {
  const p = ratio * 100;
  if (p === 0) return '0%';
  if (p < 0.01) return '<0.01%';
  if (p < 1) return `${p.toFixed(2)}%`;
  if (p < 10) return `${p.toFixed(1)}%`;
  return `${Math.round(p)}%`;
}

/** 0.8 ms · 14 ms · 1.24 s */
export function ms(v: number | null | undefined): string {
  if (v === null || v === undefined) return '—';
  if (v === 0) return '0 ms';
  if (v < 1) return `${v.toFixed(2)} ms`;
  if (v < 10) return `${v.toFixed(1)} ms`;
  if (v < 1000) return `${Math.round(v)} ms`;
  return `${(v / 1000).toFixed(v < 10_000 ? 2 : 1)} s`;
}

/** 820 B · 14 kB · 3.1 MB */
export function bytes(n: number): string {
  const units = ['B', 'kB', 'MB', 'GB', 'TB'];
  let v = n;
  let i = 0;
  while (v >= 1000 && i < units.length - 1) {
    v /= 1000;
    i++;
  }
  return `${i === 0 ? Math.round(v) : v < 10 ? v.toFixed(1) : Math.round(v)} ${units[i]}`;
}

/** 0.4/s · 12/s · 1.2k/s */
export function perSecond(v: number): string {
  if (v === 0) return '0/s';
  if (v < 10) return `${v.toFixed(1)}/s`;
  return `${compact(v)}/s`;
}
