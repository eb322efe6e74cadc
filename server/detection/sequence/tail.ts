// How rare a value is in a population: a decaying histogram whose upper tail is extrapolated as
// an exponential beyond the last few percent (peaks over threshold), so "rarer than anything
// seen" still has a size ("seen in 0.002 % of sessions"), learned from the data, not assumed.

/** fewest (weighted) values above the threshold the exponential is fitted to */
const TAIL_MIN = 25;
/** share of the population above the threshold, at least */
const TAIL_SHARE = 0.02;

export class TailHistogram {
  private readonly bins: Float64Array;
  private zeros = 0;
  private sum = 0;
  private fitted = false;
  private addedSinceFit = 0;
  private u = 0;
  private fu = 0;
  private sigma = 1;

  constructor(private readonly width: number, count: number) {
    this.bins = new Float64Array(count);
  }

  get total(): number {
    return this.sum;
  }

  add(x: number, weight = 1): void {
    if (!(x > 0)) this.zeros += weight;
    else this.bins[Math.min(this.bins.length - 1, Math.floor(x / this.width))] += weight;
    this.sum += weight;
    this.addedSinceFit += weight;
  }

  decay(factor: number): void {
    for (let i = 0; i < this.bins.length; i++) this.bins[i] *= factor;
    this.zeros *= factor;
    this.sum *= factor;
    this.fitted = false;
  }

  /** The value below which a share `q` of the population lies. */
  quantile(q: number): number {
    const target = q * this.sum;
    let acc = this.zeros;
    if (acc >= target) return 0;
    for (let i = 0; i < this.bins.length; i++) {
      const m = this.bins[i];
      if (acc + m >= target) return (i + (m > 0 ? (target - acc) / m : 0)) * this.width;
      acc += m;
    }
    return this.bins.length * this.width;
  }

  /**
   * Share of the population at or above `x`: empirical in the body, exponential in the far tail.
   * Too few values to fit a tail of its own: beyond the largest value seen, half a value's share
   * falls off with `shape` (the scale of a related population's tail), so "far beyond anything
   * seen" still counts for more than "just beyond".
   */
  tail(x: number, shape: number | null = null): number {
    if (this.sum <= 0) return 1;
    if (!(x > 0)) return 1;
    this.fit();
    if (x > this.u && this.fu > 0) return this.fu * Math.exp(-(x - this.u) / this.sigma);
    const bin = Math.min(this.bins.length - 1, Math.floor(x / this.width));
    let above = this.bins[bin] * (bin + 1 - x / this.width);
    for (let i = bin + 1; i < this.bins.length; i++) above += this.bins[i];
    if (this.fu > 0 || above >= 0.5) return above / this.sum;
    const beyond = shape && shape > 0 ? Math.exp(-Math.max(0, x - this.max()) / shape) : 1;
    return Math.max(above, 0.5 * beyond) / this.sum;
  }

  /** the largest value seen (the upper edge of the highest non-empty bin; 0 when only zeros) */
  max(): number {
    for (let i = this.bins.length - 1; i >= 0; i--) if (this.bins[i] > 0.01) return (i + 1) * this.width;
    return 0;
  }

  /** the scale of the fitted far tail (null: too few values to fit one) */
  scale(): number | null {
    this.fit();
    return this.fu > 0 ? this.sigma : null;
  }

  private fit(): void {
    if (this.fitted && this.addedSinceFit < Math.max(1, 0.01 * this.sum)) return;
    this.fitted = true;
    this.addedSinceFit = 0;
    const need = Math.max(TAIL_MIN, TAIL_SHARE * this.sum);
    let above = 0;
    let i = this.bins.length - 1;
    for (; i >= 0; i--) {
      above += this.bins[i];
      if (above >= need) break;
    }
    if (i < 0) {
      // too few positive values to fit a tail: treat everything seen as the body
      this.u = this.bins.length * this.width;
      this.fu = 0;
      return;
    }
    this.u = i * this.width;
    this.fu = above / this.sum;
    let excess = 0;
    for (let j = i; j < this.bins.length; j++) excess += this.bins[j] * ((j + 0.5) * this.width - this.u);
    this.sigma = Math.max(this.width, excess / above);
  }
}
