// Actors whose open sessions may have ended, by the minute they would end in: the sweep looks
// only at the minutes the watermark passed, not at every actor. An actor that went on is put
// back for its new end (at most once per session gap, however many events it sends).

const BUCKET_MS = 60_000;

export interface Closable {
  closeAt: number;
}

export class CloseQueue<T extends Closable> {
  private readonly buckets = new Map<number, T[]>();
  private oldest = Number.POSITIVE_INFINITY;

  /** Puts the item in the bucket of `at` unless it already waits in an earlier or equal one. */
  schedule(item: T, at: number): void {
    const b = Math.floor(at / BUCKET_MS);
    if (item.closeAt >= 0 && item.closeAt <= b) return;
    item.closeAt = b;
    let list = this.buckets.get(b);
    if (!list) this.buckets.set(b, (list = []));
    list.push(item);
    if (b < this.oldest) this.oldest = b;
  }

  /** Hands out the items whose bucket ended by `upTo` (each once; they are no longer queued). */
  due(upTo: number, fn: (item: T) => void): void {
    const last = Math.floor(upTo / BUCKET_MS) - 1;
    if (!Number.isFinite(last)) {
      for (const list of this.buckets.values()) for (const item of list) this.handOut(item, fn);
      this.buckets.clear();
      this.oldest = Number.POSITIVE_INFINITY;
      return;
    }
    for (let b = this.oldest; b <= last && this.buckets.size > 0; b++) {
      const list = this.buckets.get(b);
      if (!list) continue;
      this.buckets.delete(b);
      for (const item of list) if (item.closeAt === b) this.handOut(item, fn);
    }
    this.oldest = Number.POSITIVE_INFINITY;
    for (const b of this.buckets.keys()) if (b < this.oldest) this.oldest = b;
  }

  private handOut(item: T, fn: (item: T) => void): void {
    item.closeAt = -1;
    fn(item);
  }
}
