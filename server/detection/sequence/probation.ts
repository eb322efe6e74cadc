// A step the model does not know yet waits here until enough distinct clients have taken it:
// one or two clients (an attacker in the first minutes, before anything looks unusual) cannot
// make their steps usual, while a new feature that many clients start using is learned after all
// (no deadlock where the new is never learned because it is new). Steps from sessions that looked
// suspicious need more clients.

/** distinct clients after which a new step is learned */
export const NEW_STEP_CLIENTS = 3;
/** …when the sessions vouching for it looked suspicious */
export const SUSPICIOUS_STEP_CLIENTS = 5;
const MAX_ENTRIES = 200_000;

interface Entry {
  actors: number[];
  last: number;
}

export class Probation {
  private readonly entries = new Map<number, Entry>();

  get size(): number {
    return this.entries.size;
  }

  /**
   * Counts a client for a key; once `needed` distinct clients vouched, returns how many did (the
   * caller teaches the step that many times) and forgets the key; else 0.
   */
  vouch(key: number, actor: number, ts: number, needed: number): number {
    let e = this.entries.get(key);
    if (!e) {
      if (this.entries.size >= MAX_ENTRIES) return 0;
      this.entries.set(key, (e = { actors: [], last: ts }));
    }
    e.last = ts;
    if (!e.actors.includes(actor)) e.actors.push(actor);
    if (e.actors.length < needed) return 0;
    this.entries.delete(key);
    return e.actors.length;
  }

  /** Forgets what waited since before `before`. */
  expire(before: number): void {
    for (const [k, e] of this.entries) if (e.last < before) this.entries.delete(k);
  }
}
