// Literal siblings of a parameter (`/orders/upcoming` beside `/orders/{id}`, same method): the
// ones a spec has are marked busy (requested hundreds of times), and a few are added where a
// spec has only the parameter, from apidisc2's own list of collection views.
import type { Endpoint } from './api-model';
import type { Prng } from './prng';
import { normTemplate } from './scorer';
import { COLLECTION_VIEWS } from './word-lists';

const isLiteral = (seg: string) => !seg.includes('{}');

/** Per method, the normalized prefixes (`/orders`) that have a plain `{}` child, and the literal children of each prefix. */
function childIndex(endpoints: readonly Endpoint[]) {
  const paramAt = new Set<string>();
  const literalsAt = new Map<string, Set<string>>();
  for (const e of endpoints) {
    const segs = normTemplate(e.template).split('/');
    for (let i = 1; i < segs.length; i++) {
      const prefix = segs.slice(0, i).join('/');
      if (segs[i] === '{}') paramAt.add(`${e.method} ${prefix}`);
      else if (isLiteral(segs[i])) {
        const k = `${e.method} ${prefix}`;
        if (!literalsAt.has(k)) literalsAt.set(k, new Set());
        literalsAt.get(k)!.add(segs[i]);
      }
    }
  }
  return { paramAt, literalsAt };
}

/**
 * Marks the endpoints that end at, or one segment below, a literal whose prefix also has a `{}`
 * child for the same method (`/issue/createmeta`, `/gists/starred/{x}`). Deeper endpoints under
 * such a literal (a whole API beside a root `/{id}`) stay ordinary.
 */
export function markBusyLiterals(endpoints: Endpoint[]): void {
  const { paramAt } = childIndex(endpoints);
  for (const e of endpoints) {
    const segs = normTemplate(e.template).split('/');
    e.busyLiteral = false;
    for (let i = Math.max(1, segs.length - 2); i < segs.length; i++) {
      if (segs[i] !== '' && isLiteral(segs[i]) && paramAt.has(`${e.method} ${segs.slice(0, i).join('/')}`)) e.busyLiteral = true;
    }
  }
}

/**
 * Adds literal views beside some `GET …/{param}` endpoints that have no literal sibling: with
 * probability `share` a service gets one to three such places, each one to three views.
 */
export function addCollectionViews(endpoints: Endpoint[], rng: Prng, share: number): Endpoint[] {
  if (!rng.chance(share)) return [];
  const { literalsAt } = childIndex(endpoints);
  const anyMethodLiterals = new Map<string, Set<string>>();
  for (const [k, set] of literalsAt) {
    const prefix = k.slice(k.indexOf(' ') + 1);
    if (!anyMethodLiterals.has(prefix)) anyMethodLiterals.set(prefix, new Set());
    for (const s of set) anyMethodLiterals.get(prefix)!.add(s);
  }
  const candidates = endpoints.filter((e) => {
    if (e.method !== 'GET' || e.origin !== 'spec') return false;
    const segs = normTemplate(e.template).split('/');
    const prefix = segs.slice(0, -1).join('/');
    return segs.length >= 3 && segs[segs.length - 1] === '{}' && !literalsAt.has(`GET ${prefix}`);
  });
  const added: Endpoint[] = [];
  const used = new Set<string>();
  for (const e of rng.permute(candidates).slice(0, rng.between(1, 3))) {
    const cut = e.template.lastIndexOf('/');
    const prefixNorm = normTemplate(e.template).split('/').slice(0, -1).join('/');
    if (used.has(prefixNorm)) continue;
    used.add(prefixNorm);
    const taken = anyMethodLiterals.get(prefixNorm) ?? new Set<string>();
    const views = rng.permute(COLLECTION_VIEWS.filter((v) => !taken.has(v))).slice(0, rng.byWeight([[1, 3], [2, 3], [3, 2]] as const));
    const lastParam = /^\{([^}]*)\}$/.exec(e.template.slice(cut + 1))?.[1];
    const params = new Map([...e.pathParams].filter(([name]) => name !== lastParam));
    for (const v of views) {
      added.push({ method: 'GET', template: `${e.template.slice(0, cut)}/${v}`, pathParams: params, query: [], success: 200, origin: 'busy-literal', busyLiteral: true });
    }
  }
  return added;
}
