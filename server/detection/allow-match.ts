// Which actors an allow-list covers, for what the console keeps of the engine's detections.
// The engine is given the allow-list too and does not score those clients; the console checks
// again on what it stores, so a detection never names a client an admin declared good (and a
// change to the list takes effect on the next detection, not only after the engine relearns).
// User-agent entries cannot be checked here (an actor carries no user agent): the engine
// applies them.
import { inCidr, parseCidr, withMappedTwin, type Cidr } from '@/server/policy/compile/cidr';
import type { ActorRef, AllowEntry } from './types';

export class AllowMatcher {
  private blocks: Cidr[] = [];
  private exact = new Set<string>();

  constructor(entries: readonly AllowEntry[]) {
    for (const e of entries) {
      if (e.type === 'ip' || e.type === 'cidr') {
        const c = parseCidr(e.value);
        if (c) this.blocks.push(...withMappedTwin(c));
      } else if (e.type === 'token' || e.type === 'user' || e.type === 'service') {
        this.exact.add(`${e.type}\u0000${e.value}`);
      }
    }
  }

  get empty(): boolean {
    return this.blocks.length === 0 && this.exact.size === 0;
  }

  /** An address is covered by a block containing it; an address group by a block containing all of it. */
  allows(a: ActorRef): boolean {
    if (a.type === 'ip') return this.blocks.some((b) => inCidr(a.id, b));
    if (a.type === 'ip_group') {
      const g = parseCidr(a.id);
      return g !== null && this.blocks.some((b) => b.family === g.family && b.bits <= g.bits && inCidr(g.address, b));
    }
    return this.exact.has(`${a.type}\u0000${a.id}`);
  }
}
