import { expect, it } from 'vitest';
import { event, ingest, principal } from '@/server/rollups/test-events';
import { actor, ctxFor, describeEachEngine } from '@/server/testing/db';
import { IDENTITY_TOP, tokenIdentity, tokenIdentityInput, tokenIdentityOutput } from './token-identity';

const NOW = Date.parse('2026-11-23T12:34:30Z');
const T = Date.parse('2026-11-23T12:00:00Z');
const hour = { range: { preset: '1h' as const } };
const HOSTILE_UA = '<img src=x onerror=alert(1)>"\'; drop table users; -- \u202e\u0007';
const HOSTILE_USER = '</script><script>alert("u")</script>';

describeEachEngine('token identity', (h) => {
  const ctx = () => ctxFor(h.db, actor('viewer'), { now: () => new Date(NOW) });
  let n = 0;
  const ev = (ts: number, over: Parameters<typeof event>[2] = {}) => event(ts, `r${n++}`, { tokenId: 'tok_x', ...over });
  const seed = (events: ReturnType<typeof event>[]) => ingest(h.db, [{ events, principal }], NOW);

  it('counts users, addresses, user agents and services for the token in the range, busiest first, hostile strings verbatim', async () => {
    await seed([
      ...Array.from({ length: 5 }, (_, i) => ev(T + i * 1000, { userId: 'alice', clientIp: '203.0.113.7', userAgent: HOSTILE_UA, dstService: 'shop/cart' })),
      ...Array.from({ length: 3 }, (_, i) => ev(T + 60_000 + i, { userId: HOSTILE_USER, clientIp: '2001:DB8::0:1', userAgent: 'curl/8', dstService: 'payments/cards' })),
      ev(T + 120_000, { userId: null, clientIp: null, userAgent: null, dstService: 'shop/cart' }),
      // another token, and this token outside the range: neither counts
      ev(T + 1000, { tokenId: 'tok_y', userId: 'mallory', dstService: 'shop/cart' }),
      ev(T - 3_600_000, { userId: 'old-user', dstService: 'shop/old' }),
      ev(NOW + 120_000, { userId: 'future-user', dstService: 'shop/future' }),
    ]);
    const a = await tokenIdentity(ctx(), tokenIdentityInput.parse({ ...hour, tokenId: 'tok_x' }));
    expect(() => tokenIdentityOutput.parse(a)).not.toThrow();
    expect(a).toMatchObject({ tokenId: 'tok_x', events: 9, sampled: false });
    expect(a.firstSeen?.toISOString()).toBe('2026-11-23T12:00:00.000Z');
    expect(a.lastSeen?.toISOString()).toBe('2026-11-23T12:02:00.000Z');
    expect(a.users).toEqual({ items: [{ value: 'alice', requests: 5 }, { value: HOSTILE_USER, requests: 3 }], distinct: 2, missing: 1 });
    // addresses as the actor index writes them (IPv6 compressed, lower case)
    expect(a.addresses).toEqual({ items: [{ value: '203.0.113.7', requests: 5 }, { value: '2001:db8::1', requests: 3 }], distinct: 2, missing: 1 });
    expect(a.userAgents).toEqual({ items: [{ value: HOSTILE_UA, requests: 5 }, { value: 'curl/8', requests: 3 }], distinct: 2, missing: 1 });
    expect(a.services.distinct).toBe(2);
    expect(a.services.items).toEqual([
      { service: 'shop/cart', requests: 6, lastSeen: new Date(T + 120_000), policyName: true },
      { service: 'payments/cards', requests: 3, lastSeen: new Date(T + 60_002), policyName: true },
    ]);
  });

  it('bounds the answer by the range it is given', async () => {
    await seed([ev(T - 3_600_000, { userId: 'old-user' }), ev(T, { userId: 'alice' })]);
    const wide = await tokenIdentity(ctx(), { range: { preset: '6h' }, tokenId: 'tok_x' });
    expect(wide.users.items.map((u) => u.value)).toEqual(['alice', 'old-user']);
    const abs = await tokenIdentity(ctx(), { range: { from: new Date(T - 3_600_000), to: new Date(T) }, tokenId: 'tok_x' });
    // `to` is exclusive
    expect(abs.users.items.map((u) => u.value)).toEqual(['old-user']);
    expect(abs.range).toMatchObject({ from: new Date(T - 3_600_000), to: new Date(T) });
  });

  it('caps each list at the busiest values and says how many there were', async () => {
    const events = Array.from({ length: IDENTITY_TOP + 5 }, (_, i) =>
      Array.from({ length: i + 1 }, (_, j) => ev(T + i * 1000 + j, { userId: `user-${String(i).padStart(2, '0')}`, clientIp: `198.51.100.${i}`, userAgent: `agent ${i}` }))).flat();
    await seed(events);
    const a = await tokenIdentity(ctx(), { ...hour, tokenId: 'tok_x' });
    for (const l of [a.users, a.addresses, a.userAgents]) {
      expect(l.items).toHaveLength(IDENTITY_TOP);
      expect(l.distinct).toBe(IDENTITY_TOP + 5);
      expect(l.items[0].requests).toBe(IDENTITY_TOP + 5);
      expect(l.items.at(-1)!.requests).toBe(6);
    }
    expect(a.users.items[0].value).toBe(`user-${IDENTITY_TOP + 4}`);
    expect(a.events).toBe(events.length);
  });

  it('reads at most maxEvents and says the counts are a sample', async () => {
    await seed(Array.from({ length: 12 }, (_, i) => ev(T + i, { userId: 'alice' })));
    const a = await tokenIdentity(ctx(), { ...hour, tokenId: 'tok_x' }, { maxEvents: 10 });
    expect(a).toMatchObject({ events: 10, sampled: true });
    expect(a.users.items).toEqual([{ value: 'alice', requests: 10 }]);
    const all = await tokenIdentity(ctx(), { ...hour, tokenId: 'tok_x' }, { maxEvents: 12 });
    expect(all).toMatchObject({ events: 12, sampled: false });
  });

  it('answers an unknown token with empty lists, and marks services no policy can be written for', async () => {
    const none = await tokenIdentity(ctx(), { ...hour, tokenId: 'tok_nobody' });
    expect(none).toMatchObject({
      events: 0, sampled: false, firstSeen: null, lastSeen: null,
      users: { items: [], distinct: 0, missing: 0 }, addresses: { items: [], distinct: 0, missing: 0 }, services: { items: [], distinct: 0 },
    });
    await seed([ev(T, { dstService: 'Not A Service!' })]);
    const a = await tokenIdentity(ctx(), { ...hour, tokenId: 'tok_x' });
    expect(a.services.items).toEqual([{ service: 'Not A Service!', requests: 1, lastSeen: new Date(T), policyName: false }]);
  });

  it('refuses a blank or over-long token id', () => {
    expect(tokenIdentityInput.safeParse({ ...hour, tokenId: '  ' }).success).toBe(false);
    expect(tokenIdentityInput.safeParse({ ...hour, tokenId: 'x'.repeat(257) }).success).toBe(false);
  });
});

