import { describe, expect, it } from 'vitest';
import { COHORT_NAMES, type CohortName } from './cohorts';
import type { SimRecord } from './record';
import { generateWindow } from './stream';
import { World } from './world';

// Three hours inside one UTC day: one entry per cohort.
const world = new World({ seed: 5, rate: 2, users: 600 });
const from = Date.UTC(2025, 4, 14, 9, 0);
const to = from + 3 * 3_600_000;
const { records, cohorts, truth } = generateWindow(world, from, to);
const byCohort = new Map<CohortName, SimRecord[]>(COHORT_NAMES.map((c) => [c, []]));
for (const r of records) for (const c of r.cohorts ?? []) byCohort.get(c)!.push(r);
const roots = (c: CohortName) => byCohort.get(c)!.filter((r) => r.parentSpanId === null);
const entryOf = (c: CohortName) => cohorts.find((e) => e.cohort === c)!;
const groupBy = <T,>(items: T[], key: (t: T) => string) => {
  const m = new Map<string, T[]>();
  for (const i of items) {
    const list = m.get(key(i));
    if (list) list.push(i);
    else m.set(key(i), [i]);
  }
  return m;
};

describe('benign cohorts (hard negatives)', () => {
  it('records every cohort once per day, and each entry matches the events labelled with it', () => {
    expect(cohorts.map((e) => e.cohort).sort()).toEqual([...COHORT_NAMES].sort());
    for (const entry of cohorts) {
      const events = byCohort.get(entry.cohort)!;
      expect(entry).toMatchObject({ type: 'benign_cohort', seed: 5, id: `s5-cohort-${entry.cohort}-2025-05-14`, events: events.length });
      expect(entry.looks_like.length).toBeGreaterThan(0);
      expect(entry.start).toBe(new Date(events.reduce((m, r) => Math.min(m, r.ts), Infinity)).toISOString());
      expect(entry.end).toBe(new Date(events.reduce((m, r) => Math.max(m, r.ts), -Infinity)).toISOString());
      const seen = {
        ips: new Set(events.filter((r) => r.srcService === 'external' || r.parentSpanId === null).map((r) => r.clientIp)),
        tokens: new Set(events.map((r) => r.tokenId).filter(Boolean)),
        users: new Set(events.map((r) => r.user).filter(Boolean)),
      };
      // Exactly the actors of its events: nothing listed that did not act, nothing acting that is not listed.
      expect(new Set(entry.actors.ips), entry.cohort).toEqual(seen.ips);
      expect(new Set(entry.actors.tokens), entry.cohort).toEqual(seen.tokens);
      expect(new Set(entry.actors.users), entry.cohort).toEqual(seen.users);
      expect(entry.actors.ips.length, entry.cohort).toBeGreaterThan(0);
    }
  });

  it('never labels an attack\'s request with a cohort', () => {
    expect(truth.length).toBeGreaterThan(0);
    expect(records.filter((r) => r.attack && r.cohorts)).toEqual([]);
  });

  it('puts many mobile customers behind a few carrier addresses (hundreds each over a day at the default rate)', () => {
    const nat = new Set(world.profile.cgnat.carriers.flatMap((c) => c.ips));
    const ext = roots('cgnat_mobile');
    expect(ext.every((r) => nat.has(r.clientIp))).toBe(true);
    const usersPerIp = (rs: SimRecord[]) => [...groupBy(rs.filter((r) => r.user), (r) => r.clientIp).values()].map((g) => new Set(g.map((r) => r.user)).size);
    const busiestNat = Math.max(...usersPerIp(ext));
    expect(busiestNat).toBeGreaterThanOrEqual(10);
    // an ordinary customer's address is theirs alone (a household at most)
    const elsewhere = records.filter((r) => r.parentSpanId === null && r.srcService === 'external' && !r.cohorts && !r.attack);
    expect(busiestNat).toBeGreaterThan(4 * Math.max(...usersPerIp(elsewhere)));
  });

  it('sends privacy-VPN and office traffic from shared exits', () => {
    const vpn = roots('privacy_vpn');
    expect(vpn.every((r) => world.profile.vpn.exits.includes(r.clientIp))).toBe(true);
    const office = roots('office_nat');
    expect(office.every((r) => world.profile.office.includes(r.clientIp))).toBe(true);
    const staff = new Set(world.population.of('staff').map((u) => u.id));
    expect(office.every((r) => r.user === null || staff.has(r.user))).toBe(true);
    expect(office.some((r) => r.endpoint?.startsWith('ops/admin-api'))).toBe(true);
  });

  it('has partners sweep many accounts from one address, each with its own delegated token', () => {
    const sweeps = groupBy(roots('partner_aggregator'), (r) => `${r.clientIp} ${Math.floor(r.ts / 600_000)}`);
    const widest = Math.max(...[...sweeps.values()].map((rs) => new Set(rs.map((r) => r.tokenId)).size));
    expect(widest).toBeGreaterThanOrEqual(10);
  });

  it('has cron jobs walk ids in order every minute', () => {
    const sellers = groupBy(roots('cron_walker').filter((r) => r.srcService === 'external'), (r) => r.tokenId!);
    expect(sellers.size).toBeGreaterThan(0);
    for (const rs of sellers.values()) {
      const ids = rs.map((r) => Number(/(\d+)$/.exec(r.path)![1]));
      const steps = ids.slice(1).map((id, i) => id - ids[i]);
      expect(steps.filter((s) => s === 1).length).toBeGreaterThan(steps.length * 0.8);
      const minutes = new Set(rs.map((r) => Math.floor(r.ts / 60_000)));
      expect(minutes.size).toBeGreaterThan(170); // every minute of the three hours
    }
    const archive = roots('cron_walker').filter((r) => r.srcService === 'ops/reporting');
    expect(archive.length).toBeGreaterThan(100);
    expect(world.topology.service('ops/reporting').proxies.map((p) => p.podIp)).toEqual(expect.arrayContaining([...new Set(archive.map((r) => r.clientIp))]));
  });

  it('has apps poll one endpoint at a steady interval', () => {
    const polls = groupBy(roots('app_polling'), (r) => `${r.user} ${r.path}`);
    const steady = [...polls.values()].filter((rs) => {
      if (rs.length < 8) return false;
      const gaps = rs.slice(1).map((r, i) => r.ts - rs[i].ts);
      const mean = gaps.reduce((a, b) => a + b, 0) / gaps.length;
      return gaps.every((g) => Math.abs(g - mean) < mean * 0.1);
    });
    expect(steady.length).toBeGreaterThan(0);
  });

  it('has customers mistype passwords (401s, then a successful sign-in from the same address) and follow stale links (404s)', () => {
    const logins = roots('password_typo').filter((r) => r.method === 'POST' && /login|oauth\/token/.test(r.path));
    expect(logins.some((r) => r.status === 401)).toBe(true);
    const ipsWithFailure = new Set(logins.filter((r) => r.status === 401).map((r) => r.clientIp));
    expect(logins.some((r) => r.status === 200 && ipsWithFailure.has(r.clientIp))).toBe(true);
    const stale = roots('stale_links').filter((r) => r.status === 404);
    expect(stale.length).toBeGreaterThan(0);
    expect(stale.every((r) => r.endpoint !== null)).toBe(true); // real pages, gone ids
  });

  it('sends search bots from their published ranges and monitors on a fixed schedule', () => {
    const bots = roots('search_bots');
    expect(bots.every((r) => /^(66\.249\.|157\.55\.39\.|40\.77\.167\.|207\.46\.13\.|17\.|20\.191\.|40\.88\.|40\.76\.)/.test(r.clientIp))).toBe(true);
    expect(bots.every((r) => /bot/i.test(r.userAgent))).toBe(true);
    const monitors = roots('uptime_monitors');
    const synthetic = monitors.filter((r) => r.user !== null);
    expect(new Set(synthetic.map((r) => r.user)).size).toBe(1);
    expect(new Set(monitors.filter((r) => r.path === '/').map((r) => r.clientIp)).size).toBe(3);
  });
});
