// What sessions of each kind of client usually look like: distributions of their unexplained
// surprise (by length), of their per-step log-likelihood, and of their distance to the usual
// behaviours. A session is judged by where it falls in its own kind's distribution, so a kind
// whose sessions are naturally varied (browsers) is not held to an app's narrow paths.
import { TailHistogram } from './tail';

/** 1, 2–3, 4–7, 8–15, 16+ steps */
export const LENGTH_BUCKETS = 5;
export const lengthBucket = (steps: number) => Math.min(LENGTH_BUCKETS - 1, Math.floor(Math.log2(Math.max(1, steps))));
export const BUCKET_LABEL = ['1 step', '2–3 steps', '4–7 steps', '8–15 steps', '16+ steps'];

/** a kind's own distribution is used once it holds this many session parts */
const MIN_OWN = 300;
/** kinds with their own distributions at most (~10 kB each); others share the pooled one */
const MAX_KINDS = 512;

interface KindStats {
  excess: TailHistogram[];
  /** all lengths together: the shape of the kind's tail when one length has too few parts */
  excessAll: TailHistogram;
  perStep: TailHistogram;
  distance: TailHistogram;
}

const newStats = (): KindStats => ({
  excess: Array.from({ length: LENGTH_BUCKETS }, () => new TailHistogram(0.5, 400)),
  excessAll: new TailHistogram(0.5, 400),
  perStep: new TailHistogram(0.05, 400),
  distance: new TailHistogram(0.01, 101),
});

export class SessionPopulation {
  private readonly kinds = new Map<string, KindStats>();
  private readonly pooled = newStats();

  private own(kind: string): KindStats | null {
    let s = this.kinds.get(kind);
    if (!s && this.kinds.size < MAX_KINDS) this.kinds.set(kind, (s = newStats()));
    return s ?? null;
  }

  /** A finished session part: its unexplained surprise, mean surprise per step, distance to the clusters (null: too short). */
  add(kind: string, steps: number, excess: number, perStep: number, distance: number | null): void {
    const b = lengthBucket(steps);
    const own = this.own(kind);
    for (const s of own ? [own, this.pooled] : [this.pooled]) {
      s.excess[b].add(excess);
      s.excessAll.add(excess);
      s.perStep.add(perStep);
      if (distance !== null) s.distance.add(distance);
    }
  }

  private pick(kind: string, get: (s: KindStats) => TailHistogram): TailHistogram {
    const s = this.kinds.get(kind);
    const h = s && get(s);
    return h && h.total >= MIN_OWN ? h : get(this.pooled);
  }

  /**
   * The distribution a part of this length is judged in: its kind's parts of the same length,
   * else all parts of that length. Never shorter ones: a long session has more room for the
   * unusual, and comparing it with short ones would flag long sessions for being long.
   */
  excess(kind: string, steps: number): TailHistogram {
    const b = lengthBucket(steps);
    const own = this.kinds.get(kind)?.excess[b];
    return own && own.total >= MIN_OWN ? own : this.pooled.excess[b];
  }

  /** How rare this much unexplained surprise is for a part of this kind and length. */
  excessTail(kind: string, steps: number, excess: number): number {
    const shape = this.kinds.get(kind)?.excessAll.scale() ?? this.pooled.excessAll.scale() ?? 1;
    return this.excess(kind, steps).tail(excess, shape);
  }

  perStep(kind: string): TailHistogram {
    return this.pick(kind, (s) => s.perStep);
  }

  distance(kind: string): TailHistogram {
    return this.pick(kind, (s) => s.distance);
  }

  /** session parts of this kind seen (decayed) */
  sessions(kind: string): number {
    return this.kinds.get(kind)?.perStep.total ?? 0;
  }

  decay(factor: number): void {
    for (const s of [...this.kinds.values(), this.pooled]) {
      for (const h of s.excess) h.decay(factor);
      s.excessAll.decay(factor);
      s.perStep.decay(factor);
      s.distance.decay(factor);
    }
  }
}
