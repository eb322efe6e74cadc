// How many times a session usually does the same thing (an endpoint with an outcome): paying
// once per session, polling a status many times, retrying a login once. A session that pays forty
// times, or is refused forty times in a row, stands out by how far beyond the usual count it goes,
// not only by rank: "one more than any of 75 sessions" is weak, "forty times where everyone did
// it once" is not.

/** per-session counts in buckets 1, 2, 3–4, 5–8, …, 65+ */
const BUCKETS = 8;
const lo = (b: number) => (b === 0 ? 1 : 2 ** (b - 1) + 1);
const hi = (b: number) => (b === BUCKETS - 1 ? Number.POSITIVE_INFINITY : 2 ** b);
const bucketOf = (c: number) => Math.min(BUCKETS - 1, Math.ceil(Math.log2(Math.max(1, c))));
const TAIL_EXPONENT = 2;

export interface RepeatEstimate {
  /** sessions that did this at all */
  sessions: number;
  /** share of them that did it at least this often (smoothed) */
  share: number;
  /** the count 99 % of them stay at or under */
  usual: number;
  /** −ln of the share: empirical up to the usual count, a power-law tail beyond it */
  surprise: number;
}

/** sessions of a kind that called an endpoint before its repeats are judged at all */
const MIN_SESSIONS = 20;

/** Per kind of client (an app polls, a browser does not) and state. */
export class RepeatStats {
  private readonly hist = new Map<number, Float64Array>();
  private readonly kinds = new Map<string, number>();

  constructor(private readonly maxStates = 200_000) {}

  private key(kind: string, state: number): number {
    let k = this.kinds.get(kind);
    if (k === undefined) {
      k = this.kinds.size;
      if (k >= 1 << 20) return -1;
      this.kinds.set(kind, k);
    }
    return k * 65_536 + state;
  }

  learn(kind: string, state: number, count: number): void {
    const key = this.key(kind, state);
    if (key < 0) return;
    let h = this.hist.get(key);
    if (!h) {
      if (this.hist.size >= this.maxStates) return;
      this.hist.set(key, (h = new Float64Array(BUCKETS + 1)));
    }
    h[bucketOf(count)] += 1;
    h[BUCKETS] += 1;
  }

  /**
   * `sessions`: the state of the endpoint whatever its outcome (its base state), learned too: a
   * failure repeated is judged among all sessions that called the endpoint, most of which never failed.
   */
  estimate(kind: string, state: number, count: number, endpoint: number = state): RepeatEstimate | null {
    if (count < 2) return null;
    const base = this.key(kind, 0);
    if (base < 0) return null;
    const h = this.hist.get(base + state);
    const e = this.hist.get(base + endpoint);
    if (!e) return null;
    const n = Math.max(e[BUCKETS], h?.[BUCKETS] ?? 0);
    if (n < MIN_SESSIONS) return null;
    // the count more than 1 % of sessions (and more than a couple of clients) reach
    let usual = 0;
    let above = 0;
    for (let i = BUCKETS - 1; h && i >= 0; i--) {
      above += h[i];
      if (above > Math.max(0.01 * n, 2.5)) {
        usual = Number.isFinite(hi(i)) ? hi(i) : lo(i);
        break;
      }
    }
    const share = (this.atLeast(h, count) + 0.5) / (n + 1);
    if (count <= usual) return { sessions: n, share, usual, surprise: -Math.log(share) };
    // Beyond the usual count the tail is taken as a power law (exponent 2) from the usual point:
    // how far beyond matters, not only that no session went that far.
    const fromUsual = usual > 0 ? (this.atLeast(h, usual) + 0.5) / (n + 1) : 1;
    const surprise = -Math.log(Math.min(1, fromUsual)) + TAIL_EXPONENT * Math.log(count / Math.max(1, usual));
    return { sessions: n, share: Math.min(share, Math.exp(-surprise)), usual, surprise };
  }

  /** sessions (weighted) that did it at least `count` times */
  private atLeast(h: Float64Array | undefined, count: number): number {
    if (!h) return 0;
    const b = bucketOf(count);
    let n = 0;
    for (let i = b + 1; i < BUCKETS; i++) n += h[i];
    const width = Number.isFinite(hi(b)) ? hi(b) - lo(b) + 1 : count;
    return n + h[b] * Math.min(1, (Math.min(hi(b), Number.MAX_SAFE_INTEGER) - count + 1) / width);
  }

  decay(f: number): void {
    for (const [k, h] of this.hist) {
      for (let i = 0; i <= BUCKETS; i++) h[i] *= f;
      if (h[BUCKETS] < 0.02) this.hist.delete(k);
    }
  }
}
