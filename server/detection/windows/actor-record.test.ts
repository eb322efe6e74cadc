import { describe, expect, it } from 'vitest';
import { ActorRecord, HALF_HOUR_MS, recentLinks } from './actor-record';

const T0 = Date.UTC(2025, 2, 1, 12);
const rec = () => new ActorRecord('ip:203.0.113.9', { type: 'ip', id: '203.0.113.9' }, T0);

describe('ActorRecord', () => {
  it('counts distinct paths under each endpoint (ids walked) and across them', () => {
    const a = rec();
    for (let i = 0; i < 50; i++) a.useEndpoint('shop/api GET /products/{id}', 'shop/api', 1000 + i, T0 + i * 1000, 200);
    for (let i = 0; i < 5; i++) a.useEndpoint('shop/api GET /products/{id}', 'shop/api', 1000 + i, T0 + 60_000 + i, 200); // repeats
    a.useEndpoint('shop/api GET /cart', 'shop/api', 7, T0 + 2000, 200);
    a.useEndpoint('shop/api POST /login', 'shop/api', 8, T0 + 3000, 401);
    expect(a.paths.size).toBe(52);
    const widest = a.widestEndpoint()!;
    expect(widest.key).toBe('shop/api GET /products/{id}');
    expect(widest.use.paths.size).toBe(50);
    expect(widest.use.n).toBe(55);
    expect(widest.use.ok).toBe(55);
    expect(a.busiestEndpoint()!.key).toBe('shop/api GET /products/{id}');
    const login = a.endpoints.get('shop/api POST /login')!;
    expect([login.auth, login.ok]).toEqual([1, 0]);
  });

  it('keeps counting distinct paths when a crawler makes more endpoints than the table holds', () => {
    const a = rec();
    // every guessed path is its own coarse route
    for (let i = 0; i < 400; i++) a.useEndpoint(`shop/api GET /guess-${i}`, 'shop/api', 5000 + i, T0 + i * 100, 404);
    expect(a.endpoints.size).toBeLessThanOrEqual(64);
    expect(a.paths.size).toBe(400);
  });

  it('forgets endpoints and paths older than half an hour', () => {
    const a = rec();
    a.useEndpoint('shop/api GET /old', 'shop/api', 1, T0, 200);
    a.useEndpoint('shop/api GET /new', 'shop/api', 2, T0 + HALF_HOUR_MS, 200);
    a.prune(T0 + HALF_HOUR_MS + 1);
    expect([...a.endpoints.keys()]).toEqual(['shop/api GET /new']);
    expect([...a.paths.keys()]).toEqual([2]);
    // an endpoint used again after a quiet half hour starts over
    a.useEndpoint('shop/api GET /new', 'shop/api', 3, T0 + 2 * HALF_HOUR_MS + 10, 200);
    expect(a.endpoints.get('shop/api GET /new')!.n).toBe(1);
  });

  it('tracks first and last seen whatever the order', () => {
    const a = rec();
    a.touch(T0 + 5000);
    a.touch(T0 - 5000);
    a.touch(T0 + 1000);
    expect([a.firstSeen, a.lastSeen]).toEqual([T0 - 5000, T0 + 5000]);
  });

  it('counts links, bounded, making room only from links idle for half an hour', () => {
    const a = rec();
    a.link('token:t1', T0);
    a.link('token:t1', T0 + 10);
    expect(a.links.get('token:t1')).toMatchObject({ first: T0, last: T0 + 10 });
    expect(recentLinks(a.links.get('token:t1')!, T0 + 10)).toBe(2);
    a.link('token:t1', T0 - 5); // out of order
    expect(a.links.get('token:t1')).toMatchObject({ first: T0 - 5, last: T0 + 10 });
    expect(recentLinks(a.links.get('token:t1')!, T0 + 10)).toBe(3);
    for (let i = 0; i < 100; i++) a.link(`token:x${i}`, T0 + 20);
    expect(a.links.size).toBe(32);
    expect(a.links.has('token:x99')).toBe(false);
    a.link('token:late', T0 + HALF_HOUR_MS + 30);
    expect(a.links.has('token:late')).toBe(true);
  });

  it('counts the requests of a link over about the last half hour, in any order, forgetting older ones', () => {
    const a = rec();
    const B = 10 * 60_000;
    const t0 = Math.floor(T0 / B) * B;
    // all day long: 10 shared requests every 10 minutes for 3 h
    for (let i = 0; i < 18; i++) for (let k = 0; k < 10; k++) a.link('ip:10.0.0.1', t0 + i * B + k * 1000);
    const end = t0 + 17 * B + 10_000;
    expect(recentLinks(a.links.get('ip:10.0.0.1')!, end)).toBe(30);
    // events up to two buckets late still count in their bucket; older ones not at all
    a.link('ip:10.0.0.1', end - B);
    a.link('ip:10.0.0.1', end - 2 * B);
    a.link('ip:10.0.0.1', end - 3 * B);
    expect(recentLinks(a.links.get('ip:10.0.0.1')!, end)).toBe(32);
    // the link goes quiet: its count empties bucket by bucket
    expect(recentLinks(a.links.get('ip:10.0.0.1')!, end + B)).toBe(21);
    expect(recentLinks(a.links.get('ip:10.0.0.1')!, end + 2 * B)).toBe(10);
    expect(recentLinks(a.links.get('ip:10.0.0.1')!, end + 3 * B)).toBe(0);
    // a jump forward of two buckets keeps what is still recent
    a.link('ip:10.0.0.1', end + 2 * B);
    expect(recentLinks(a.links.get('ip:10.0.0.1')!, end + 2 * B)).toBe(11);
  });

  it('keeps the five newest examples', () => {
    const a = rec();
    for (let i = 0; i < 9; i++) a.example({ requestId: `r${i}`, ts: T0 + i, method: 'GET', path: '/', status: 200, actor: a.ref });
    expect(a.examples.map((e) => e.requestId)).toEqual(['r4', 'r5', 'r6', 'r7', 'r8']);
  });
});
