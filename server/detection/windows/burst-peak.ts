// An actor's busiest earlier windows of sensitive data sent back, next to its average: support
// staff read customers' records in bursts (hundreds of values in five minutes, then nothing for
// an hour), so against the average every burst is "several times its own usual". A value counts
// as earlier only 30 to 60 minutes after it was seen (it waits a generation), so a run is never
// compared with its own start. Older peaks fade with a day's half-life.

const GENERATION_MS = 30 * 60_000;
const HALF_LIFE_MS = 24 * 3600_000;

export class BurstPeak {
  /** per window (0: 5 min, 1: 30 min): the busiest value old enough to count */
  private readonly peak = [0, 0];
  /** maxima of the generation being filled, and of the one before it */
  private readonly current = [0, 0];
  private readonly previous = [0, 0];
  private since = Number.NEGATIVE_INFINITY;
  private peakAt = 0;

  /** what counts as the actor's earlier busiest value of window `i` */
  get(i: 0 | 1): number {
    return this.peak[i];
  }

  /** the actor's values now, after they were judged */
  observe(now: number, v5: number, v30: number): void {
    if (now - this.since >= GENERATION_MS) {
      const fade = this.peakAt > 0 ? 0.5 ** ((now - this.peakAt) / HALF_LIFE_MS) : 0;
      // the generation being filled was seen within GENERATION_MS of `since` (a later look would
      // have turned it over): after two generations' quiet it is old enough to count at once
      const old = now - this.since >= 2 * GENERATION_MS;
      for (let i = 0; i < 2; i++) {
        this.peak[i] = Math.max(this.peak[i] * fade, this.previous[i], old ? this.current[i] : 0);
        this.previous[i] = old ? 0 : this.current[i];
        this.current[i] = 0;
      }
      this.peakAt = now;
      this.since = now;
    }
    if (v5 > this.current[0]) this.current[0] = v5;
    if (v30 > this.current[1]) this.current[1] = v30;
  }
}
