// What the engine remembers of one actor (token, user, address, address group): counts per minute
// for the short windows, decayed counts for the long ones, the endpoints it used in the last half
// hour with the distinct paths under each (ids walked), the other actors it came with (a token's
// addresses and user, an address's tokens), and a few recent requests to show.
import { isRefused } from '../refused';
import type { ActorRef, ExampleEvent } from '../types';
import type { BurstPeak } from './burst-peak';
import { DecayedCounts, MinuteRing } from './minute-ring';

/** per-minute counters */
export const C = { REQ: 0, AUTH: 1, DENY: 2, NOTFOUND: 3, LIMITED: 4, SERVER: 5, SENS_OUT: 6, REJECTED: 7 } as const;
export const C_WIDTH = 8;
/** decayed counters (4 h and 24 h) */
export const D = { REQ: 0, AUTH: 1, SENS_OUT: 2, DENY: 3 } as const;
export const D_WIDTH = 4;

export const HALF_HOUR_MS = 30 * 60_000;
const MAX_ENDPOINTS = 64;
const MAX_PATHS = 2048;
const MAX_PATHS_PER_ENDPOINT = 1024;
const MAX_LINKS = 32;
const EXAMPLES = 5;

export interface EndpointUse {
  service: string;
  n: number;
  auth: number;
  ok: number;
  first: number;
  last: number;
  /** distinct paths under it (hashed) with when each was last called (ms since the record's `base`) */
  paths: Map<number, number>;
}

/** A link's recent count is kept in three buckets of this length: about the last half hour. */
const LINK_BUCKET_MS = 10 * 60_000;

export interface Link {
  first: number;
  last: number;
  /** the bucket (of LINK_BUCKET_MS) that b0 counts; b1 and b2 count the two before it */
  bucket: number;
  b0: number;
  b1: number;
  b2: number;
}

/**
 * Requests the two actors shared over the buckets of about the last half hour before `now`: what
 * is compared with each one's own half hour (a count since the first request, set against a
 * half hour's, made a staff member's all-day office address look like theirs alone at night).
 */
export function recentLinks(l: Link, now: number): number {
  const age = Math.floor(now / LINK_BUCKET_MS) - l.bucket;
  if (age <= 0) return l.b0 + l.b1 + l.b2;
  if (age === 1) return l.b0 + l.b1;
  return age === 2 ? l.b0 : 0;
}

function countLink(l: Link, ts: number): void {
  const b = Math.floor(ts / LINK_BUCKET_MS);
  const d = b - l.bucket;
  if (d > 0) {
    l.b2 = d === 1 ? l.b1 : d === 2 ? l.b0 : 0;
    l.b1 = d === 1 ? l.b0 : 0;
    l.b0 = 1;
    l.bucket = b;
  } else if (d === 0) l.b0++;
  else if (d === -1) l.b1++;
  else if (d === -2) l.b2++;
}

function dropStale(stamps: Map<number, number>, before: number): void {
  for (const [k, t] of stamps) if (t < before) stamps.delete(k);
}

export class ActorRecord {
  readonly ring = new MinuteRing(C_WIDTH);
  readonly d4 = new DecayedCounts(D_WIDTH, 4 * 3600_000);
  readonly d24 = new DecayedCounts(D_WIDTH, 24 * 3600_000);
  readonly endpoints = new Map<string, EndpointUse>();
  /** distinct paths (hashed, with the destination) in the last half hour, with when each was last seen (ms since `base`) */
  readonly paths = new Map<number, number>();
  readonly links = new Map<string, Link>();
  readonly examples: ExampleEvent[] = [];
  firstSeen: number;
  lastSeen: number;
  /**
   * Paths are stamped in ms since the record began rather than since the epoch: for 12 days such
   * a number is stored in a Map as is, where an epoch time is a heap object made on every set
   * (several per event, a good part of the engine's garbage).
   */
  private readonly base: number;
  /** its busiest earlier windows of sensitive data sent back (users, and tokens naming none; made when first judged) */
  sensitivePeak: BurstPeak | null = null;
  /** the actor looked like an attack until this time: it teaches the population nothing meanwhile */
  flaggedUntil = Number.NEGATIVE_INFINITY;

  constructor(
    readonly key: string,
    readonly ref: ActorRef,
    ts: number,
  ) {
    this.firstSeen = ts;
    this.lastSeen = ts;
    this.base = ts;
  }

  /** a token that came with a user (judged through the user) */
  hasUser = false;
  /** what an address's group is (computed once per address) */
  group: string | null = null;
  private prunedAt = Number.NEGATIVE_INFINITY;

  /** Counts one request of this actor in its windows. */
  countRequest(ts: number, minute: number, newestMinute: number, status: number, sensitive: number): void {
    const r = this.ring;
    r.add(minute, C.REQ, 1, newestMinute);
    const w4 = this.d4.weight(ts);
    const w24 = this.d24.weight(ts);
    const d4 = this.d4.values;
    const d24 = this.d24.values;
    d4[D.REQ] += w4;
    d24[D.REQ] += w24;
    let c = -1;
    let d = -1;
    if (isRefused(status)) {
      c = C.AUTH;
      d = D.AUTH;
    } else if (status === 403) {
      c = C.DENY;
      d = D.DENY;
    } else if (status === 404 || status === 405 || status === 410) {
      c = C.NOTFOUND;
    } else if (status === 429) c = C.LIMITED;
    else if (status >= 500) c = C.SERVER;
    else if (status >= 400) c = C.REJECTED;
    if (c >= 0) r.add(minute, c, 1, newestMinute);
    if (d >= 0) {
      d4[d] += w4;
      d24[d] += w24;
    }
    if (sensitive > 0) {
      r.add(minute, C.SENS_OUT, sensitive, newestMinute);
      d4[D.SENS_OUT] += sensitive * w4;
      d24[D.SENS_OUT] += sensitive * w24;
    }
  }

