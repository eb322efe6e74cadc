// Numbers as a person reads them in an explanation line.

/** A share as a percentage with as many digits as it needs to be non-zero: "12 %", "0.3 %", "0.0004 %". */
export function pct(share: number): string {
  const p = share * 100;
  if (p === 0) return '0 %';
  if (p >= 10) return `${Math.round(p)} %`;
  if (p >= 1) return `${p.toFixed(1).replace(/\.0$/, '')} %`;
  const digits = Math.min(8, Math.max(1, Math.ceil(-Math.log10(p)) + 1));
  return `${Number(p.toFixed(digits)).toString()} %`;
}

/** A (decayed, so fractional) count as a whole number with thousands separators. */
export function count(n: number): string {
  return String(Math.round(n)).replace(/\B(?=(\d{3})+(?!\d))/g, ',');
}

/** A duration for a person: milliseconds under a tenth of a second ("0.0 s" said nothing), then seconds, then minutes. */
export function seconds(ms: number): string {
  if (ms < 100) return `${Math.max(0, Math.round(ms))} ms`;
  const s = ms / 1000;
  if (s < 10) return `${s.toFixed(1)} s`;
  if (s < 120) return `${Math.round(s)} s`;
  return `${(s / 60).toFixed(1)} min`;
}

export const clamp01 = (x: number) => (x < 0 ? 0 : x > 1 ? 1 : x);

/** Independent pieces of evidence, each a probability-like strength, combined (noisy-or). */
export function combine(...strengths: number[]): number {
  let miss = 1;
  for (const s of strengths) miss *= 1 - clamp01(s);
  return 1 - miss;
}
