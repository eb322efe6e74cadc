// Who uses which service from outside: a client that has used service A and now calls service B,
// when B's clients and A's clients are two populations that (almost) never overlap, has crossed
// from one audience to another: a customer's token against the staff back office, a partner's key
// against the customer API. Judged from the co-usage counts alone, in both directions, so a new
// service that A's clients adopt is not a crossing.

/** services remembered per client */
export const MAX_SERVICES_PER_ACTOR = 8;
/** clients of A needed before "A's clients never use B" means anything */
const MIN_FROM = 50;
/** clients of B needed */
const MIN_TO = 5;
/** B's clients that also use A, above which the audiences overlap */
const OVERLAP = 0.2;
const MAX_PAIRS = 200_000;

export interface Crossing {
  from: number;
  to: number;
  /** share of A's clients that also use B (smoothed) */
  share: number;
  fromClients: number;
  toClients: number;
  ts: number;
  example: string;
}

const pairKey = (a: number, b: number) => (a < b ? a * 65_536 + b : b * 65_536 + a);

export class Audience {
  private clients: number[] = [];
  private readonly both = new Map<number, number>();

  /** An actor counted once per period for a service it used. */
  learnUse(service: number): void {
    this.clients[service] = (this.clients[service] ?? 0) + 1;
  }

  /** …and once per period for a pair of services it used both of. */
  learnPair(a: number, b: number): void {
    const k = pairKey(a, b);
    const v = this.both.get(k);
    if (v === undefined && this.both.size >= MAX_PAIRS) return;
    this.both.set(k, (v ?? 0) + 1);
  }

  clientsOf(service: number): number {
    return this.clients[service] ?? 0;
  }

  /**
   * The crossing into `to` from the services an actor used before, if every one of them has an
   * audience that stays away from `to`; the most generous (largest) share decides.
   */
  crossing(used: readonly number[], to: number, ts: number, example: string): Crossing | null {
    const toClients = this.clientsOf(to);
    if (toClients < MIN_TO || used.length === 0) return null;
    let worst: Crossing | null = null;
    for (const from of used) {
      const fromClients = this.clientsOf(from);
      const both = this.both.get(pairKey(from, to)) ?? 0;
      if (fromClients < MIN_FROM) return null; // too little known about one of its audiences to call it a crossing
      if ((both + 0.5) / (toClients + 1) >= OVERLAP) return null;
      const share = (both + 0.5) / (fromClients + 1);
      if (!worst || share > worst.share) worst = { from, to, share, fromClients, toClients, ts, example };
    }
    return worst;
  }

  decay(factor: number): void {
    for (let i = 0; i < this.clients.length; i++) if (this.clients[i]) this.clients[i] *= factor;
    for (const [k, v] of this.both) {
      const x = v * factor;
      if (x < 0.02) this.both.delete(k);
      else this.both.set(k, x);
    }
  }
}

/** A crossing's strength: how few of A's clients ever go to B. */
export function crossingStrength(c: Crossing): number {
  const rarity = -Math.log10(c.share);
  return Math.max(0, Math.min(0.7, ((rarity - 2) / 2.5) * 0.7));
}
