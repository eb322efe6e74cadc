// Who a request is from, and what the analyzer keeps about them: events held back until the
// watermark passes, the open session part of each channel, id walks, the clients a token was
// used from, the services used. Everything here is per actor and forgotten when the actor is.
import { hash32 } from '@/server/discovery/distinct-sketch';
import type { ActorRef, EngineEvent } from '../types';
import type { Crossing } from './audience';
import type { Nearest } from './clusters';
import type { IdWalk } from './id-walk';
import { TokenClients } from './token-clients';
import type { RequiredStep } from './transitions';
import type { RecentIds, UnreadTally } from './unread-objects';
import type { EndpointInfo } from './vocab';

/** An event as held until the watermark passes it: only what judging it needs. */
export interface Pending {
  actor: ActorState;
  ts: number;
  info: EndpointInfo;
  state: number;
  status: number;
  requestId: string;
  /** '' for calls from outside the mesh, else the calling service */
  channel: string;
  kind: string;
  ua: string;
  /** the client address (tokens only: its group is worked out when it changes) */
  ip: string;
  /** kept only when the endpoint has parameters that may be numeric ids */
  path: string | null;
  /** the token of a call from outside */
  token: TokenState | null;
}

/** A step the model found unlikely, kept as evidence. */
export interface StepNote {
  from: number;
  to: number;
  /** probability of the next endpoint, and of the outcome there */
  p: number;
  pOutcome: number;
  share: number | null;
  kindSupport: number;
  /** the step nearly every client reaching `to` took before it, when this session never took it */
  required: RequiredStep | null;
  /** the step's unexplained surprise */
  surprise: number;
  count: number;
  examples: string[];
}

export const MAX_NOTES = 6;

/** The open part of a session on one channel: its running likelihood and what stood out. */
export class SessionPart {
  steps = 0;
  surprise = 0;
  /** surprise beyond what a usual step carries, repeats of one step discounted */
  excess = 0;
  /** distinct unlikely steps */
  rare = 0;
  readonly seen = new Map<number, number>();
  /** times each state (endpoint and outcome) occurred */
  readonly counts = new Map<number, number>();
  readonly notes: StepNote[] = [];
  /** the session as a hashed bag of states and steps, for the clusters (calls from outside only) */
  vector: Float32Array | null = null;
  /** requests and 403s per destination service (calls from outside only) */
  services: Map<number, { requests: number; forbidden: number }> | null = null;
  forbidden = 0;
  forbiddenEndpoints: Set<number> | null = null;
  /** distance to the nearest usual behaviour, and the length it was measured at */
  nearest: Nearest | null = null;
  nearestAt = 0;
  /** steps already judged (the part is judged again only when it grew) */
  judgedSteps = 0;
  strength = 0;
  last: number;

  constructor(
    readonly kind: string,
    readonly start: number,
    public prev: number,
    /** endpoints the session visited, carried from part to part */
    readonly visited = new Set<number>(),
    /** the two states before `prev`, most recent first */
    readonly earlier: number[] = [],
  ) {
    this.last = start;
  }
}

/** A state repeated far more often than sessions usually do. */
export interface RepeatNote {
  state: number;
  count: number;
  steps: number;
  /** the rate per step 90 % of the kind's sessions calling the endpoint stay at or under */
  usualRate: number;
  /** times expected at that rate in a part this long */
  expected: number;
  sessions: number;
  surprise: number;
}

/** Refusals in a part against the service's usual rate. */
export interface RefusalEvidence {
  service: number;
  requests: number;
  forbidden: number;
  endpoints: number;
  rate: number;
  tail: number;
}

/** The strongest anomalous-sequence evidence about an actor that still holds: a snapshot of a part. */
export interface SequenceEvidence {
  strength: number;
  /** the part it was taken from (a later look at the same part replaces it) */
  part: SessionPart;
  channel: string;
  kind: string;
  steps: number;
  surprise: number;
  excess: number;
  rare: number;
  start: number;
  last: number;
  notes: StepNote[];
  repeats: RepeatNote[];
  /** share of the kind's session parts of that length with this much unexplained surprise */
  tail: number;
  clusterDistance: number | null;
  clusterTail: number | null;
  refusals: RefusalEvidence | null;
}

export interface CrossingEvidence extends Crossing {
  requests: number;
  refused: number;
  last: number;
}

/** What was last reported for a kind of signal. */
export interface Emitted {
  strength: number;
  end: number;
  /** how much of the behaviour it covered (steps, ids walked, switches) */
  size: number;
}

