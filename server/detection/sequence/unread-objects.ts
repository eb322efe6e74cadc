// Acting on objects a client never opened: returns filed on order after order that the client
// never looked at, where every customer opens the order first. Per endpoint, the population
// teaches how often a call names an id the client had not used in a path shortly before; where
// ids usually come from elsewhere (a list's body, a link) that share is high and nothing is
// evidence, where nearly every client opens the object first a client that keeps skipping it
// stands out at any rate. No endpoint names or shapes are assumed: the share is all there is.
import { binomialSurprise } from '../binomial';

/** ids (hashed) a client's recent paths named, remembered per actor */
export const RECENT_IDS = 32;
/** calls naming an unopened id before a client's tally is evidence at all */
export const MIN_UNREAD = 4;
/** clients (per period) an endpoint's share must rest on */
export const MIN_VOTES = 5;
/** surprise (nats) below which nothing is said, and the span to full strength */
const SURPRISE_FLOOR = 10;
const SURPRISE_SPAN = 15;
/** one-sided z for the upper bound of the population's share (95 %) */
const Z = 1.645;
/** endpoints tallied per actor */
export const MAX_TALLIES = 16;

/** The last RECENT_IDS ids (32-bit hashes, 0 = none) an actor named. */
export class RecentIds {
  private readonly ring = new Int32Array(RECENT_IDS);
  private at = 0;

  has(h: number): boolean {
    const ring = this.ring;
    for (let i = 0; i < RECENT_IDS; i++) if (ring[i] === h) return true;
    return false;
  }

  add(h: number): void {
    if (h === 0 || this.has(h)) return;
    this.ring[this.at] = h;
    this.at = (this.at + 1) % RECENT_IDS;
  }
}

/** One actor's calls to one endpoint with an id, and how many named an id it had not opened. */
export interface UnreadTally {
  endpoint: number;
  calls: number;
  unread: number;
  start: number;
  last: number;
  examples: string[];
}

/** What the population says about an endpoint: the upper bound of its share, and what it rests on. */
export interface UnreadShare {
  share: number;
  votes: number;
  unread: number;
}

/** An actor's clearest tally, its strength and the endpoint's share it was judged against. */
export interface UnreadEvidence {
  tally: UnreadTally;
  strength: number;
  population: UnreadShare;
}

/** Per endpoint: clients (votes, one per client and period) and how many of them called it on an unopened id. */
export class UnreadRates {
  private votes: number[] = [];
  private unread: number[] = [];

  learn(endpoint: number, unread: boolean): void {
    this.votes[endpoint] = (this.votes[endpoint] ?? 0) + 1;
    if (unread) this.unread[endpoint] = (this.unread[endpoint] ?? 0) + 1;
  }

  /**
   * The highest share of unopened calls consistent with what was seen (Wilson upper bound): with
   * few clients seen the share could be high, and a client is judged against that, not against
   * the few that happened to open the object first.
   */
  upperShare(endpoint: number): UnreadShare {
    const n = this.votes[endpoint] ?? 0;
    const k = this.unread[endpoint] ?? 0;
    if (n <= 0) return { share: 1, votes: 0, unread: 0 };
    const p = k / n;
    const z2 = Z * Z;
    const upper = (p + z2 / (2 * n) + Z * Math.sqrt((p * (1 - p)) / n + z2 / (4 * n * n))) / (1 + z2 / n);
    return { share: Math.min(1, upper), votes: n, unread: k };
  }

  decay(f: number): void {
    for (const list of [this.votes, this.unread]) for (let i = 0; i < list.length; i++) if (list[i]) list[i] *= f;
  }
}

/** −ln of how unlikely `unread` of `calls` are when a call is unopened with chance `share` (binomial, Chernoff bound). */
export function unreadSurprise(unread: number, calls: number, share: number): number {
  return calls > 0 && unread > 0 ? binomialSurprise(unread, calls, share) : 0;
}

/** How strongly a tally says "acts on objects it never opened", given the endpoint's population share. */
export function unreadStrength(t: UnreadTally, share: number, votes: number): number {
  if (votes < MIN_VOTES || t.unread < MIN_UNREAD || 2 * t.unread < t.calls) return 0;
  const s = unreadSurprise(t.unread, t.calls, share);
  return Math.max(0, Math.min(1, (s - SURPRISE_FLOOR) / SURPRISE_SPAN));
}
