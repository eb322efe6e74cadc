// Counters per event-time minute over the last half hour, for one actor or endpoint: the 5 min
// and 30 min windows are sums of the newest slots. Events up to half an hour late still land in
// their own minute; older ones are left out of these windows (the decayed long windows take them).
export const RING_MINUTES = 30;

export class MinuteRing {
  private readonly minutes = new Float64Array(RING_MINUTES).fill(-1);
  readonly values: Float32Array;

  constructor(readonly width: number) {
    this.values = new Float32Array(RING_MINUTES * width);
  }

  /** Adds `by` to counter `k` of the minute `minute` (epoch minutes); false when it is too old for the ring. */
  add(minute: number, k: number, by: number, newestMinute: number): boolean {
    if (minute <= newestMinute - RING_MINUTES) return false;
    const slot = minute % RING_MINUTES;
    if (this.minutes[slot] !== minute) {
      if (this.minutes[slot] > minute) return false;
      this.minutes[slot] = minute;
      this.values.fill(0, slot * this.width, slot * this.width + this.width);
    }
    this.values[slot * this.width + k] += by;
    return true;
  }

  /** Sum of counter `k` over the `span` minutes ending with `minute` (inclusive). */
  sum(k: number, minute: number, span: number): number {
    let s = 0;
    const w = this.width;
    for (let m = minute - span + 1; m <= minute; m++) {
      const slot = ((m % RING_MINUTES) + RING_MINUTES) % RING_MINUTES;
      if (this.minutes[slot] === m) s += this.values[slot * w + k];
    }
    return s;
  }

  /** Counter `k` per minute over the window, oldest first (timelines). */
  series(k: number, minute: number, span: number): number[] {
    const out: number[] = [];
    for (let m = minute - span + 1; m <= minute; m++) {
      const slot = ((m % RING_MINUTES) + RING_MINUTES) % RING_MINUTES;
      out.push(this.minutes[slot] === m ? this.values[slot * this.width + k] : 0);
    }
    return out;
  }
}

/**
 * Exponentially decayed counts: the long windows (4 h, 24 h) as "about how many in the last τ",
 * in constant memory per actor. A late event is weighted by its age.
 */
export class DecayedCounts {
  private at = Number.NEGATIVE_INFINITY;
  readonly values: Float32Array;

  constructor(
    readonly width: number,
    readonly tauMs: number,
  ) {
    this.values = new Float32Array(width);
  }

  add(ts: number, k: number, by: number): void {
    // the weight first: it decays every counter, this one included, and `values[k] += by * weight(ts)`
    // read values[k] before the decay and wrote the undecayed count back (tests)
    const w = this.weight(ts);
    this.values[k] += by * w;
  }

  /**
   * Moves the counts to time `ts` if it is later, and returns the weight an event at `ts` has
   * now (1, or less for a late one): callers adding several counters of one event decay once.
   */
  weight(ts: number): number {
    if (ts > this.at) {
      if (Number.isFinite(this.at)) {
        const f = Math.exp(-(ts - this.at) / this.tauMs);
        for (let i = 0; i < this.width; i++) this.values[i] *= f;
      }
      this.at = ts;
      return 1;
    }
    return this.at - ts < 1000 ? 1 : Math.exp(-(this.at - ts) / this.tauMs);
  }

  /** Counter `k` as of time `ts` (decayed to it). */
  get(k: number, ts: number): number {
    if (!Number.isFinite(this.at)) return 0;
    return ts > this.at ? this.values[k] * Math.exp(-(ts - this.at) / this.tauMs) : this.values[k];
  }
}
