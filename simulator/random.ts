import { Prng } from './prng';

export { Prng };

/**
 * A 32-bit seed from a run seed and labels (FNV-1a, then a murmur finaliser). Every random
 * decision of the simulator draws from a Prng seeded this way by *what* it decides (a slot, a
 * session, an attack instance), never by how far the generator has got: the same seed and
 * window then give the same events however the work is batched.
 */
export function seedOf(...parts: (string | number)[]): number {
  let h = 0x811c9dc5;
  for (const part of parts) {
    const s = String(part);
    for (let i = 0; i < s.length; i++) h = Math.imul(h ^ s.charCodeAt(i), 0x01000193);
    h = Math.imul(h ^ 0x1f, 0x01000193); // separator, so ('ab','c') differs from ('a','bc')
  }
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return h >>> 0;
}

export const rng = (...parts: (string | number)[]) => new Prng(seedOf(...parts));

/** integer in [lo, hi] */
export const between = (r: Prng, lo: number, hi: number) => lo + r.int(hi - lo + 1);

/** Poisson-distributed count (Knuth for small means, a rounded normal beyond). */
export function poisson(r: Prng, mean: number): number {
  if (mean <= 0) return 0;
  if (mean > 50) return Math.max(0, Math.round(mean + Math.sqrt(mean) * normal(r)));
  const limit = Math.exp(-mean);
  let k = 0;
  for (let p = r.next(); p > limit; p *= r.next()) k++;
  return k;
}

export function normal(r: Prng): number {
  const u = Math.max(r.next(), 1e-12);
  return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * r.next());
}

/** Log-normal around `median`; `sigma` 0.5 is a moderate spread, 1 a heavy tail. */
export const lognormal = (r: Prng, median: number, sigma: number) => median * Math.exp(sigma * normal(r));

export const exponential = (r: Prng, mean: number) => -mean * Math.log(Math.max(r.next(), 1e-12));

/** Index sampler over [0, n) with P(i) ∝ 1/(i+1)^s: a few hot items, a long tail. */
export function zipf(n: number, s = 1.1): (r: Prng) => number {
  const cdf = new Float64Array(n);
  let acc = 0;
  for (let i = 0; i < n; i++) cdf[i] = acc += 1 / Math.pow(i + 1, s);
  return (r) => {
    const x = r.next() * acc;
    let lo = 0;
    let hi = n - 1;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (cdf[mid] < x) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  };
}

export function shuffle<T>(r: Prng, items: T[]): T[] {
  for (let i = items.length - 1; i > 0; i--) {
    const j = r.int(i + 1);
    [items[i], items[j]] = [items[j], items[i]];
  }
  return items;
}

const BYTE_HEX = Array.from({ length: 256 }, (_, i) => i.toString(16).padStart(2, '0'));

/** `n` random hex digits, eight per draw (a table, not toString(16), which is slow for numbers beyond 2^31). */
export function hex(r: Prng, n: number): string {
  let s = '';
  while (s.length < n) {
    const x = Math.floor(r.next() * 0x1_0000_0000);
    s += BYTE_HEX[x & 0xff] + BYTE_HEX[(x >>> 8) & 0xff] + BYTE_HEX[(x >>> 16) & 0xff] + BYTE_HEX[x >>> 24];
  }
  return s.length === n ? s : s.slice(0, n);
}

export function uuid(r: Prng): string {
  const h = hex(r, 32);
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-4${h.slice(13, 16)}-${'89ab'[r.int(4)]}${h.slice(17, 20)}-${h.slice(20)}`;
}

const ALNUM = 'abcdefghijklmnopqrstuvwxyz0123456789';
export function alnum(r: Prng, n: number, alphabet = ALNUM): string {
  let s = '';
  for (let i = 0; i < n; i++) s += alphabet[r.int(alphabet.length)];
  return s;
}
