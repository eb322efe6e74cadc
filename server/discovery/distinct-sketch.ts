// K-minimum-values sketch: estimates how many distinct values a tree position has seen with a
// fixed amount of memory, however long the stream runs.

const K = 32;

function hash32(s: string): number {
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

  add(value: string): void {
    const h = hash32(value);
    const m = this.mins;
    if (m.length === K && h >= m[K - 1]) return;
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
  }

  merge(other: DistinctSketch): void {
    for (const h of other.mins) this.addHash(h);
  }

  private addHash(h: number): void {
    const m = this.mins;
    if (m.includes(h)) return;
    m.push(h);
    m.sort((a, b) => a - b);
    if (m.length > K) m.pop();
  }

  estimate(): number {
    if (this.mins.length < K) return this.mins.length;
    return Math.round(((K - 1) * 0x100000000) / (this.mins[K - 1] + 1));
  }

  get size(): number {
    return this.mins.length;
  }
}
