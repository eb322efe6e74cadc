// Which endpoint follows which, and how calls to an endpoint usually end. The next endpoint is
// predicted from the previous state (endpoint and outcome) per kind of client, smoothed with
// interpolated absolute discounting (Kneser–Ney style) through four levels: this kind of client
// at this state → all clients at this state → all clients at this endpoint whatever its outcome
// → how many different states an endpoint follows (its continuation count: an endpoint only ever
// reached from one other is improbable anywhere else) → a uniform share. The outcome is predicted
// apart, per endpoint, so a random 404 is judged as what it is (an outcome) and not as a new place.
// The caller adds counts once per distinct actor and period, so they count clients, not
// requests; they decay so the model follows the API as it changes.
import { baseOf, OUTCOMES, outcomeOfState, START } from './vocab';

export const DISCOUNT = 0.75;
/**
 * A step seen from fewer than this many clients has no probability of its own: all its mass goes
 * to the back-off. One client (an attacker included) cannot make a step likely by doing it.
 */
const SINGLE = 1.5;
/** what a count gives up to the back-off */
const held = (c: number) => (c < SINGLE ? c : Math.min(c, DISCOUNT));
const own = (c: number) => (c < SINGLE ? 0 : c - DISCOUNT);
/** counts below this after decay are dropped */
const PRUNE_BELOW = 0.02;
/** weight of the service-wide outcome mix in an endpoint's own */
const OUTCOME_PRIOR = 2;

export interface TransitionLimits {
  /** transitions (all tables together) whose destination is in one service */
  perService: number;
  /** transitions overall */
  total: number;
}

export const DEFAULT_TRANSITION_LIMITS: TransitionLimits = { perService: 16_384, total: 400_000 };

class Context {
  total = 0;
  /** Σ min(count, D): the mass discounting frees for the back-off */
  held = 0;
  readonly next = new Map<number, number>();
  /** the largest entry other than the session start (kept for the backward table's required step) */
  top = -1;
  topCount = 0;

  add(to: number, amount: number): boolean {
    const c = this.next.get(to);
    const before = c ?? 0;
    const after = before + amount;
    this.next.set(to, after);
    this.total += amount;
    this.held += held(after) - held(before);
    if (to !== START && after > this.topCount) {
      this.top = to;
      this.topCount = after;
    }
    return c === undefined;
  }

  /** after decay or pruning */
  retop(): void {
    this.top = -1;
    this.topCount = 0;
    for (const [k, c] of this.next) {
      if (k !== START && c > this.topCount) {
        this.top = k;
        this.topCount = c;
      }
    }
  }
}

/** What clients reaching an endpoint (nearly) always did before it. */
export interface RequiredStep {
  /** the endpoint (base state) that precedes it */
  from: number;
  /** share of the clients reaching it that came straight from there */
  share: number;
  /** clients seen reaching it */
  support: number;
}

/** a predecessor this dominant (and this well seen) is a required step */
const REQUIRED_SHARE = 0.8;
const REQUIRED_SUPPORT = 20;

type Table = Map<number, Context>;

export interface StepEstimate {
  /** smoothed probability of the next endpoint after `from` (or a step or two before) for this kind of client */
  p: number;
  /** probability of the outcome at that endpoint */
  pOutcome: number;
  /** share of this kind's clients at `from` that went to that endpoint, unsmoothed (null: none seen at `from`) */
  share: number | null;
  /** clients (summed over successors) the kind's estimate at `from` rests on */
  kindSupport: number;
  /** clients seen at `from` (or at its endpoint, whatever the outcome): what the estimate rests on */
  support: number;
  /** what the outcome estimate rests on */
  outcomeSupport: number;
  /** what nearly all clients of this kind reaching the endpoint did right before it (-1: no such step), their share and number */
  requiredFrom: number;
  requiredShare: number;
  requiredSupport: number;
}

export const newEstimate = (): StepEstimate => ({
  p: 1, pOutcome: 1, share: null, kindSupport: 0, support: 0, outcomeSupport: 0, requiredFrom: -1, requiredShare: 0, requiredSupport: 0,
});

/** below this, earlier states are tried as the context too */
const LAG_CHECK = 0.01;

export class TransitionModel {
  private readonly kinds = new Map<string, Table>();
  private readonly all: Table = new Map();
  private readonly byEndpoint: Table = new Map();
  /** per kind of client and endpoint: the endpoints clients came from (the steps that precede it) */
  private readonly preceding = new Map<string, Table>();

  /** per endpoint: contexts of the pooled model it follows (Kneser–Ney continuation count) */
  private continuation: number[] = [];
  private continuationTotal = 0;
  /** per endpoint: clients per outcome, flat (endpoint base + outcome) */
  private outcomes: number[] = [];
  private outcomeTotals: number[] = [];
  private readonly globalOutcomes = new Array<number>(OUTCOMES).fill(0);
  private perService: number[] = [];
  private entries = 0;

