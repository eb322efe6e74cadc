// How often a session usually does the same thing (an endpoint with an outcome), for its length:
// paying once in a session, polling a status every other step, retrying a login once. Judged as a
// rate per step, so a long benign session that views many products is not flagged for viewing
// many, and a session that pays twenty-five times in twenty-five steps, or is refused fifteen
// times, stands out by how far beyond the usual rate it goes, not only by rank.

/** per-session rate (count / steps) in bins of 0.05 */
const BINS = 20;
/** sessions of a kind that called an endpoint before its repeats are judged at all */
const MIN_SESSIONS = 20;
/** a rate this low is assumed at least (a few sessions in many may well do it now and then) */
const MIN_RATE = 0.01;
/** the share of sessions whose rate is taken as the usual one (robust to a few busy ones) */
const USUAL_QUANTILE = 0.9;

export interface RepeatEstimate {
  /** sessions of this kind that called the endpoint */
  sessions: number;
  /** the rate per step 90 % of them stay at or under */
  usualRate: number;
  /** times expected in a session this long at that rate */
  expected: number;
  /** −ln of the chance of at least this many at that rate (Poisson, Chernoff bound) */
  surprise: number;
}

/** Per kind of client (an app polls, a browser does not) and state. */
export class RepeatStats {
  private readonly hist = new Map<number, Float64Array>();
  private readonly kinds = new Map<string, number>();

  constructor(private readonly maxStates = 100_000) {}

  private key(kind: string, state: number): number {
    let k = this.kinds.get(kind);
    if (k === undefined) {
      k = this.kinds.size;
      if (k >= 1 << 20) return -1;
      this.kinds.set(kind, k);
    }
    return k * 65_536 + state;
  }

  /** A finished session part called the state `count` times in `steps` steps. */
  learn(kind: string, state: number, count: number, steps: number): void {
    const key = this.key(kind, state);
    if (key < 0 || count <= 0) return;
    let h = this.hist.get(key);
    if (!h) {
      if (this.hist.size >= this.maxStates) return;
      this.hist.set(key, (h = new Float64Array(BINS + 1)));
    }
    h[Math.min(BINS - 1, Math.floor((count / Math.max(1, steps)) * BINS))] += 1;
    h[BINS] += 1;
  }

  /**
   * How surprising `count` calls of `state` in a part of `steps` steps are. `endpoint` (the
   * endpoint's state whatever its outcome) gives the sessions judged among: a repeated failure is
   * judged among all sessions that called the endpoint, most of which never failed.
   */
  estimate(kind: string, state: number, count: number, steps: number, endpoint: number = state): RepeatEstimate | null {
    if (count < 2) return null;
    const base = this.key(kind, 0);
    if (base < 0) return null;
    const e = this.hist.get(base + endpoint);
    const h = this.hist.get(base + state);
    const sessions = Math.max(e?.[BINS] ?? 0, h?.[BINS] ?? 0);
    if (sessions < MIN_SESSIONS) return null;
    // the usual rate: sessions that called the endpoint without this outcome count as rate 0
    let rate = 0;
    if (h) {
      let acc = sessions - h[BINS];
      for (let i = 0; i < BINS; i++) {
        acc += h[i];
        if (acc >= USUAL_QUANTILE * sessions) {
          rate = (i + 1) / BINS;
          break;
        }
      }
    }
    const usualRate = Math.max(MIN_RATE, rate);
    const expected = usualRate * steps;
    if (count <= expected) return { sessions, usualRate, expected, surprise: 0 };
    return { sessions, usualRate, expected, surprise: expected - count + count * Math.log(count / expected) };
  }

  decay(f: number): void {
    for (const [k, h] of this.hist) {
      for (let i = 0; i <= BINS; i++) h[i] *= f;
      if (h[BINS] < 0.02) this.hist.delete(k);
    }
  }
}
