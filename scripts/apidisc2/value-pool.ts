// Values of one parameter in one service, reused with a Zipf–Mandelbrot skew: P(rank k) ∝
// 1/(k+q)^s over `size` ranks, with s, q and size drawn per pool, so some pools have a few hot
// values and others spread over thousands. The value at a rank is made from its own stream
// (pool label + rank), so it does not depend on the order of draws.
import { shapeMaker, type Shape, type ValueMaker } from './id-shapes';
import { Prng } from './prng';
import type { ValuePlan } from './shape-choice';

export interface RankSampler {
  (rng: Prng): number;
}

/** Inverse of the continuous Zipf–Mandelbrot CDF on [0, size), floored to a rank. */
export function zipfMandelbrot(size: number, s: number, q: number): RankSampler {
  if (Math.abs(s - 1) < 1e-9) {
    const a = Math.log(q), b = Math.log(size + q);
    return (rng) => Math.min(size - 1, Math.floor(Math.exp(a + rng.unit() * (b - a)) - q));
  }
  const e = 1 - s;
  const a = Math.pow(q, e), b = Math.pow(size + q, e);
  return (rng) => Math.min(size - 1, Math.floor(Math.pow(a + rng.unit() * (b - a), 1 / e) - q));
}

export class ValuePool {
  private readonly ranks: RankSampler;
  private readonly cache = new Map<number, string>();
  private readonly makers: { main: ValueMaker; second: ValueMaker } | null;
  readonly shapeAt: (rank: number) => Shape | 'enum';

  constructor(
    private readonly label: string,
    private readonly plan: ValuePlan,
  ) {
    const rng = new Prng('apidisc2', 'pool', label);
    if (plan.kind === 'enum') {
      this.ranks = zipfMandelbrot(plan.values.length, 0.8 + rng.unit() * 0.6, 1 + rng.unit() * 2);
      this.makers = null;
      this.shapeAt = () => 'enum';
    } else {
      const size = Math.round(Math.exp(Math.log(150) + rng.unit() * Math.log(20_000 / 150)));
      this.ranks = zipfMandelbrot(size, 0.7 + rng.unit() * 0.8, 0.5 + rng.unit() * 4.5);
      this.makers = { main: shapeMaker(plan.main, rng, plan.noun), second: shapeMaker(plan.second, rng, plan.noun) };
      const p = plan;
      this.shapeAt = (rank) => (new Prng('apidisc2', 'pool-pick', label, rank).unit() < p.secondShare ? p.second : p.main);
    }
  }

  /** The value at `rank` (ranks past the pool's size are fresh values). */
  at(rank: number): string {
    if (this.plan.kind === 'enum') return this.plan.values[rank % this.plan.values.length];
    let v = this.cache.get(rank);
    if (v === undefined) {
      const rng = new Prng('apidisc2', 'value', this.label, rank);
      v = (this.shapeAt(rank) === this.plan.second ? this.makers!.second : this.makers!.main)(rng);
      this.cache.set(rank, v);
    }
    return v;
  }

  /** A reused value, hot ranks most often. */
  draw(rng: Prng): string {
    return this.at(this.ranks(rng));
  }

  /** A value no draw returns (for retries): past every rank. */
  fresh(n: number): string {
    return this.at(1_000_000 + n);
  }
}