/**
 * The actor whose sessions are followed: the user when the request names one (access tokens are
 * refreshed every few minutes in many deployments, and a session must not end at each refresh),
 * else the token, else address and User-Agent together (without a token the address alone would
 * be everyone behind one NAT). Calls from inside the mesh without a forwarded user or token have
 * no actor: the calling service's own traffic interleaves many requests and has no sequence.
 * Tokens are also followed on their own (TokenState) for the clients they are used from.
 */
export type ActorTableName = 'user' | 'token' | 'anonymous';

export class ActorTable {
  private readonly tables: Record<ActorTableName, Map<string, ActorState>> = { user: new Map(), token: new Map(), anonymous: new Map() };

  get size(): number {
    return this.tables.user.size + this.tables.token.size + this.tables.anonymous.size;
  }

  /** The event's actor, created if new; null for calls from inside the mesh that name no one. */
  of(e: EngineEvent): ActorState | null {
    let table: ActorTableName;
    let id: string;
    if (e.userId) {
      table = 'user';
      id = e.userId;
    } else if (e.tokenId) {
      table = 'token';
      id = e.tokenId;
    } else if (e.srcService === 'external') {
      table = 'anonymous';
      id = `${e.clientIp ?? ''}\u0000${e.userAgent ?? ''}`;
    } else {
      return null;
    }
    const map = this.tables[table];
    let a = map.get(id);
    if (!a) {
      const ref: ActorRef = table === 'user' ? { type: 'user', id } : table === 'token' ? { type: 'token', id } : { type: 'ip', id: e.clientIp ?? '' };
      a = new ActorState(table, id, ref, hash32(`${table}:${id}`));
      map.set(id, a);
    }
    return a;
  }

  has(a: ActorState): boolean {
    return a.alive;
  }

  delete(a: ActorState): void {
    if (!a.alive) return;
    a.alive = false;
    this.tables[a.table].delete(a.id);
  }

  /** Calls `fn` on every actor, the ones created longest ago first within each table (`fn` may delete). */
  each(fn: (a: ActorState) => void): void {
    for (const a of this.tables.user.values()) fn(a);
    for (const a of this.tables.token.values()) fn(a);
    for (const a of this.tables.anonymous.values()) fn(a);
  }
}

/** A token's clients, followed apart from its user's sessions. */
export class TokenState {
  readonly clients = new TokenClients();
  lastSeen = 0;
  learnedPeriod = -1;
  /** patterns (and the token itself) already counted in the population this period */
  readonly learned = new Set<string>();
  emitted: Emitted | null = null;
  touched = false;
  judgedAt = Number.NEGATIVE_INFINITY;

  constructor(readonly id: string) {}
}

export class ActorState {
  /** events held for it until the watermark passes them */
  pending = 0;
  /** newest event time observed */
  lastSeen = 0;
  readonly sessions = new Map<string, SessionPart>();
  walks: Map<number, IdWalk> | null = null;
  /** ids its recent paths named, and per endpoint its calls on ids it had not named (unread-objects.ts) */
  recentIds: RecentIds | null = null;
  unread: Map<number, UnreadTally> | null = null;
  /** services used from outside, oldest first */
  readonly services: number[] = [];
  /** what this actor already taught the model in the current period: steps, and the rest */
  private steps: Set<number> | null = null;
  private lessons: Set<number> | null = null;
  /** the service (and period) it last taught about: calls to the same service teach nothing new */
  taughtService = -1;
  taughtPeriod = -1;
  /** requests it may still add to each service's refusal rate this period */
  private budget: Map<number, number> | null = null;
  learnedPeriod = -1;
  /** its behaviour looked like an attack: it teaches nothing until then */
  quarantinedUntil = 0;
  seq: SequenceEvidence | null = null;
  crossing: CrossingEvidence | null = null;
  private reported: Map<string, Emitted> | null = null;
  touched = false;
  /** when it was last judged (watermark), and whether a session of it closed since */
  judgedAt = Number.NEGATIVE_INFINITY;
  closed = false;

  /** the minute bucket of the close queue it waits in (-1: none) */
  closeAt = -1;
  /** false once forgotten (events and queues may still hold it) */
  alive = true;

  constructor(
    readonly table: ActorTableName,
    readonly id: string,
    readonly ref: ActorRef,
    readonly hash: number,
  ) {}

  get anonymous(): boolean {
    return this.table === 'anonymous';
  }

  // Made on first use: most actors (a visitor, a device posting once) never need them.
  get learnedSteps(): Set<number> {
    return (this.steps ??= new Set());
  }

  get learned(): Set<number> {
    return (this.lessons ??= new Set());
  }

  get refusalBudget(): Map<number, number> {
    return (this.budget ??= new Map());
  }

  get emitted(): Map<string, Emitted> {
    return (this.reported ??= new Map());
  }

  /** A new period: it may teach everything once again. */
  newPeriod(): void {
    this.steps = this.lessons = this.budget = null;
  }

}
