// What the engine remembers of one endpoint (a service's `METHOD /template`) as called from
// outside the mesh: counts per minute, sketches of the client addresses per five minutes (all,
// and those refused), a baseline of its five-minute counts, and its callers of the last half
// hour (who to name when it is attacked).
import { isRefused } from '../refused';
import { HyperLogLog, mergedEstimate } from '../hll';
import { MinuteRing } from './minute-ring';
import { medianAndMad } from './robust';

export const E = { REQ: 0, AUTH: 1, SERVER: 2, LAT: 3 } as const;
const E_WIDTH = 4;
export const BUCKET_MIN = 5;
export const SKETCH_BUCKETS = 6;
/** five-minute counts kept for the baseline: the last 12 h */
export const HISTORY = 144;
const MAX_CALLERS = 50_000;

export interface Caller {
  n: number;
  auth: number;
  ok: number;
  first: number;
  last: number;
}

export interface Anomaly {
  kind: 'rate' | 'auth';
  since: number;
  last: number;
  strength: number;
}

export class History {
  readonly values = new Float32Array(HISTORY);
  count = 0;
  private cached: { count: number; n: number; median: number; mad: number } | null = null;

  /** median and MAD of the last `n` values, computed once per push */
  baseline(n: number): { median: number; mad: number } {
    const c = this.cached;
    if (c && c.count === this.count && c.n === n) return c;
    const { median, mad } = medianAndMad(this.recent(n));
    this.cached = { count: this.count, n, median, mad };
    return this.cached;
  }

  push(v: number): void {
    this.values[this.count % HISTORY] = v;
    this.count++;
  }

  recent(n: number): number[] {
    const k = Math.min(n, this.count, HISTORY);
    const out: number[] = [];
    for (let i = 1; i <= k; i++) out.push(this.values[(this.count - i) % HISTORY]);
    return out;
  }
}

export class EndpointRecord {
  readonly ring = new MinuteRing(E_WIDTH);
  private readonly sketchBucket = new Float64Array(SKETCH_BUCKETS).fill(-1);
  private readonly ipSketches: (HyperLogLog | null)[] = new Array(SKETCH_BUCKETS).fill(null);
  private readonly refusedSketches: (HyperLogLog | null)[] = new Array(SKETCH_BUCKETS).fill(null);
  readonly reqHistory = new History();
  readonly authHistory = new History();
  /** callers refused and never let in over the half hour before each five-minute mark */
  readonly shutOutHistory = new History();
  /** the five-minute bucket last pushed to the histories */
  pushedBucket = -1;
  readonly callers = new Map<string, Caller>();
  readonly anomalies: { rate: Anomaly | null; auth: Anomaly | null } = { rate: null, auth: null };
  lastSeen = 0;
  /** the minute it was last judged */
  judged = -1;

  constructor(
    readonly key: string,
    readonly service: string,
    readonly endpoint: string,
  ) {}

  /**
   * Takes `buckets` five-minute buckets of silence before `minute` as its baseline: an endpoint
   * first called long after the engine started was not called before, and a burst on it (a flood
   * of a never-used quote endpoint) is judged at once instead of after half an hour of history.
   */
  quietBefore(minute: number, buckets: number): void {
    for (let i = 0; i < buckets; i++) {
      this.reqHistory.push(0);
      this.authHistory.push(0);
      this.shutOutHistory.push(0);
    }
    this.pushedBucket = Math.floor(minute / BUCKET_MIN) - 1;
  }

  see(ts: number, ip: string | null, status: number, latency: number | null, minute: number, newestMinute: number): void {
    if (ts > this.lastSeen) this.lastSeen = ts;
    this.ring.add(minute, E.REQ, 1, newestMinute);
    if (isRefused(status)) this.ring.add(minute, E.AUTH, 1, newestMinute);
    if (status >= 500) this.ring.add(minute, E.SERVER, 1, newestMinute);
    if (latency !== null) this.ring.add(minute, E.LAT, latency, newestMinute);
    if (!ip) return;
    const bucket = Math.floor(minute / BUCKET_MIN);
    this.sketch(this.ipSketches, bucket)?.add(ip);
    if (isRefused(status)) this.sketch(this.refusedSketches, bucket)?.add(ip);
    let c = this.callers.get(ip);
    if (!c) {
      if (this.callers.size >= MAX_CALLERS) return;
      c = { n: 0, auth: 0, ok: 0, first: ts, last: ts };
      this.callers.set(ip, c);
    }
    c.n++;
    if (isRefused(status)) c.auth++;
    else if (status < 400) c.ok++;
    if (ts > c.last) c.last = ts;
    if (ts < c.first) c.first = ts;
  }

  private sketch(list: (HyperLogLog | null)[], bucket: number): HyperLogLog | null {
    const slot = bucket % SKETCH_BUCKETS;
    if (this.sketchBucket[slot] !== bucket) {
      if (this.sketchBucket[slot] > bucket) return null;
      this.sketchBucket[slot] = bucket;
      this.ipSketches[slot]?.clear();
      this.refusedSketches[slot]?.clear();
    }
    return (list[slot] ??= new HyperLogLog());
  }

  /** distinct client addresses (or refused ones) over the buckets of the last `minutes`, from the sketches */
  distinct(refused: boolean, minute: number, minutes: number): number {
    const last = Math.floor(minute / BUCKET_MIN);
    const first = Math.floor((minute - minutes + 1) / BUCKET_MIN);
    const list = refused ? this.refusedSketches : this.ipSketches;
    const inWindow: (HyperLogLog | null)[] = [];
    for (let b = first; b <= last; b++) {
      const slot = b % SKETCH_BUCKETS;
      if (this.sketchBucket[slot] === b) inWindow.push(list[slot]);
    }
    return mergedEstimate(inWindow);
  }

  /** callers of the last half hour that were refused (401) and never let in */
  shutOut(now: number): number {
    return this.outcomes(now).shutOut;
  }

  /** callers of the last half hour: refused (401) and never let in, and let in at least once */
  outcomes(now: number): { shutOut: number; letIn: number } {
    let shutOut = 0;
    let letIn = 0;
    for (const c of this.callers.values()) {
      if (c.last < now - 30 * 60_000) continue;
      if (c.ok > 0) letIn++;
      else if (c.auth > 0) shutOut++;
    }
    return { shutOut, letIn };
  }

  pruneCallers(now: number): void {
    for (const [k, c] of this.callers) if (c.last < now - 30 * 60_000) this.callers.delete(k);
  }
}
