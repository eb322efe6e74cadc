import { describe, expect, it } from 'vitest';
import type { EngineEvent } from '../types';
import { analyse, APP_UA, clients, request, signalOf, strengthOf, type Client } from './synthetic';
import { lcg } from './test-support';
import { MIN_UNREAD, RECENT_IDS, RecentIds, UnreadRates, unreadStrength, unreadSurprise, type UnreadTally } from './unread-objects';
import { paramHash, paramSlots } from './vocab';

const tally = (unread: number, calls: number): UnreadTally => ({ endpoint: 1, calls, unread, start: 0, last: 0, examples: [] });

describe('unread objects: the statistics', () => {
  it('surprise is zero at or below the population share and grows with every further unopened call', () => {
    expect(unreadSurprise(1, 10, 0.2)).toBe(0);
    expect(unreadSurprise(2, 10, 0.2)).toBe(0);
    const four = unreadSurprise(4, 4, 0.05);
    expect(four).toBeCloseTo(4 * Math.log(20), 6);
    expect(unreadSurprise(8, 8, 0.05)).toBeCloseTo(2 * four, 6);
    // a few opened first weaken it, they do not reset it
    expect(unreadSurprise(7, 8, 0.05)).toBeLessThan(unreadSurprise(8, 8, 0.05));
    expect(unreadSurprise(7, 8, 0.05)).toBeGreaterThan(unreadSurprise(4, 4, 0.05));
    expect(unreadSurprise(3, 3, 0)).toBe(Infinity);
  });

  it('the population share is judged by its upper bound: a few clients seen cannot make it small', () => {
    const r = new UnreadRates();
    for (let i = 0; i < 6; i++) r.learn(7, false);
    const few = r.upperShare(7);
    expect(few.votes).toBe(6);
    expect(few.share).toBeGreaterThan(0.25);
    for (let i = 0; i < 194; i++) r.learn(7, i % 50 === 0);
    const many = r.upperShare(7);
    expect(many.unread).toBe(4);
    expect(many.share).toBeGreaterThan(4 / 200);
    expect(many.share).toBeLessThan(0.05);
    expect(r.upperShare(8)).toEqual({ share: 1, votes: 0, unread: 0 });
    r.decay(0.5);
    expect(r.upperShare(7).votes).toBeCloseTo(100, 6);
  });

  it('strength needs enough unopened calls, most of the calls, and clients to compare with', () => {
    expect(unreadStrength(tally(MIN_UNREAD - 1, MIN_UNREAD - 1), 0.01, 100)).toBe(0);
    expect(unreadStrength(tally(10, 30), 0.01, 100)).toBe(0); // mostly opened first
    expect(unreadStrength(tally(12, 12), 0.01, 2)).toBe(0);
    expect(unreadStrength(tally(12, 12), 0.01, 100)).toBe(1);
    // ids usually come from elsewhere here: nothing to say
    expect(unreadStrength(tally(12, 12), 0.9, 100)).toBe(0);
  });

  it('remembers the last ids named, not older ones', () => {
    const ids = new RecentIds();
    for (let i = 1; i <= RECENT_IDS; i++) ids.add(i);
    expect(ids.has(1)).toBe(true);
    ids.add(RECENT_IDS + 1);
    expect(ids.has(1)).toBe(false);
    expect(ids.has(2)).toBe(true);
    ids.add(0); // no id
    expect(ids.has(0)).toBe(false);
  });

  it('hashes a parameter whatever its characters, and tells a path that does not fit', () => {
    const [slot] = paramSlots('/v1/claims/{claimId}/appeal');
    expect(paramHash('/v1/claims/CLM-77a/appeal', slot)).toBe(paramHash('/v2/claims/CLM-77a/x', slot));
    expect(paramHash('/v1/claims/CLM-77a/appeal', slot)).not.toBe(paramHash('/v1/claims/CLM-77b/appeal', slot));
    expect(paramHash('/v1', slot)).toBe(0);
  });
});

