// What a suspicious-looking session would teach waits here until enough distinct clients have
// done the same: one or two attackers cannot make their steps usual, while a new feature that
// many clients start using is learned after all (no deadlock where the new is never learned
// because it is new).

/** distinct clients after which a step on probation is learned */
export const PROBATION_CLIENTS = 5;
const MAX_ENTRIES = 50_000;

interface Entry {
  actors: number[];
  last: number;
}

export class Probation {
  private readonly entries = new Map<number, Entry>();
  /** keys learned after probation: later clients teach them directly */
  private readonly passed = new Set<number>();

  has(key: number): boolean {
    return this.passed.has(key);
  }

  /** Counts a client for a key; true once the key has passed (the caller then teaches it PROBATION_CLIENTS times). */
  vouch(key: number, actor: number, ts: number): boolean {
    if (this.passed.has(key)) return false;
    let e = this.entries.get(key);
    if (!e) {
      if (this.entries.size >= MAX_ENTRIES) return false;
      this.entries.set(key, (e = { actors: [], last: ts }));
    }
    e.last = ts;
    if (!e.actors.includes(actor)) e.actors.push(actor);
    if (e.actors.length < PROBATION_CLIENTS) return false;
    this.entries.delete(key);
    if (this.passed.size < MAX_ENTRIES) this.passed.add(key);
    return true;
  }

  /** Forgets what waited since before `before`. */
  expire(before: number): void {
    for (const [k, e] of this.entries) if (e.last < before) this.entries.delete(k);
  }
}
