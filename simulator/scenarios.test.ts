import { describe, expect, it } from 'vitest';
import type { GroundTruthEntry } from './ground-truth';
import type { SimRecord } from './record';
import type { ScenarioKind } from './scenarios/types';
import { generateWindow } from './stream';
import { World } from './world';

// The attacks that look benign, each several times, in a quiet shop.
const NEW: ScenarioKind[] = ['password_spraying', 'token_rotation', 'token_replay', 'workflow_abuse', 'distributed_flood'];
const world = new World({ seed: 9, rate: 0.5, users: 400, scenarios: NEW, attackEveryMin: 12 });
const from = Date.UTC(2025, 6, 1, 6, 0);
const to = from + 10 * 3_600_000;
const { records, truth } = generateWindow(world, from, to);
const eventsOf = new Map<string, SimRecord[]>();
for (const r of records) if (r.attack) (eventsOf.get(r.attack) ?? eventsOf.set(r.attack, []).get(r.attack)!).push(r);
/** Instances wholly inside the window (the longest last 6.5 hours). */
const instances = (kind: ScenarioKind) => truth.filter((e) => e.scenario === kind && Date.parse(e.start) > from + 60_000 && Date.parse(e.start) < to - 6.5 * 3_600_000);
const roots = (e: GroundTruthEntry) => eventsOf.get(e.id)!.filter((r) => r.parentSpanId === null);
/** The most events in any window of `ms` (times sorted). */
function busiest(times: number[], ms: number): number {
  let best = 0;
  for (let i = 0, j = 0; i < times.length; i++) {
    while (times[i] - times[j] >= ms) j++;
    best = Math.max(best, i - j + 1);
  }
  return best;
}
const by = <T,>(items: T[], key: (t: T) => string) => {
  const m = new Map<string, T[]>();
  for (const i of items) (m.get(key(i)) ?? m.set(key(i), []).get(key(i))!).push(i);
  return m;
};

describe('attacks that look benign', () => {
  it('schedules each of them', () => {
    for (const kind of NEW) expect(instances(kind).length, kind).toBeGreaterThan(0);
  });

  it('password spraying: many exits, each a few attempts an hour, many accounts each tried a few times', () => {
    for (const e of instances('password_spraying')) {
      const logins = roots(e);
      expect(e.actors.ips.length, e.id).toBeGreaterThanOrEqual(30);
      for (const [ip, rs] of by(logins, (r) => r.clientIp)) expect(busiest(rs.map((r) => r.ts), 3_600_000), ip).toBeLessThanOrEqual(8);
      expect(e.targets.accounts.targeted.length).toBeGreaterThanOrEqual(Math.min(100, logins.length / 4));
      expect(logins.filter((r) => r.status !== 401).length).toBeLessThan(logins.length * 0.05); // a rare hit (or its account lookup failing)
      expect(e.expected_detections).toContain('credential_stuffing');
    }
  });

  it('token rotation: a new token (and address) every hour or so, carrying on through the catalogue', () => {
    for (const e of instances('token_rotation')) {
      expect(e.actors.tokens.length, e.id).toBeGreaterThanOrEqual(2);
      const perToken = by(eventsOf.get(e.id)!.filter((r) => r.tokenId), (r) => r.tokenId!);
      for (const rs of perToken.values()) {
        expect(rs[rs.length - 1].ts - rs[0].ts).toBeLessThan(75 * 60_000);
        expect(new Set(rs.filter((r) => r.srcService === 'external').map((r) => r.clientIp)).size).toBe(1);
      }
      expect(e.expected_detections).toEqual(['scraping']);
    }
  });

  it('token replay: the owner\'s token and User-Agent from another address while the owner uses it too', () => {
    for (const e of instances('token_replay')) {
      expect(e.actors.tokens).toHaveLength(1);
      expect(e.actors.ips).toHaveLength(1);
      const victim = world.population.users.find((u) => u.username === e.targets.accounts.compromised[0])!;
      expect(roots(e).every((r) => r.userAgent === victim.ua && r.user === victim.id)).toBe(true);
      const [lo, hi] = [Date.parse(e.start), Date.parse(e.end)];
      const owner = records.filter((r) => !r.attack && r.parentSpanId === null && r.tokenId === e.actors.tokens[0] && r.ts >= lo && r.ts <= hi);
      expect(owner.length, e.id).toBeGreaterThan(0);
      expect(owner.every((r) => r.clientIp !== e.actors.ips[0])).toBe(true);
      expect(e.expected_detections).toEqual(['token_misuse']);
    }
  });

  it('workflow abuse: a step repeated below any rate limit, without the step the app always takes first', () => {
    for (const e of instances('workflow_abuse')) {
      const rs = roots(e);
      expect(busiest(rs.map((r) => r.ts), 5 * 60_000), e.id).toBeLessThanOrEqual(12);
      expect(new Set(rs.map((r) => r.endpoint)).size).toBe(1);
      expect(rs[0].endpoint).toMatch(e.variant === 'refund_without_order' ? /returns$/ : /cart\/promotions$/);
    }
    // Benign app users file a return only on the order they just opened.
    const benign = records.filter((r) => !r.attack && r.parentSpanId === null && r.srcService === 'external');
    const lastOrderSeen = new Map<string, string>();
    for (const r of benign) {
      if (r.endpoint === 'edge/gateway GET /api/v1/orders/{orderId}') lastOrderSeen.set(r.tokenId!, r.path.split('/')[4]);
      if (r.endpoint === 'edge/gateway POST /api/v1/orders/{orderId}/returns') expect(lastOrderSeen.get(r.tokenId!)).toBe(r.path.split('/')[4]);
    }
  });

  it('distributed flood: 100+ addresses, each at a person\'s pace, together many times the endpoint\'s usual traffic', () => {
    for (const e of instances('distributed_flood')) {
      expect(e.actors.ips.length, e.id).toBeGreaterThanOrEqual(100);
      const rs = roots(e);
      for (const [ip, list] of by(rs, (r) => r.clientIp)) expect(busiest(list.map((r) => r.ts), 60_000), ip).toBeLessThanOrEqual(6);
      const [lo, hi] = [Date.parse(e.start), Date.parse(e.end)];
      const usual = records.filter((r) => !r.attack && r.endpoint === rs[0].endpoint && r.ts >= lo - 3_600_000 && r.ts < lo).length / 3_600_000;
      expect(rs.length / (hi - lo)).toBeGreaterThan(5 * usual);
    }
  });
});
