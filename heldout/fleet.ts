// How the exports reach the console: each node's collector flushes every 1–4 s; now and then the
// console's ingest is unavailable (an incident, minutes long) and every collector retries with
// exponential backoff, or one collector restarts and sends its queue late. Lines come out in
// arrival order, so exports from different nodes are up to MAX_LATENESS_MS out of order.
import type { Ev } from './exec';
import type { Mesh } from './mesh';
import { digest, rand } from './rand';
import { exportRequest } from './wire';

const INCIDENT_MAX_MS = 210_000;
const BACKOFF_CAP_MS = 30_000;
const RESTART_MAX_MS = 90_000;
const TIMEOUT_MAX_MS = 4_000;
/** The most a line can arrive after its oldest event started. */
export const MAX_LATENESS_MS = INCIDENT_MAX_MS + BACKOFF_CAP_MS * 1.25 + TIMEOUT_MAX_MS + 2000;

interface Line {
  arrival: number;
  node: number;
  window: number;
  text: string;
  oldest: number;
  newest: number;
  events: number;
}

export class Fleet {
  private readonly nodes: string[];
  private readonly nodeOf = new Map<string, number>();
  private readonly open: Map<number, Ev[]>[];
  private readonly timeout: number[];
  private readonly phase: number[];
  private pending: Line[] = [];
  private readonly incidents = new Map<number, [number, number] | null>();
  private readonly restarts = new Map<string, [number, number] | null>();

  constructor(private readonly seed: number, mesh: Mesh) {
    this.nodes = [...new Set(mesh.pods.map((p) => p.node))].sort();
    this.nodes.forEach((n, k) => this.nodeOf.set(n, k));
    this.open = this.nodes.map(() => new Map());
    this.timeout = this.nodes.map((n) => 1000 + (digest(seed, 'timeout', n) % (TIMEOUT_MAX_MS - 999)));
    this.phase = this.nodes.map((n, k) => digest(seed, 'phase', n) % this.timeout[k]);
  }

  add(ev: Ev) {
    const k = this.nodeOf.get(ev.pod.node)!;
    const w = Math.floor((ev.ts - this.phase[k]) / this.timeout[k]);
    const batch = this.open[k].get(w);
    if (batch) batch.push(ev);
    else this.open[k].set(w, [ev]);
  }

  /** Closes every export whose window ended by `t` (no event before `t` can come any more). */
  closeBefore(t: number) {
    this.open.forEach((windows, k) => {
      for (const [w, events] of windows) {
        const flush = (w + 1) * this.timeout[k] + this.phase[k];
        if (flush > t) continue;
        windows.delete(w);
        let oldest = Infinity;
        let newest = -Infinity;
        for (const e of events) {
          oldest = Math.min(oldest, e.ts);
          newest = Math.max(newest, e.ts);
        }
        this.pending.push({ arrival: this.arrival(k, w, flush), node: k, window: w, text: exportRequest(events), oldest, newest, events: events.length });
      }
    });
  }

  /** Lines that have arrived before `t`, in arrival order. */
  arrived(t: number): Line[] {
    const ready = this.pending.filter((l) => l.arrival < t);
    this.pending = this.pending.filter((l) => l.arrival >= t);
    return ready.sort((a, b) => a.arrival - b.arrival || a.node - b.node || a.window - b.window);
  }

  private incident(hour: number): [number, number] | null {
    let x = this.incidents.get(hour);
    if (x === undefined) {
      const r = rand(this.seed, 'ingest incident', hour);
      const at = hour * 3_600_000 + r.range(0, 3_600_000);
      x = r.coin(0.3) ? [at, at + r.range(30_000, INCIDENT_MAX_MS)] : null;
      this.incidents.set(hour, x);
    }
    return x;
  }

  private restart(node: number, quarter: number): [number, number] | null {
    const key = `${node}|${quarter}`;
    let x = this.restarts.get(key);
    if (x === undefined) {
      const r = rand(this.seed, 'collector restart', this.nodes[node], quarter);
      const at = quarter * 6 * 3_600_000 + r.range(0, 6 * 3_600_000);
      x = r.coin(0.12) ? [at, at + r.range(30_000, RESTART_MAX_MS)] : null;
      this.restarts.set(key, x);
    }
    return x;
  }

  private arrival(node: number, window: number, flush: number): number {
    const r = rand(this.seed, 'export', node, window);
    let t = flush + r.logNormal(120, 0.6);
    const restart = this.restart(node, Math.floor(flush / (6 * 3_600_000)));
    if (restart && flush >= restart[0] && flush < restart[1]) t = restart[1] + r.range(200, 3000);
    // retried with backoff (5 s doubling to 30 s, ±25 %) until the console takes it again
    let wait = 5000;
    const down = (at: number) => {
      const hour = Math.floor(at / 3_600_000);
      return [this.incident(hour), this.incident(hour - 1)].some((inc) => inc !== null && at >= inc[0] && at < inc[1]);
    };
    while (down(t)) {
      t += wait * r.range(0.75, 1.25);
      wait = Math.min(BACKOFF_CAP_MS, wait * 2);
    }
    return t;
  }
}
