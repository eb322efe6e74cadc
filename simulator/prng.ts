import { mulberry32 } from '@/lib/prng';

/** A small seeded PRNG (mulberry32): the same seed gives the same traffic on every run. */
export class Prng {
  private readonly step: () => number;

  constructor(seed: number) {
    this.step = mulberry32(seed);
  }

  /** uniform in [0, 1) */
  next(): number {
    return this.step();
  }

  /** integer in [0, n) */
  int(n: number): number {
    return Math.floor(this.next() * n);
  }

  /** true with probability p */
  chance(p: number): boolean {
    return this.next() < p;
  }

  pick<T>(items: readonly T[]): T {
    return items[this.int(items.length)];
  }

  /** one of `items`, chosen by the weight paired with each */
  weighted<T>(items: readonly (readonly [T, number])[]): T {
    let r = this.next() * items.reduce((s, [, w]) => s + w, 0);
    for (const [item, w] of items) if ((r -= w) < 0) return item;
    return items[items.length - 1][0];
  }

  bytes(n: number): Uint8Array {
    const out = new Uint8Array(n);
    for (let i = 0; i < n; i++) out[i] = this.int(256);
    return out;
  }
}