// A made-up insurer (nothing of the simulator's): customers list their claims, open one, and now
// and then appeal it - always from the claim's page. Some arrive on a claim from an e-mail link.
const T0 = Date.UTC(2030, 2, 4, 8);
const H = 3_600_000;
const customers = clients('insured', 600, APP_UA);
const LIST = 'claims/api GET /v1/claims';
const OPEN = 'claims/api GET /v1/claims/{claimId}';
const APPEAL = 'claims/api POST /v1/claims/{claimId}/appeal';
const NEWS = 'claims/api GET /v1/news';

function background(hours: number): EngineEvent[] {
  const rand = lcg(5);
  const out: EngineEvent[] = [];
  for (const c of customers) {
    for (let t = T0 + rand() * 2 * H; t < T0 + hours * H; t += (1 + rand()) * 2 * H) {
      let at = Math.floor(t);
      const id = `CLM-${Math.floor(rand() * 900_000)}`;
      // from the list, or (one in five) straight from a link in an e-mail: the claim's id is new to the client either way
      if (rand() < 0.8) out.push(request(c, (at += 3000), LIST));
      out.push(request(c, (at += 5000), OPEN, 200, [id]));
      if (rand() < 0.3) out.push(request(c, (at += 20_000), APPEAL, rand() < 0.1 ? 409 : 200, [id]));
      out.push(request(c, (at += 8000), NEWS));
    }
  }
  return out.sort((a, b) => a.ts - b.ts);
}

describe('unread objects in the sequence analyzer', () => {
  it("appeals filed on claim after claim the customer never opened, mixed into the customer's own use", () => {
    const fraud: Client = { token: 'fraud-tok', user: 'fraud-user', ip: '93.184.216.34', ua: APP_UA };
    const rand = lcg(11);
    const attack: EngineEvent[] = [];
    for (let i = 0, t = T0 + 5 * H; i < 14; i++, t += 120_000 + rand() * 120_000) {
      const at = Math.floor(t);
      // the customer's ordinary use around it: lists and news, a claim of their own opened
      attack.push(request(fraud, at, LIST), request(fraud, at + 4000, NEWS));
      if (i % 4 === 0) attack.push(request(fraud, at + 6000, OPEN, 200, [`CLM-OWN-${i}`]));
      attack.push(request(fraud, at + 30_000, APPEAL, rand() < 0.3 ? 409 : 200, [`CLM-${500_000 + i * 17}`]));
    }
    const { signals } = analyse([...background(8), ...attack].sort((a, b) => a.ts - b.ts));
    const s = signalOf(signals, fraud.user!, 'anomalous_sequence');
    if (process.env.SHOW) console.log(s?.strength, s?.evidence.map((e) => e.text));
    expect(s?.strength).toBeGreaterThanOrEqual(0.6);
    expect(s!.service).toBe('claims/api');
    const text = s!.evidence.map((e) => e.text).join('\n');
    expect(text).toMatch(/POST \/v1\/claims\/\{claimId\}\/appeal on 14 of 14 ids it had not opened before; \d+ of [\d,]+ clients calling it did so/);
    expect(s!.examples!.length).toBeGreaterThan(0);
    // customers who open a claim before appealing it, or come from a link, are not suspicious
    expect(customers.map((c) => strengthOf(signals, c.user!)).filter((x) => x >= 0.35)).toEqual([]);
  });

  it('opening claim after claim from links is not evidence: the population opens them unopened too', () => {
    const reader: Client = { token: 'reader-tok', user: 'reader', ip: '81.200.1.7', ua: APP_UA };
    const reads: EngineEvent[] = [];
    for (let i = 0; i < 30; i++) reads.push(request(reader, T0 + 5 * H + i * 90_000, OPEN, 200, [`CLM-${700_000 + i * 31}`]));
    const { signals } = analyse([...background(8), ...reads].sort((a, b) => a.ts - b.ts));
    const s = signalOf(signals, reader.user!, 'anomalous_sequence');
    // (thirty opens in a row are a little unusual as a sequence; that is not this finding)
    expect(s?.evidence.map((e) => e.feature) ?? []).not.toContain('unread_objects');
    expect(s?.strength ?? 0).toBeLessThan(0.35);
  });
});
