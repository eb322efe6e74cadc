// The backtest behind `/settings/thresholds` (issue 10 §7): the stored events of the last 24 h
// or 7 d replayed in event-time order, a page at a time, through two engines — one with the
// thresholds in force, one with the candidate — and the detections each would have raised
// (screened as the live queue is: allow-list, suppressions, alert level) counted per hour, with
// the actors they name. The replay is bounded in events and in time and runs one at a time per
// console: it is CPU work on the process that also serves ingest.
import type { Ctx } from '@/server/context';
import { DomainError } from '@/server/errors';
import { DEFAULT_LATENESS_MS } from './engine';
import { readEvents } from './events';
import { defaultEngine, loadRules, type DetectionRunner, type EngineFactory } from './rules';
import { GLOBAL, type BacktestInput } from './schemas';
import { screenDetection, type ScreenRules } from './screen';
import type { Detection, ThresholdSet } from './types';

export const DEFAULT_BACKTEST_EVENTS = 1_000_000;
const HOUR_MS = 3600_000;
/** actors remembered per detection for the counts (a botnet may name more) */
const ACTORS_PER_DETECTION = 10_000;

export interface BacktestOptions {
  maxEvents?: number;
  /** stop replaying after this long and answer with what was replayed */
  deadlineMs?: number;
  engine?: EngineFactory;
  pageSize?: number;
}

interface Found {
  start: number;
  actors: Set<string>;
}

interface Run {
  rules: ScreenRules;
  engine: DetectionRunner;
  found: Map<string, Found>;
}

export interface Counts {
  detections: number;
  actors: number;
}

export interface BacktestResult {
  service: string;
  hours: { t: number; current: Counts; candidate: Counts }[];
  totals: { current: Counts; candidate: Counts };
  events: number;
  from: Date;
  to: Date;
  /** where the replay began: later than `from` when there were more events than the bound */
  coveredFrom: Date | null;
  /** why the replay stopped short, if it did */
  truncated: 'events' | 'time' | null;
  current: ThresholdSet['global'];
  candidate: ThresholdSet['global'];
}

let running = false;

export async function backtestThresholds(ctx: Ctx, input: BacktestInput, o: BacktestOptions = {}): Promise<BacktestResult> {
  if (running) throw new DomainError('TOO_MANY_REQUESTS', 'A backtest is running on this console already: try again when it has finished');
  running = true;
  try {
    return await replay(ctx, input, o);
  } finally {
    running = false;
  }
}

function withCandidate(current: ThresholdSet, input: BacktestInput): ThresholdSet {
  return input.service === GLOBAL
    ? { global: input.candidate, services: current.services }
    : { global: current.global, services: { ...current.services, [input.service]: input.candidate } };
}

function collect(run: Run, list: Detection[], service: string) {
  for (const d of list) {
    if (service !== GLOBAL && d.service !== service) continue;
    const s = screenDetection(d, run.rules);
    if (!('kept' in s)) continue;
    // a detection raised once stays raised, as in the live queue, however it changes later
    const f = run.found.get(d.id) ?? { start: s.kept.start, actors: new Set<string>() };
    f.start = Math.min(f.start, s.kept.start);
    for (const a of s.kept.actors) {
      if (f.actors.size >= ACTORS_PER_DETECTION) break;
      f.actors.add(`${a.type}\u0000${a.id}`);
    }
    run.found.set(d.id, f);
  }
}

function countsPerHour(run: Run, from: number, hours: number): { perHour: Counts[]; total: Counts } {
  const detections = new Array<number>(hours).fill(0);
  const actors = Array.from({ length: hours }, () => new Set<string>());
  const all = new Set<string>();
  for (const f of run.found.values()) {
    const h = Math.min(hours - 1, Math.max(0, Math.floor((f.start - from) / HOUR_MS)));
    detections[h]++;
    for (const a of f.actors) {
      actors[h].add(a);
      all.add(a);
    }
  }
  return { perHour: detections.map((n, i) => ({ detections: n, actors: actors[i].size })), total: { detections: run.found.size, actors: all.size } };
}

async function replay(ctx: Ctx, input: BacktestInput, o: BacktestOptions): Promise<BacktestResult> {
  const now = ctx.now().getTime();
  const from = Math.floor((now - input.hours * HOUR_MS) / HOUR_MS) * HOUR_MS;
  const to = now;
  const maxEvents = o.maxEvents ?? DEFAULT_BACKTEST_EVENTS;
  const stored = await loadRules(ctx.db, ctx.now());
  const sets = [stored.thresholds, withCandidate(stored.thresholds, input)];
  const factory = o.engine ?? defaultEngine;
  const runs: Run[] = sets.map((thresholds) => ({
    rules: { ...stored, thresholds },
    engine: factory({ thresholds, allow: stored.allowEntries, latenessMs: DEFAULT_LATENESS_MS }),
    found: new Map(),
  }));

  const deadline = Date.now() + (o.deadlineMs ?? 120_000);
  let events = 0;
  let coveredFrom: number | null = null;
  let newest = Number.NEGATIVE_INFINITY;
  let truncated: BacktestResult['truncated'] = null;
  for await (const page of readEvents(ctx.db, { from: new Date(from), to: new Date(to), limit: maxEvents, pageSize: o.pageSize })) {
    coveredFrom ??= page.first;
    for (const e of page.events) if (e.ts > newest) newest = e.ts;
    events += page.events.length;
    // events come in order, so the watermark may follow the newest one closely
    for (const run of runs) {
      run.engine.observe(page.events);
      collect(run, run.engine.advance(newest - DEFAULT_LATENESS_MS), input.service);
    }
    if (Date.now() > deadline) {
      truncated = 'time';
      break;
    }
    await new Promise((r) => setImmediate(r));
  }
  if (!truncated && events >= maxEvents) truncated = 'events';
  for (const run of runs) collect(run, run.engine.advance(Number.isFinite(newest) ? newest + 1 : to), input.service);

  const hours = Math.max(1, Math.ceil((to - from) / HOUR_MS));
  const [current, candidate] = runs.map((r) => countsPerHour(r, from, hours));
  const service = input.service;
  const pick = (set: ThresholdSet) => (service !== GLOBAL && set.services[service]) || set.global;
  return {
    service,
    hours: current.perHour.map((c, i) => ({ t: from + i * HOUR_MS, current: c, candidate: candidate.perHour[i] })),
    totals: { current: current.total, candidate: candidate.total },
    events,
    from: new Date(from),
    to: new Date(to),
    coveredFrom: coveredFrom === null ? null : new Date(coveredFrom),
    truncated,
    current: pick(sets[0]),
    candidate: pick(sets[1]),
  };
}
