// Ids walked in order: a client asking for /items/1001, /items/1002, /items/1003 … is
// enumerating, whatever the endpoint is. Judged per endpoint parameter from the numbers alone:
// consecutive requests whose ids move the same way by a small step (deleted ids leave gaps), or by
// the same stride, form a run; long runs at a machine's steady pace are what scrapers leave.

/** largest step that still counts as "the next id" (gaps left by deleted objects) */
const MAX_STEP = 16;
/** constant strides up to this size count as ordered too */
const MAX_STRIDE = 1_000_000;
/** shortest run that is evidence at all */
export const MIN_RUN = 8;

export interface WalkRun {
  /** ids in the run */
  length: number;
  firstId: number;
  lastId: number;
  start: number;
  end: number;
  /** mean and coefficient of variation of the time between requests in the run */
  gapMeanMs: number;
  gapCv: number;
  examples: string[];
}

export class IdWalk {
  private lastId = -1;
  private lastTs = 0;
  private lastDelta = 0;
  private dir = 0;
  private run = 0;
  private runStart = 0;
  private runFirst = -1;
  private gapSum = 0;
  private gapSq = 0;
  private gapN = 0;
  private examples: string[] = [];
  /** the longest run so far */
  best: WalkRun | null = null;
  lastSeen = 0;

  step(id: number, ts: number, requestId: string): void {
    this.lastSeen = ts;
    if (id === this.lastId) return; // the same object again (polling, a refresh) neither extends nor breaks a run
    const delta = id - this.lastId;
    const sign = Math.sign(delta);
    const small = Math.abs(delta) <= MAX_STEP && (this.run <= 1 || sign === this.dir);
    const stride = delta === this.lastDelta && Math.abs(delta) <= MAX_STRIDE;
    if (this.lastId >= 0 && (small || stride)) {
      this.run += 1;
      this.dir = sign;
      const gap = ts - this.lastTs;
      this.gapSum += gap;
      this.gapSq += gap * gap;
      this.gapN += 1;
    } else {
      this.run = 1;
      this.dir = 0;
      this.runStart = ts;
      this.runFirst = id;
      this.gapSum = this.gapSq = this.gapN = 0;
      this.examples = [];
    }
    if (this.examples.length < 3) this.examples.push(requestId);
    this.lastDelta = delta;
    this.lastId = id;
    this.lastTs = ts;
    if (this.run >= MIN_RUN && (!this.best || this.run >= this.best.length)) {
      const mean = this.gapN ? this.gapSum / this.gapN : 0;
      const variance = this.gapN ? Math.max(0, this.gapSq / this.gapN - mean * mean) : 0;
      this.best = {
        length: this.run, firstId: this.runFirst, lastId: id, start: this.runStart, end: ts,
        gapMeanMs: mean, gapCv: mean > 0 ? Math.sqrt(variance) / mean : 0, examples: [...this.examples],
      };
    }
  }
}

/**
 * How strongly a run says "enumeration": its length, how steady its pace is (a person clicking
 * "next" is irregular), and how unusual walking this endpoint is among its clients (an API
 * whose ids are pages is walked by everyone).
 */
export function walkStrength(run: WalkRun, walkersShare: number): number {
  if (run.length < MIN_RUN) return 0;
  const length = 1 - Math.exp(-(run.length - MIN_RUN + 2) / 12);
  const pace = run.gapCv <= 0.35 ? 1 : run.gapCv >= 1.2 ? 0.6 : 1 - (0.4 * (run.gapCv - 0.35)) / 0.85;
  const rarity = 1 / (1 + walkersShare / 0.01);
  return length * pace * rarity;
}
