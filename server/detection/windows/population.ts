// What is usual for a feature across a population (all addresses, all tokens, …): a decaying
// histogram over log-spaced bins of the values actors show in a window. Robust statistics come
// from it — median, quartiles, the 99th percentile — with a half-life of hours, so the baseline
// follows the day while one actor (one sample per minute, like every other) cannot move it.
const BINS = 96;
const GROWTH = 1.2;
const LOG_G = Math.log(GROWTH);

function binOf(v: number): number {
  if (v <= 0) return 0;
  if (v < 1) return 1;
  return Math.min(BINS - 1, 2 + Math.floor(Math.log(v) / LOG_G));
}

/** lower edge of a bin, as the value it stands for */
function valueOf(bin: number): number {
  if (bin === 0) return 0;
  if (bin === 1) return 0.5;
  return GROWTH ** (bin - 2);
}

export class PopulationHistogram {
  private readonly counts = new Float64Array(BINS);
  private total = 0;

  add(v: number): void {
    this.counts[binOf(v)]++;
    this.total++;
  }

  /** multiplies every count by `f` (called once per minute of event time) */
  decay(f: number): void {
    for (let i = 0; i < BINS; i++) this.counts[i] *= f;
    this.total *= f;
  }

  get weight(): number {
    return this.total;
  }

  quantile(q: number): number {
    if (this.total <= 0) return 0;
    const target = q * this.total;
    let acc = 0;
    for (let i = 0; i < BINS; i++) {
      acc += this.counts[i];
      if (acc >= target) return valueOf(i);
    }
    return valueOf(BINS - 1);
  }

  /**
   * How far `v` is beyond what is usual, in robust units: (v − median) over the larger of the
   * interquartile spread (as a standard deviation) and the distance from the median to the 99th
   * percentile (as 2.33 of them) and to the 99.9th (as 3.09), never below `floor` — count features are mostly zero, and a
   * zero spread must not turn one event into an outlier.
   */
  deviation(v: number, floor = 1): { median: number; p99: number; z: number } {
    return robustZ(v, [this.quantile(0.25), this.quantile(0.5), this.quantile(0.75), this.quantile(0.99), this.quantile(0.999)], floor, (x) => x);
  }

  /**
   * The same on a logarithmic scale (log(1 + v)), for volumes — sensitive values returned,
   * distinct ids — whose tails are long: a client ten times as busy as most is ordinary there,
   * a thousand times is not.
   */
  logDeviation(v: number, floor = 0.5): { median: number; p99: number; z: number } {
    return robustZ(v, [this.quantile(0.25), this.quantile(0.5), this.quantile(0.75), this.quantile(0.99), this.quantile(0.999)], floor, Math.log1p);
  }
}

/** `q`: the 25th, 50th, 75th, 99th and 99.9th percentiles; `f` the scale they are compared on */
export function robustZ(v: number, q: readonly number[], floor: number, f: (x: number) => number): { median: number; p99: number; z: number } {
  const [p25, median, p75, p99, p999] = q.map(f);
  const iqr = (p75 - p25) / 1.349;
  // heavy tails (a few busy clients are always there) widen the scale through the 99.9th percentile
  const scale = Math.max(iqr, (p99 - median) / 2.33, (p999 - median) / 3.09, floor);
  return { median: q[1], p99: q[3], z: (f(v) - median) / scale };
}
