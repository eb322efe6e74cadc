// HyperLogLog (Flajolet et al. 2007, with the small-range correction): how many distinct client
// addresses hit an endpoint in a window, in 2^p bytes however many there were. Sketches of
// consecutive periods merge into the sketch of the whole window, so spread over 5 min, 30 min and
// longer comes from the same per-period sketches.
import { hash32 } from '@/server/discovery/distinct-sketch';

export const HLL_P = 10;

export class HyperLogLog {
  readonly registers: Uint8Array;

  constructor(readonly p: number = HLL_P) {
    this.registers = new Uint8Array(1 << p);
  }

  add(value: string): void {
    this.addHash(hash32(value));
  }

  addHash(h: number): void {
    const idx = h >>> (32 - this.p);
    // rank of the first set bit of the remaining bits (1-based), capped when they are all zero
    const rest = (h << this.p) >>> 0;
    const rank = rest === 0 ? 33 - this.p : Math.clz32(rest) + 1;
    if (rank > this.registers[idx]) this.registers[idx] = rank;
  }

  merge(other: HyperLogLog): void {
    if (other.p !== this.p) throw new Error('HyperLogLog: precisions differ');
    const r = this.registers;
    const o = other.registers;
    for (let i = 0; i < r.length; i++) if (o[i] > r[i]) r[i] = o[i];
  }

  clear(): void {
    this.registers.fill(0);
  }

  estimate(): number {
    const m = this.registers.length;
    let sum = 0;
    let zeros = 0;
    for (let i = 0; i < m; i++) {
      const v = this.registers[i];
      sum += 2 ** -v;
      if (v === 0) zeros++;
    }
    const alpha = m >= 128 ? 0.7213 / (1 + 1.079 / m) : m === 64 ? 0.709 : m === 32 ? 0.697 : 0.673;
    const raw = (alpha * m * m) / sum;
    // linear counting where the raw estimate is biased (few distinct values)
    if (raw <= 2.5 * m && zeros > 0) return m * Math.log(m / zeros);
    return raw;
  }
}

/** Merges sketches into a fresh one (the inputs are left as they are). */
export function mergedEstimate(sketches: readonly (HyperLogLog | null | undefined)[], p: number = HLL_P): number {
  const out = new HyperLogLog(p);
  for (const s of sketches) if (s) out.merge(s);
  return out.estimate();
}
