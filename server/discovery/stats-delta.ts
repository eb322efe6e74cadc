// The learner's counters grow for as long as the process runs (and start again, warmed from
// recent events, after a restart); the endpoint table adds up what every console learned. So
// the store writes what changed since its last write, remembered here per endpoint key.
import type { StatusMix } from '@/db/schema/endpoints';
import type { EndpointStats } from './endpoint-stats';

export interface StatsDelta {
  calls: number;
  statusMix: StatusMix;
  callers: Record<string, number>;
}

interface Seen {
  calls: number;
  status: number[];
  callers: Map<string, number>;
}

const CLASSES = ['1xx', '2xx', '3xx', '4xx', '5xx'] as const;

export class StatsBaseline {
  private seen = new Map<string, Seen>();

  /** What `stats` adds since the last `commit` under `key`. */
  delta(key: string, stats: EndpointStats): StatsDelta {
    const prev = this.seen.get(key);
    const statusMix: StatusMix = {};
    stats.statusClasses.forEach((n, i) => {
      const d = n - (prev?.status[i] ?? 0);
      if (d > 0) statusMix[CLASSES[i]] = d;
    });
    const callers: Record<string, number> = {};
    for (const [c, n] of stats.callers) {
      const d = n - (prev?.callers.get(c) ?? 0);
      if (d > 0) callers[c] = d;
    }
    return { calls: Math.max(0, stats.count - (prev?.calls ?? 0)), statusMix, callers };
  }

  /** Marks `stats` as written under `key` (after the transaction that wrote it committed). */
  commit(key: string, stats: EndpointStats): void {
    this.seen.set(key, { calls: stats.count, status: [...stats.statusClasses], callers: new Map(stats.callers) });
  }

  /** Everything learned so far counts as written: warm-up replays events an earlier process counted. */
  commitAll(entries: Iterable<[string, EndpointStats]>): void {
    for (const [k, s] of entries) this.commit(k, s);
  }
}

export function addMix(a: StatusMix, b: StatusMix): StatusMix {
  const out: StatusMix = { ...a };
  for (const k of CLASSES) if (b[k]) out[k] = (out[k] ?? 0) + b[k]!;
  return out;
}

/** Adds caller counts, keeping at most `cap` callers (the rest under `(other)`). */
export function addCallers(a: Record<string, number>, b: Record<string, number>, cap = 32): Record<string, number> {
  const out = { ...a };
  for (const [c, n] of Object.entries(b)) {
    const key = c in out || Object.keys(out).length < cap ? c : '(other)';
    out[key] = (out[key] ?? 0) + n;
  }
  return out;
}
