// A discrete-event loop: every actor (a customer's visit, a partner's sweep, a bot, an attack) is
// a generator that acts at the loop's current time and yields when it wants to act next. Agents
// run in time order (ties by the order they were started), so a run is a function of its seed.

/** Yields the absolute time (epoch ms) at which it wants to be resumed. */
export type Agent = Generator<number, void, void>;

interface Slot {
  t: number;
  seq: number;
  agent: Agent;
}

export class Engine {
  now: number;
  private readonly heap: Slot[] = [];
  private seq = 0;

  constructor(start: number) {
    this.now = start;
  }

  get pending(): number {
    return this.heap.length;
  }

  /** Starts `agent` at `at` (not before now). */
  start(at: number, agent: Agent) {
    this.push({ t: Math.max(at, this.now), seq: this.seq++, agent });
  }

  /** Runs every agent due before `until`; afterwards nothing can happen before `until` any more. */
  runUntil(until: number) {
    while (this.heap.length && this.heap[0].t < until) {
      const slot = this.pop();
      this.now = slot.t;
      const next = slot.agent.next();
      if (!next.done) this.push({ t: Math.max(next.value, this.now), seq: this.seq++, agent: slot.agent });
    }
    this.now = Math.max(this.now, until);
  }

  private less(a: Slot, b: Slot): boolean {
    return a.t < b.t || (a.t === b.t && a.seq < b.seq);
  }

  private push(s: Slot) {
    const h = this.heap;
    h.push(s);
    let i = h.length - 1;
    while (i > 0) {
      const p = (i - 1) >> 1;
      if (!this.less(h[i], h[p])) break;
      [h[i], h[p]] = [h[p], h[i]];
      i = p;
    }
  }

  private pop(): Slot {
    const h = this.heap;
    const top = h[0];
    const last = h.pop()!;
    if (h.length) {
      h[0] = last;
      let i = 0;
      for (;;) {
        const l = 2 * i + 1;
        let m = i;
        if (l < h.length && this.less(h[l], h[m])) m = l;
        if (l + 1 < h.length && this.less(h[l + 1], h[m])) m = l + 1;
        if (m === i) break;
        [h[i], h[m]] = [h[m], h[i]];
        i = m;
      }
    }
    return top;
  }
}
