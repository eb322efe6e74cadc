// Holds events until the watermark passes them and hands them out in event-time order. Events
// go into one-second buckets (O(1) whatever order they arrive in); a small heap of bucket keys
// finds the oldest. Only what the watermark passed is released, so a batch that arrives minutes
// late still lands in its place.

const BUCKET_MS = 1000;

export class ReorderBuffer<T extends { ts: number }> {
  private readonly buckets = new Map<number, T[]>();
  private readonly heap: number[] = [];
  size = 0;

  push(item: T): void {
    const key = Math.floor(item.ts / BUCKET_MS);
    let b = this.buckets.get(key);
    if (!b) {
      this.buckets.set(key, (b = []));
      this.heapPush(key);
    }
    b.push(item);
    this.size += 1;
  }

  /** Calls `fn` on every held item with ts ≤ upTo, oldest first, and forgets them. */
  release(upTo: number, fn: (item: T) => void): void {
    const last = Math.floor(upTo / BUCKET_MS);
    while (this.heap.length && this.heap[0] <= last) {
      const key = this.heap[0];
      const b = this.buckets.get(key)!;
      b.sort((x, y) => x.ts - y.ts);
      if (key < last || b[b.length - 1].ts <= upTo) {
        this.heapPop();
        this.buckets.delete(key);
        this.size -= b.length;
        for (const item of b) fn(item);
        continue;
      }
      // the watermark falls inside this bucket: release its older part only
      let n = 0;
      while (n < b.length && b[n].ts <= upTo) n++;
      const done = b.splice(0, n);
      this.size -= n;
      for (const item of done) fn(item);
      break;
    }
  }

  /** The time below which half of what is held lies (for releasing early under memory pressure). */
  median(): number {
    const keys = [...this.buckets.keys()].sort((a, b) => a - b);
    let acc = 0;
    for (const k of keys) {
      acc += this.buckets.get(k)!.length;
      if (acc >= this.size / 2) return (k + 1) * BUCKET_MS - 1;
    }
    return Number.POSITIVE_INFINITY;
  }

  private heapPush(k: number): void {
    const h = this.heap;
    h.push(k);
    let i = h.length - 1;
    while (i > 0) {
      const p = (i - 1) >> 1;
      if (h[p] <= k) break;
      h[i] = h[p];
      i = p;
    }
    h[i] = k;
  }

  private heapPop(): void {
    const h = this.heap;
    const last = h.pop()!;
    if (!h.length) return;
    let i = 0;
    for (;;) {
      const l = 2 * i + 1;
      if (l >= h.length) break;
      const c = l + 1 < h.length && h[l + 1] < h[l] ? l + 1 : l;
      if (h[c] >= last) break;
      h[i] = h[c];
      i = c;
    }
    h[i] = last;
  }
}
