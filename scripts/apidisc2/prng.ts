// apidisc2's own randomness: xoshiro128** whose state is filled by splitmix32 from a
// one-at-a-time hash of labels. Every decision draws from a stream named for what it decides
// (`new Prng(seed, 'service', id)`), so adding a service or a shape does not shift the others.

/** Jenkins' one-at-a-time hash of a label (32 bits). */
export function labelHash(label: string): number {
  let h = 0x2545f491;
  for (let i = 0; i < label.length; i++) {
    h = (h + label.charCodeAt(i)) | 0;
    h = (h + (h << 10)) | 0;
    h ^= h >>> 6;
  }
  h = (h + (h << 3)) | 0;
  h ^= h >>> 11;
  h = (h + (h << 15)) | 0;
  return h >>> 0;
}

/** One splitmix32 step: the next state and its output. */
function splitmix32(state: number): [number, number] {
  const next = (state + 0x9e3779b9) | 0;
  let z = next;
  z = Math.imul(z ^ (z >>> 16), 0x85ebca6b);
  z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35);
  return [next, (z ^ (z >>> 16)) >>> 0];
}

const rotl = (x: number, k: number) => (x << k) | (x >>> (32 - k));

export type Weighted<T> = readonly (readonly [T, number])[];

export class Prng {
  private s0: number;
  private s1: number;
  private s2: number;
  private s3: number;

  constructor(...labels: (string | number)[]) {
    let st = labelHash(labels.join('\u00a7'));
    const out: number[] = [];
    for (let i = 0; i < 4; i++) {
      let v: number;
      [st, v] = splitmix32(st);
      out.push(v);
    }
    [this.s0, this.s1, this.s2, this.s3] = out;
    if ((this.s0 | this.s1 | this.s2 | this.s3) === 0) this.s0 = 1;
  }

  /** 32 random bits (xoshiro128**). */
  bits(): number {
    const result = Math.imul(rotl(Math.imul(this.s1, 5), 7), 9) >>> 0;
    const t = this.s1 << 9;
    this.s2 ^= this.s0;
    this.s3 ^= this.s1;
    this.s1 ^= this.s2;
    this.s0 ^= this.s3;
    this.s2 ^= t;
    this.s3 = rotl(this.s3, 11);
    return result;
  }

  /** uniform in [0, 1) with 32 bits */
  unit(): number {
    return this.bits() / 0x1_0000_0000;
  }

  /** integer in [lo, hi], both included */
  between(lo: number, hi: number): number {
    return lo + Math.floor(this.unit() * (hi - lo + 1));
  }

  chance(p: number): boolean {
    return this.unit() < p;
  }

  one<T>(xs: readonly T[]): T {
    return xs[Math.floor(this.unit() * xs.length)];
  }

  byWeight<T>(table: Weighted<T>): T {
    let total = 0;
    for (const [, w] of table) total += w;
    let x = this.unit() * total;
    for (const [v, w] of table) {
      x -= w;
      if (x < 0) return v;
    }
    return table[table.length - 1][0];
  }

  /** standard normal, Box–Muller (one of the pair) */
  gauss(): number {
    const u = 1 - this.unit();
    return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * this.unit());
  }

  /** Fisher–Yates, in place, returning the array */
  permute<T>(xs: T[]): T[] {
    for (let i = 0; i < xs.length - 1; i++) {
      const j = i + Math.floor(this.unit() * (xs.length - i));
      const x = xs[i];
      xs[i] = xs[j];
      xs[j] = x;
    }
    return xs;
  }

  /** `n` characters drawn from `alphabet` */
  string(alphabet: string, n: number): string {
    let s = '';
    for (let i = 0; i < n; i++) s += alphabet[Math.floor(this.unit() * alphabet.length)];
    return s;
  }
}
