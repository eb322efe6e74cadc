// K-minimum-values sketch: estimates how many distinct values a tree position has seen with a
// fixed amount of memory, however long the stream runs.

const K = 32;

export function hash32(s: string): number {
  // FNV-1a, then a finaliser so short strings spread over the whole range
  let h = 0x811c9dc5;
  for (let i = 0; i < s.length; i++) {
    h ^= s.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  return h >>> 0;
}

export class DistinctSketch {
  /** the K smallest hashes seen, ascending */
  private mins: number[] = [];
  /** hashes at or above this cannot enter: the K-th smallest once the sketch is full */
  limit = 0x100000000;

  add(value: string): void {
    this.addHash(hash32(value));
  }

  /** For callers that keep `limit` at hand and test it before touching the sketch. */
  addHash(h: number): void {
    if (h >= this.limit) return;
    const m = this.mins;
    let lo = 0;
    let hi = m.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (m[mid] < h) lo = mid + 1;
      else hi = mid;
    }
    if (m[lo] === h) return;
    m.splice(lo, 0, h);
    if (m.length > K) m.pop();
    if (m.length === K) this.limit = m[K - 1];
  }

  merge(other: DistinctSketch): void {
    for (const h of other.mins) this.addHash(h);
  }

  estimate(): number {
    if (this.mins.length < K) return this.mins.length;
    return Math.round(((K - 1) * 0x100000000) / (this.mins[K - 1] + 1));
  }

  get size(): number {
    return this.mins.length;
  }
}
