import { generateAttack } from './attacks';
import { generateBenignSlot, MAX_SESSION_MS, SLOT_MS } from './benign';
import { GroundTruth, isAttack, isCohort, type CohortEntry, type GroundTruthEntry, type GroundTruthRecord } from './ground-truth';
import { byTime, type SimRecord } from './record';
import { MAX_ATTACK_MS } from './schedule';
import type { World } from './world';

/**
 * The time-ordered event stream from `start` on. Work is keyed by minute slots (benign
 * traffic) and attack periods, each generated from its own seed when the stream first
 * reaches it, so any sequence of `advance` calls yields the same events as one big call.
 * Sessions and attacks that began before `start` are generated too (they shape the load)
 * but only their events from `start` on come out.
 */
export class SimStream {
  readonly truth: GroundTruth;
  private pending: SimRecord[] = [];
  private cursor: number;
  private nextSlot: number;
  private nextPeriod: number;

  constructor(readonly world: World, readonly start: number) {
    this.truth = new GroundTruth(world.options.seed);
    this.cursor = start;
    this.nextSlot = Math.floor((start - MAX_SESSION_MS) / SLOT_MS);
    this.nextPeriod = Math.floor((start - MAX_ATTACK_MS) / world.attackEveryMs);
  }

  get position(): number {
    return this.cursor;
  }

  /** Events starting in [position, to), oldest first. */
  advance(to: number): SimRecord[] {
    if (to <= this.cursor) return [];
    const { world } = this;
    while (this.nextSlot * SLOT_MS < to) generateBenignSlot(world, this.nextSlot++, this.pending);
    if (world.options.scenarios.length > 0) {
      while (this.nextPeriod * world.attackEveryMs < to) {
        const plan = world.plan(this.nextPeriod++);
        if (!plan || plan.end <= this.start) continue;
        this.truth.register(plan, generateAttack(world, plan, this.pending));
      }
    }
    const ready: SimRecord[] = [];
    const later: SimRecord[] = [];
    for (const rec of this.pending) {
      if (rec.ts >= to) later.push(rec);
      else if (rec.ts >= this.start) ready.push(rec);
    }
    this.pending = later;
    this.cursor = to;
    ready.sort(byTime);
    for (const rec of ready) if (rec.attack || rec.cohorts) this.truth.observe(rec);
    return ready;
  }

  /** Ground-truth entries of the attacks and the cohort days that are over by now. */
  finishedTruth(): GroundTruthRecord[] {
    return this.truth.finishedBefore(this.cursor);
  }
}

/** Every event in [from, to), the ground truth of the attacks in it and its benign cohorts' entries. */
export function generateWindow(world: World, from: number, to: number): { records: SimRecord[]; truth: GroundTruthEntry[]; cohorts: CohortEntry[] } {
  const stream = new SimStream(world, from);
  const records = stream.advance(to);
  const all = stream.truth.rest();
  return { records, truth: all.filter(isAttack), cohorts: all.filter(isCohort) };
}
