// Stray requests (probes, typos) answered with refusals must not become endpoints nor count as
// sibling values; an endpoint that really answers with refusals shows up once it is consistent.
import { describe, expect, it } from 'vitest';
import { learn } from './learner';
import { PathNode } from './path-tree';
import { emptyFolded, setStraysAside } from './position-children';
import { isRefused, REFUSED_UNTIL } from './status-evidence';

const S = 'garden/api';
const line = (method: string, path: string, status = 200) => JSON.stringify({ service: S, method, path, status });
const templates = (lines: string[]) => learn(lines).map((e) => `${e.method} ${e.template}`).sort();

/** A small shop: orders by number, each seen a few times, answered 200. */
function shop(): string[] {
  const out: string[] = [];
  for (let i = 0; i < 40; i++) out.push(line('GET', `/shop/orders/${5000 + i}`), line('GET', `/shop/orders/${5000 + i}/lines`));
  for (let i = 0; i < 20; i++) out.push(line('GET', '/shop/orders'));
  return out;
}

describe('isRefused', () => {
  it('counts what a gateway or an auth layer answers to any path, not what only a handler answers', () => {
    for (const s of [400, 401, 403, 404, 405, 429, 502, 503]) expect(isRefused(s)).toBe(true);
    for (const s of [200, 201, 204, 301, 409, 422, 500, undefined]) expect(isRefused(s)).toBe(false);
  });
});

describe('stray requests', () => {
  it('do not become templates when every one of them was refused', () => {
    const lines = [...shop(), line('GET', '/shop/ordres/5001', 401), line('GET', '/shop/ordres/5001', 401), line('GET', '/.git/config', 403), line('POST', '/shop/orders/5002/lines.old', 405)];
    expect(templates(lines)).toEqual(['GET /shop/orders', 'GET /shop/orders/{order_id}', 'GET /shop/orders/{order_id}/lines']);
  });

  it('become a template once the refusals are consistent', () => {
    const lines = [...shop()];
    for (let i = 0; i < REFUSED_UNTIL; i++) lines.push(line('GET', '/shop/vault', 403));
    expect(templates(lines)).toContain('GET /shop/vault');
  });

  it('become a template when one of them succeeds', () => {
    expect(templates([...shop(), line('GET', '/shop/ledger', 401), line('GET', '/shop/ledger', 200)])).toContain('GET /shop/ledger');
  });

  it('keep a refused call to a name the API uses elsewhere (`/customers/{id}/orders` answered 403)', () => {
    const lines = [...shop()];
    for (let i = 0; i < 30; i++) lines.push(line('GET', `/shop/customers/${7000 + i}`));
    lines.push(line('GET', '/shop/customers/7003/orders', 403));
    expect(templates(lines)).toContain('GET /shop/customers/{customer_id}/orders');
  });

  it('do not count as sibling values: a busy version with refused typos beside it stays literal', () => {
    const lines: string[] = [];
    for (let i = 0; i < 60; i++) lines.push(line('GET', `/core/7/plots/${3000 + i}`), line('GET', '/core/7/seeds'), line('POST', '/core/7/harvests'));
    for (const v of ['7b', 'v7', '8', '70']) lines.push(line('GET', `/core/${v}/plots/3001`, 401));
    expect(templates(lines)).toEqual(['GET /core/7/plots/{plot_id}', 'GET /core/7/seeds', 'POST /core/7/harvests']);
  });
});

describe('many refused probes of one busy name', () => {
  const node = (count: number, refused: number) => Object.assign(new PathNode(), { count, refused });
  // a date-named API version with thousands of answered requests; scanners' typos of it
  // (`2031-07d`, `2031-07p`: folded for their shape), a couple of requests each, all refused:
  // together more than REFUSED_UNTIL
  const position = (probes: PathNode) => ({
    literals: new Map([['2031-07', [node(3600, 80)]]]),
    folded: new Map([['', { ...emptyFolded(), nodes: [probes], values: 6, first: '2031-07d', firstCount: 2 }]]),
  });

  it('are set aside, however many they are together', () => {
    const { literals, folded } = position(node(REFUSED_UNTIL + 4, REFUSED_UNTIL + 4));
    const stray = setStraysAside(() => new Set(), literals, folded);
    expect(folded.size).toBe(0);
    expect(stray.get('')).toHaveLength(1);
    expect([...literals.keys()]).toEqual(['2031-07']);
  });

  it('but values answered beside it stay evidence of a parameter', () => {
    const { literals, folded } = position(node(REFUSED_UNTIL + 4, REFUSED_UNTIL));
    setStraysAside(() => new Set(), literals, folded);
    expect(folded.size).toBe(1);
  });
});