  /** prunes at most every few minutes (it walks every endpoint's paths) */
  pruneSometimes(now: number): void {
    if (now - this.prunedAt < 5 * 60_000) return;
    this.prunedAt = now;
    this.prune(now);
  }

  touch(ts: number): void {
    if (ts > this.lastSeen) this.lastSeen = ts;
    if (ts < this.firstSeen) this.firstSeen = ts;
  }

  useEndpoint(key: string, service: string, pathHash: number, ts: number, status: number): void {
    // distinct paths are counted before the endpoint table's cap can return early: a crawler
    // guessing paths makes nearly every one its own coarse route, and used to stop counting at
    // MAX_ENDPOINTS (64) distinct paths, too few to stand out from an office address (tests)
    const at = ts - this.base;
    if (this.paths.size >= MAX_PATHS && !this.paths.has(pathHash)) this.prunePaths(ts);
    if (this.paths.size < MAX_PATHS || this.paths.has(pathHash)) this.paths.set(pathHash, Math.max(at, this.paths.get(pathHash) ?? at));
    let u = this.endpoints.get(key);
    if (u && u.last < ts - HALF_HOUR_MS) {
      this.endpoints.delete(key);
      u = undefined;
    }
    if (!u) {
      if (this.endpoints.size >= MAX_ENDPOINTS) this.pruneEndpoints(ts);
      if (this.endpoints.size >= MAX_ENDPOINTS) return;
      u = { service, n: 0, auth: 0, ok: 0, first: ts, last: ts, paths: new Map() };
      this.endpoints.set(key, u);
    }
    u.n++;
    if (isRefused(status)) u.auth++;
    else if (status < 400) u.ok++;
    if (ts > u.last) u.last = ts;
    if (ts < u.first) u.first = ts;
    const seen = u.paths.get(pathHash);
    if (seen !== undefined) {
      if (at > seen) u.paths.set(pathHash, at);
    } else {
      if (u.paths.size >= MAX_PATHS_PER_ENDPOINT) dropStale(u.paths, this.staleBefore(ts));
      if (u.paths.size < MAX_PATHS_PER_ENDPOINT) u.paths.set(pathHash, at);
    }
  }

  link(key: string, ts: number): void {
    const l = this.links.get(key);
    if (l) {
      countLink(l, ts);
      if (ts > l.last) l.last = ts;
      if (ts < l.first) l.first = ts;
      return;
    }
    if (this.links.size >= MAX_LINKS) {
      for (const [k, v] of this.links) if (v.last < ts - HALF_HOUR_MS) this.links.delete(k);
      if (this.links.size >= MAX_LINKS) return;
    }
    this.links.set(key, { first: ts, last: ts, bucket: Math.floor(ts / LINK_BUCKET_MS), b0: 1, b1: 0, b2: 0 });
  }

  example(e: ExampleEvent): void {
    if (this.examples.length >= EXAMPLES) this.examples.shift();
    this.examples.push(e);
  }

  /** drops what is older than half an hour before `now` */
  prune(now: number): void {
    this.pruneEndpoints(now);
    this.prunePaths(now);
  }

  /** a path stamp older than this is more than half an hour before `now` */
  private staleBefore(now: number): number {
    return now - HALF_HOUR_MS - this.base;
  }

  private pruneEndpoints(now: number): void {
    for (const [k, u] of this.endpoints) {
      if (u.last < now - HALF_HOUR_MS) this.endpoints.delete(k);
      else dropStale(u.paths, this.staleBefore(now));
    }
  }

  private prunePaths(now: number): void {
    dropStale(this.paths, this.staleBefore(now));
  }

  /** the endpoint with the most distinct paths (ids walked) in the last half hour */
  widestEndpoint(): { key: string; use: EndpointUse } | null {
    let best: { key: string; use: EndpointUse } | null = null;
    for (const [key, use] of this.endpoints) if (!best || use.paths.size > best.use.paths.size) best = { key, use };
    return best;
  }

  /** whether a token or a user came with it (an address of signed-in people, not one anonymous client) */
  carriesClients(): boolean {
    for (const key of this.links.keys()) if (key.startsWith('token:') || key.startsWith('user:')) return true;
    return false;
  }

  /** distinct users that came with it since `since` (several: an address people share) */
  usersSince(since: number): number {
    let n = 0;
    for (const [key, l] of this.links) if (l.last >= since && key.startsWith('user:')) n++;
    return n;
  }

  /** the endpoint it called most in the last half hour */
  busiestEndpoint(): { key: string; use: EndpointUse } | null {
    let best: { key: string; use: EndpointUse } | null = null;
    for (const [key, use] of this.endpoints) if (!best || use.n > best.use.n) best = { key, use };
    return best;
  }
}
