// Stray requests that match no true template of their service (for any method): scanner probes,
// and real requests with one literal segment changed — a version most often (`/rest/api/2` →
// `/rest/api/2s`, `/v3` → `/v3x`), else a typo in a word (`/orders` → `/odrers`, `/Orders`).
// Picked in proportion to traffic, so the busiest paths get most of the mutations; each is sent
// once, sometimes two or three times.
import { Prng } from './prng';
import { noiseStatus } from './request-status';
import { normPath, normTemplate, route } from './scorer';
import type { ServiceTraffic, TrafficLine } from './service-traffic';
import { SCANNER_PROBES } from './word-lists';

/** Share of probes among noise lines (the rest are mutations of real paths). */
export const PROBE_SHARE = 0.35;

const VERSIONISH = /^(v\d+[a-z0-9]*|\d+(\.\d+)*|\d{4}-\d{2}(-\d{2})?)$/i;
const LOWER = 'abcdefghijklmnopqrstuvwxyz';

export function isVersionLike(seg: string): boolean {
  return VERSIONISH.test(seg);
}

/** One changed copy of a literal segment (never the same text). */
export function mutateSegment(seg: string, rng: Prng): string {
  if (isVersionLike(seg)) {
    const how = rng.byWeight([['append', 6], ['digit', 2], ['prefix', 2]] as const);
    if (how === 'digit' && /\d/.test(seg)) {
      const at = [...seg].map((c, i) => (/\d/.test(c) ? i : -1)).filter((i) => i >= 0);
      const i = rng.one(at);
      const d = String((Number(seg[i]) + rng.between(1, 9)) % 10);
      return seg.slice(0, i) + d + seg.slice(i + 1);
    }
    if (how === 'prefix') return seg.startsWith('v') || seg.startsWith('V') ? seg.slice(1) + rng.string(LOWER, 1) : `v${seg}`;
    return seg + rng.string(LOWER, 1);
  }
  const how = rng.byWeight([['swap', 3], ['drop', 2], ['double', 2], ['case', 2], ['plural', 2], ['suffix', 1]] as const);
  if (seg.length >= 3 && how === 'swap') {
    const i = rng.between(0, seg.length - 2);
    if (seg[i] !== seg[i + 1]) return seg.slice(0, i) + seg[i + 1] + seg[i] + seg.slice(i + 2);
  }
  if (seg.length >= 4 && how === 'drop') {
    const i = rng.between(1, seg.length - 1);
    return seg.slice(0, i) + seg.slice(i + 1);
  }
  if (how === 'double') {
    const i = rng.between(0, seg.length - 1);
    return seg.slice(0, i + 1) + seg.slice(i);
  }
  if (how === 'case' && /[a-z]/.test(seg[0] ?? '')) return seg[0].toUpperCase() + seg.slice(1);
  if (how === 'plural') return seg.endsWith('s') && seg.length > 2 ? seg.slice(0, -1) : `${seg}s`;
  return seg + rng.one(['.bak', '~', '.old', '_', '.php']);
}

/** True when `p` matches some true template of the service, for any method. */
function known(t: ServiceTraffic, p: string): boolean {
  const n = normPath(p);
  for (const r of t.routers.values()) if (route(r, n) !== null) return true;
  return false;
}

/** A changed copy of a real request's path, or null when none of the tries matched nothing. */
function mutation(t: ServiceTraffic, real: TrafficLine, rng: Prng): string | null {
  const segs = normPath(real.path).split('/');
  const tsegs = normTemplate(real.template!).split('/');
  const spots: (readonly [number, number])[] = [];
  for (let i = 1; i < tsegs.length; i++) {
    if (tsegs[i] === '' || tsegs[i].includes('{}')) continue;
    spots.push([i, isVersionLike(tsegs[i]) ? 5 : 1] as const);
  }
  if (!spots.length) return null;
  for (let attempt = 0; attempt < 6; attempt++) {
    const i = rng.byWeight(spots);
    const copy = [...segs];
    copy[i] = mutateSegment(segs[i], rng);
    const p = copy.join('/');
    if (copy[i] !== segs[i] && !known(t, p)) return p;
  }
  return null;
}

/** `n` noise lines for service `t` (repeats of one stray path count towards `n`). */
export function serviceNoise(t: ServiceTraffic, n: number, seed: string): TrafficLine[] {
  const rng = new Prng('apidisc2', 'noise', seed, t.api.id);
  const real = t.lines.filter((l) => l.kind === 'request');
  const out: TrafficLine[] = [];
  for (let guard = 0; out.length < n && guard < n * 20; guard++) {
    const probe = rng.chance(PROBE_SHARE);
    const from = rng.one(real);
    const p = probe ? rng.one(SCANNER_PROBES) : mutation(t, from, rng);
    if (p === null || (probe && known(t, p))) continue;
    const method = probe ? rng.byWeight([['GET', 80], ['POST', 15], ['HEAD', 5]] as const) : rng.chance(0.85) ? from.method : rng.one(['GET', 'POST', 'PUT', 'DELETE']);
    const repeats = Math.min(n - out.length, rng.byWeight([[1, 16], [2, 3], [3, 1]] as const));
    const status = noiseStatus(rng);
    for (let k = 0; k < repeats; k++) out.push({ service: t.api.id, method, path: p, status, kind: probe ? 'noise-probe' : 'noise-mutation', template: null });
  }
  return out;
}
