// Query parameters are learned beside the path, per endpoint: names, how often each is sent,
// and a type from its values. Bounded: at most MAX_KEYS names per endpoint.
import { typeOf, type ParamType, widenType } from './param-typing';

const MAX_KEYS = 32;
/** shared by endpoints that never saw a query string, until their first one */
const NONE: Map<string, QueryParam> = new Map();

export interface QueryParam {
  name: string;
  count: number;
  type: ParamType;
}

export class QueryStats {
  private keys: Map<string, QueryParam> = NONE;

  add(names: string[], values: string[]): void {
    for (let i = 0; i < names.length; i++) {
      const name = names[i];
      let p = this.keys.get(name);
      if (!p) {
        if (this.keys.size >= MAX_KEYS) continue;
        if (this.keys === NONE) this.keys = new Map();
        p = { name, count: 0, type: typeOf(values[i]) };
        this.keys.set(name, p);
      } else if (p.count < 16 || (p.count & 255) === 0) {
        // a sample types the parameter as well as every value would
        p.type = widenType(p.type, typeOf(values[i]));
      }
      p.count++;
    }
  }

  mergeInto(target: QueryStats): void {
    for (const p of this.keys.values()) {
      const t = target.keys.get(p.name);
      if (t) {
        t.count += p.count;
        t.type = widenType(t.type, p.type);
      } else if (target.keys.size < MAX_KEYS) {
        if (target.keys === NONE) target.keys = new Map();
        target.keys.set(p.name, { ...p });
      }
    }
  }

  list(): QueryParam[] {
    return [...this.keys.values()].sort((a, b) => b.count - a.count || a.name.localeCompare(b.name));
  }
}