  constructor(
    /** service index of a state */
    private readonly serviceOf: (state: number) => number,
    /** endpoints known, for the uniform share */
    private readonly endpointCount: () => number,
    private readonly limits: TransitionLimits = DEFAULT_TRANSITION_LIMITS,
  ) {}

  get size(): number {
    return this.entries;
  }

  /** Whether clients were seen going from `from` to endpoint `to` (any kind). */
  knows(from: number, to: number): boolean {
    return (this.all.get(from)?.next.get(to) ?? 0) >= 1;
  }

  /** One more client went from state `from` to endpoint `to` (its base state). */
  learn(kind: string, from: number, to: number): void {
    const svc = this.serviceOf(to);
    const full = this.entries >= this.limits.total || (svc >= 0 && (this.perService[svc] ?? 0) >= this.limits.perService);
    let table = this.kinds.get(kind);
    if (!table) this.kinds.set(kind, (table = new Map()));
    this.bump(table, from, to, svc, full);
    const fromBase = baseOf(from);
    this.bump(this.byEndpoint, fromBase, to, svc, full);
    let before = this.preceding.get(kind);
    if (!before) this.preceding.set(kind, (before = new Map()));
    this.bump(before, to, fromBase, svc, full);
    if (this.bump(this.all, from, to, svc, full)) {
      this.continuation[to] = (this.continuation[to] ?? 0) + 1;
      this.continuationTotal += 1;
    }
  }

  /** One more client got this outcome (the state's) at its endpoint. */
  learnOutcome(state: number): void {
    const base = baseOf(state);
    const o = outcomeOfState(state);
    this.outcomes[base + o] = (this.outcomes[base + o] ?? 0) + 1;
    this.outcomeTotals[base] = (this.outcomeTotals[base] ?? 0) + 1;
    this.globalOutcomes[o] += 1;
  }

  private bump(table: Table, from: number, to: number, svc: number, full: boolean): boolean {
    let ctx = table.get(from);
    if (!ctx) {
      if (full) return false;
      table.set(from, (ctx = new Context()));
    }
    if (full && !ctx.next.has(to)) return false;
    const fresh = ctx.add(to, 1);
    if (fresh) {
      this.entries += 1;
      if (svc >= 0) this.perService[svc] = (this.perService[svc] ?? 0) + 1;
    }
    return fresh;
  }

  /**
   * The lowest level: half where this kind of client starts sessions (a client jumping back to an
   * entry point mid-session is common), half the continuation count.
   */
  private lowest(kind: string, to: number): number {
    const n = this.endpointCount() + 1;
    const uni = ((this.continuation[to] ?? 0) + 0.5) / (this.continuationTotal + 0.5 * n);
    const starts = this.kinds.get(kind)?.get(START) ?? this.all.get(START);
    const entry = starts ? ((starts.next.get(to) ?? 0) + 0.5) / (starts.total + 0.5 * n) : 1 / n;
    return 0.5 * uni + 0.5 * entry;
  }

  private static interpolate(ctx: Context | undefined, to: number, lower: number): number {
    if (!ctx || ctx.total <= 0) return lower;
    return (own(ctx.next.get(to) ?? 0) + ctx.held * lower) / ctx.total;
  }

  /**
   * How likely `state` (an endpoint and its outcome) is after `from` for this kind of client.
   * `earlier`: the states before `from`, most recent first. A step unlikely after `from` but usual
   * after one of them counts at that (halved for each step back): browsers fire requests in
   * parallel and people keep several tabs, so one flow's steps are interleaved with another's.
   * Writes into `out` (the hot path allocates nothing).
   */
  estimate(kind: string, from: number, state: number, earlier: readonly number[], out: StepEstimate): StepEstimate {
    const to = baseOf(state);
    const lower = this.lowest(kind, to);
    const table = this.kinds.get(kind);
    const all = this.all.get(from);
    const endpointCtx = this.byEndpoint.get(baseOf(from));
    const ctx = table?.get(from);
    let p = this.chain(ctx, all, endpointCtx, to, lower);
    if (p < LAG_CHECK) {
      let weight = 1;
      for (const e of earlier) {
        weight *= 0.5;
        const q = weight * this.chain(table?.get(e), this.all.get(e), this.byEndpoint.get(baseOf(e)), to, lower);
        if (q > p) p = q;
      }
    }
    out.p = p;
    if (ctx && ctx.total > 0) {
      out.share = (ctx.next.get(to) ?? 0) / ctx.total;
      out.kindSupport = ctx.total;
    } else {
      out.share = all && all.total > 0 ? (all.next.get(to) ?? 0) / all.total : null;
      out.kindSupport = 0;
    }
    // What is known about where the client comes from: about a state no client was seen at, nothing
    // can be surprising. A service calling from inside the mesh runs its own code: what other
    // callers do says nothing about it, so only its own history counts.
    out.support = kind.startsWith('svc:') ? (ctx?.total ?? 0) : Math.max(all?.total ?? 0, endpointCtx?.total ?? 0);
    const o = outcomeOfState(state);
    const n = this.outcomeTotals[to] ?? 0;
    const c = this.outcomes[to + o] ?? 0;
    const g = this.globalOutcomes[0] + this.globalOutcomes[1] + this.globalOutcomes[2] + this.globalOutcomes[3];
    const prior = (this.globalOutcomes[o] + 1) / (g + OUTCOMES);
    out.pOutcome = ((c < SINGLE ? 0 : c) + OUTCOME_PRIOR * prior) / (n + OUTCOME_PRIOR);
    out.outcomeSupport = n;
    const before = this.preceding.get(kind)?.get(to);
    if (before && before.total >= REQUIRED_SUPPORT && before.topCount >= REQUIRED_SHARE * before.total) {
      out.requiredFrom = before.top;
      out.requiredShare = before.topCount / before.total;
      out.requiredSupport = before.total;
    } else {
      out.requiredFrom = -1;
    }
    return out;
  }

  /** this kind at the state → all clients at the state → all clients at its endpoint → the lowest level */
  private chain(ctx: Context | undefined, all: Context | undefined, endpoint: Context | undefined, to: number, lower: number): number {
    return TransitionModel.interpolate(ctx, to, TransitionModel.interpolate(all, to, TransitionModel.interpolate(endpoint, to, lower)));
  }

  /** Ages every count by `factor` (0–1) and drops the ones that faded away. */
  decay(factor: number): void {
    for (const table of this.kinds.values()) this.decayTable(table, factor, false, false);
    this.decayTable(this.byEndpoint, factor, false, false);
    for (const table of this.preceding.values()) this.decayTable(table, factor, false, true);
    this.decayTable(this.all, factor, true, false);
    for (const list of [this.outcomes, this.outcomeTotals, this.globalOutcomes]) {
      for (let i = 0; i < list.length; i++) if (list[i]) list[i] *= factor;
    }
    this.enforceBudgets();
  }

  /** `backward`: the table is keyed by destination (its entries are sources), so budgets go to the key's service. */
  private decayTable(table: Table, factor: number, pooled: boolean, backward: boolean): void {
    for (const [key, ctx] of table) {
      ctx.total = 0;
      ctx.held = 0;
      for (const [inner, c] of ctx.next) {
        const v = c * factor;
        if (v < PRUNE_BELOW) {
          ctx.next.delete(inner);
          this.forget(backward ? key : inner, pooled);
          continue;
        }
        ctx.next.set(inner, v);
        ctx.total += v;
        ctx.held += held(v);
      }
      if (ctx.next.size === 0) table.delete(key);
      else if (backward) ctx.retop();
    }
  }

  private forget(dest: number, pooled: boolean): void {
    this.entries -= 1;
    const svc = this.serviceOf(dest);
    if (svc >= 0) this.perService[svc] -= 1;
    if (pooled) {
      this.continuation[dest] -= 1;
      this.continuationTotal -= 1;
    }
  }

  /**
   * A service over its budget (a scanner inventing endpoints) loses its weakest transitions
   * until it is back under 80–90 %: memory stays bounded, and what many clients do survives.
   */
  private enforceBudgets(): void {
    const over = new Set<number>();
    for (let s = 0; s < this.perService.length; s++) if (this.perService[s] > this.limits.perService * 0.9) over.add(s);
    const totalOver = this.entries > this.limits.total * 0.9;
    if (!over.size && !totalOver) return;
    const hit = (state: number) => totalOver || over.has(this.serviceOf(state));
    const tables: [Table, boolean][] = [
      ...[...this.kinds.values(), this.byEndpoint, this.all].map((t): [Table, boolean] => [t, false]),
      ...[...this.preceding.values()].map((t): [Table, boolean] => [t, true]),
    ];
    const counts: number[] = [];
    for (const [table, backward] of tables) {
      for (const [key, ctx] of table) for (const [inner, c] of ctx.next) if (hit(backward ? key : inner)) counts.push(c);
    }
    counts.sort((a, b) => a - b);
    const excess = totalOver ? this.entries - Math.floor(this.limits.total * 0.8) : Math.floor(counts.length * 0.2);
    const cut = counts[Math.min(counts.length - 1, Math.max(0, excess))] ?? 0;
    for (const [table, backward] of tables) {
      const pooled = table === this.all;
      for (const [key, ctx] of table) {
        for (const [inner, c] of ctx.next) {
          const dest = backward ? key : inner;
          if (c > cut || !hit(dest)) continue;
          ctx.next.delete(inner);
          ctx.total -= c;
          ctx.held -= held(c);
          this.forget(dest, pooled);
        }
        if (ctx.next.size === 0) table.delete(key);
        else if (backward) ctx.retop();
      }
    }
  }
}
