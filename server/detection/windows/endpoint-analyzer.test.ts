import { describe, expect, it } from 'vitest';
import { lcg } from '../sequence/test-support';
import { DEFAULT_THRESHOLDS } from '../types';
import { EndpointAnalyzer, type CallerFacts, type GroupSignal } from './endpoint-analyzer';
import { BUCKET_MIN, EndpointRecord } from './endpoint-record';
import { medianAndMad } from './robust';

// a five-minute boundary, so buckets line up with the minutes fed
const M0 = Math.floor(Date.UTC(2025, 2, 1, 8) / 60_000);

type Call = [ip: string, status: number];

/**
 * One endpoint fed minute by minute the way the engine does it: the calls of a minute are seen,
 * and the endpoint is judged when the next minute begins. Addresses remember when they were
 * first seen (the engine's actor records).
 */
class Endpoint {
  readonly r: EndpointRecord;
  readonly analyzer = new EndpointAnalyzer();
  readonly firstSeen = new Map<string, number>();
  /** users signed in through an address (none unless set) */
  readonly users = new Map<string, number>();
  /** how many times this endpoint's traffic the whole mesh serves (1: the endpoint is the mesh) */
  meshFactor = 1;
  /** every address's calls, [ts, status] (each address here calls only this endpoint) */
  readonly calls = new Map<string, [number, number][]>();
  minute = M0 - 1;
  readonly signals: { minute: number; g: GroupSignal }[] = [];
  private now = 0;
  readonly who: CallerFacts = {
    firstSeen: (ip) => this.firstSeen.get(ip) ?? this.now,
    refusedShare: (ip) => {
      const recent = (this.calls.get(ip) ?? []).filter(([ts]) => ts >= this.now - 30 * 60_000);
      return recent.filter(([, status]) => status === 401).length / Math.max(1, recent.length);
    },
    requests: (ip) => (this.calls.get(ip) ?? []).filter(([ts]) => ts >= this.now - 30 * 60_000).length,
    users: (ip) => this.users.get(ip) ?? 0,
    meshRequests: (minutes) => this.meshFactor * this.r.ring.sum(0, Math.floor(this.now / 60_000) - 1, minutes),
  };

  constructor(endpoint = 'GET /products') {
    this.r = new EndpointRecord(`shop/api ${endpoint}`, 'shop/api', endpoint);
  }

  feed(calls: readonly Call[]): GroupSignal[] {
    const m = ++this.minute;
    calls.forEach(([ip, status], i) => {
      const ts = m * 60_000 + Math.floor((i * 60_000) / calls.length);
      if (!this.firstSeen.has(ip)) this.firstSeen.set(ip, ts);
      if (!this.calls.has(ip)) this.calls.set(ip, []);
      this.calls.get(ip)!.push([ts, status]);
      this.r.see(ts, ip, status, 12, m, m);
    });
    const now = (this.now = (m + 1) * 60_000);
    const out = this.analyzer.evaluate(this.r, m + 1, now, DEFAULT_THRESHOLDS, this.who);
    for (const g of out) this.signals.push({ minute: m + 1, g });
    return out;
  }
}

const regulars = Array.from({ length: 60 }, (_, i) => `10.1.${i >> 4}.${i & 15}`);
const floodIps = Array.from({ length: 50 }, (_, i) => `192.0.2.${i + 1}`);

/** about `perMinute` calls from the regular callers, noisy, all answered */
function regularMinute(rand: () => number, perMinute: number, status = () => 200): Call[] {
  const n = perMinute - 2 + Math.floor(rand() * 5);
  return Array.from({ length: n }, () => [regulars[Math.floor(rand() * regulars.length)], status()] as Call);
}

function spread(ips: readonly string[], n: number, status = 200): Call[] {
  return Array.from({ length: n }, (_, i) => [ips[i % ips.length], status] as Call);
}

const named = (signals: { g: GroupSignal }[], kind: string) => new Set(signals.filter((s) => s.g.kind === kind).flatMap((s) => s.g.ips));

describe('EndpointAnalyzer: floods', () => {
  it('a steady baseline raises nothing', () => {
    const e = new Endpoint();
    const rand = lcg(1);
    for (let m = 0; m < 180; m++) expect(e.feed(regularMinute(rand, 20))).toEqual([]);
    expect(e.r.anomalies).toEqual({ rate: null, auth: null });
  });

  it('judges nothing before it has half an hour of baseline', () => {
    const e = new Endpoint();
    const rand = lcg(2);
    for (let m = 0; m < 20; m++) e.feed(regularMinute(rand, 20));
    expect(e.feed([...regularMinute(rand, 20), ...spread(floodIps, 400)])).toEqual([]);
  });

  it('a 10× flood from 50 new addresses is a dos naming those addresses, not the regular callers', () => {
    const e = new Endpoint();
    const rand = lcg(3);
    for (let m = 0; m < 120; m++) e.feed(regularMinute(rand, 20));
    const firstFlood = e.minute + 1;
    for (let m = 0; m < 15; m++) e.feed([...regularMinute(rand, 20), ...spread(floodIps, 180)]);

    const dos = e.signals.filter((s) => s.g.kind === 'dos');
    expect(dos.length).toBeGreaterThan(0);
    // seen within the first five minutes of the flood
    expect(dos[0].minute - firstFlood).toBeLessThanOrEqual(5);
    // one incident for the whole flood
    expect(new Set(dos.map((s) => s.g.group)).size).toBe(1);
    const ips = named(dos, 'dos');
    for (const ip of ips) expect(floodIps).toContain(ip);
    for (const ip of regulars) expect(ips.has(ip)).toBe(false);
    // the excess is their doing: (nearly) all of them are needed to explain it
    expect(ips.size).toBeGreaterThanOrEqual(45);
    const last = dos[dos.length - 1].g;
    expect(last.service).toBe('shop/api');
    expect(last.strength).toBeGreaterThanOrEqual(0.6);
    const rate = last.evidence.find((f) => f.feature === 'endpoint_rate')!;
    expect(rate.value).toBeGreaterThan(5 * rate.baseline!);
    const addresses = last.evidence.find((f) => f.feature === 'addresses')!;
    expect(addresses.value).toBeGreaterThan(50 * 0.9);
  });

  it('a burst from 2 new addresses is not a distributed flood: the anomaly is seen but nobody is named for it', () => {
    const e = new Endpoint();
    const rand = lcg(4);
    for (let m = 0; m < 120; m++) e.feed(regularMinute(rand, 20));
    let sawAnomaly = false;
    for (let m = 0; m < 15; m++) {
      e.feed([...regularMinute(rand, 20), ...spread(['192.0.2.200', '192.0.2.201'], 180)]);
      sawAnomaly ||= e.r.anomalies.rate !== null;
    }
    expect(sawAnomaly).toBe(true);
    expect(e.signals).toEqual([]);
  });

  it('a flood that is a sliver of a busy mesh is named only when the endpoint fails under it', () => {
    for (const [status, expected] of [[200, 0], [503, 45]] as const) {
      const e = new Endpoint();
      e.meshFactor = 2_000;
      const rand = lcg(7);
      for (let m = 0; m < 120; m++) e.feed(regularMinute(rand, 20));
      for (let m = 0; m < 15; m++) e.feed([...regularMinute(rand, 20), ...spread(floodIps, 180, status)]);
      expect(e.r.anomalies.rate).not.toBeNull();
      expect(named(e.signals, 'dos').size).toBeGreaterThanOrEqual(expected);
      if (!expected) expect(named(e.signals, 'dos').size).toBe(0);
    }
  });

  it('branches opening at nine (new addresses, each with several people signed in) are not attributed a flood', () => {
    const e = new Endpoint();
    const rand = lcg(6);
    for (let m = 0; m < 120; m++) e.feed(regularMinute(rand, 20));
    // the same volume from the same number of new addresses as the flood above, but each address a branch of tellers
    for (const ip of floodIps) e.users.set(ip, 2 + Math.floor(rand() * 4));
    for (let m = 0; m < 15; m++) e.feed([...regularMinute(rand, 20), ...spread(floodIps, 180)]);
    expect(e.r.anomalies.rate).not.toBeNull();
    expect(named(e.signals, 'dos').size).toBe(0);
  });

  it('a crowd of new visitors calling like people (a link shared) is not attributed a flood', () => {
    const e = new Endpoint();
    const rand = lcg(5);
    for (let m = 0; m < 120; m++) e.feed(regularMinute(rand, 20));
    // 200 extra calls a minute, each new address calling once or twice
    let next = 0;
    for (let m = 0; m < 15; m++) {
      const crowd: Call[] = Array.from({ length: 200 }, (_, i) => [`198.18.${(next + (i >> 1)) >> 8}.${(next + (i >> 1)) & 255}`, 200]);
      next += 100;
      e.feed([...regularMinute(rand, 20), ...crowd]);
    }
    expect(e.r.anomalies.rate).not.toBeNull();
    expect(named(e.signals, 'dos').size).toBe(0);
  });

  it('the baseline stays frozen under the anomaly, and takes up real counts again when it ends', () => {
    const e = new Endpoint();
    const rand = lcg(6);
    for (let m = 0; m < 120; m++) e.feed(regularMinute(rand, 20));
    const before = medianAndMad(e.r.reqHistory.recent(24)).median;
    expect(before).toBeGreaterThan(80);
    expect(before).toBeLessThan(120);
    const pushedBefore = e.r.reqHistory.count;
    for (let m = 0; m < 60; m++) e.feed([...regularMinute(rand, 20), ...spread(floodIps, 180)]);
    expect(e.r.anomalies.rate).not.toBeNull();

    // back to normal: the anomaly ends ten minutes after its evidence does (the 30 min window
    // holds the flood for half an hour)
    for (let m = 0; m < 25; m++) e.feed(regularMinute(rand, 20));
    expect(e.r.anomalies.rate).not.toBeNull();
    for (let m = 0; m < 20; m++) e.feed(regularMinute(rand, 20));
    expect(e.r.anomalies.rate).toBeNull();
    // the flood's twelve five-minute buckets went into the history as what was usual before
    const since = e.r.reqHistory.recent(e.r.reqHistory.count - pushedBefore);
    expect(since.length).toBeGreaterThanOrEqual(60 / BUCKET_MIN);
    for (const v of since) expect(v).toBeLessThan(1.5 * before);
    // a normal level that is not the median any more: the history takes real counts again
    for (let m = 0; m < 30; m++) e.feed(regularMinute(rand, 30));
    expect(Math.max(...e.r.reqHistory.recent(1))).toBeGreaterThan(1.2 * before);
  });

  it('a level that lasts for hours becomes the usual one: the freeze ends after 3 h', () => {
    const e = new Endpoint();
    const rand = lcg(7);
    for (let m = 0; m < 120; m++) e.feed(regularMinute(rand, 20));
    const before = medianAndMad(e.r.reqHistory.recent(24)).median;
    for (let m = 0; m < 170; m++) e.feed([...regularMinute(rand, 20), ...spread(floodIps, 180)]);
    expect(Math.max(...e.r.reqHistory.recent(30))).toBeLessThan(1.5 * before);
    for (let m = 0; m < 20; m++) e.feed([...regularMinute(rand, 20), ...spread(floodIps, 180)]);
    expect(Math.max(...e.r.reqHistory.recent(2))).toBeGreaterThan(5 * before);
  });
});

describe('EndpointAnalyzer: baseline', () => {
  it('takes a five-minute bucket only once events up to 10 min late have come in, and nothing from before the first call', () => {
    const r = new EndpointRecord('shop/api GET /products', 'shop/api', 'GET /products');
    const analyzer = new EndpointAnalyzer();
    const who: CallerFacts = { firstSeen: () => 0, refusedShare: () => 0, requests: () => 0, users: () => 0, meshRequests: () => 0 };
    // 20 calls every minute from the first one on; half of each minute's calls reach the engine five minutes late
    const see = (minute: number, n: number, newest: number) => {
      for (let i = 0; i < n; i++) r.see(minute * 60_000 + i * 1000, regulars[i % regulars.length], 200, 10, minute, newest);
    };
    for (let m = M0; m < M0 + 120; m++) {
      see(m, 10, m);
      if (m - 5 >= M0) see(m - 5, 10, m);
      analyzer.evaluate(r, m + 1, (m + 1) * 60_000, DEFAULT_THRESHOLDS, who);
    }
    const history = r.reqHistory.recent(r.reqHistory.count);
    expect(history.length).toBeGreaterThanOrEqual(20);
    // every bucket the baseline took holds all of its 5 × 20 calls
    expect(new Set(history)).toEqual(new Set([100]));
  });
});

describe('EndpointAnalyzer: refusals', () => {
  /** sign-ins: regular callers fail now and then and get in on their next try */
  function signIns(rand: () => number): Call[] {
    const calls: Call[] = [];
    for (const [ip] of regularMinute(rand, 10)) {
      if (rand() < 0.05) calls.push([ip, 401]);
      calls.push([ip, 200]);
    }
    return calls;
  }

  it('refusals from 40 new addresses that never get in are credential stuffing naming them; callers let in at their next try are not named', () => {
    const e = new Endpoint('POST /login');
    const rand = lcg(8);
    // a client that signs in about once an hour
    const hourly = '10.9.9.9';
    for (let m = 0; m < 120; m++) e.feed(m === 60 ? [...signIns(rand), [hourly, 200]] : signIns(rand));
    expect(e.signals).toEqual([]);
    const stuffers = Array.from({ length: 40 }, (_, i) => `203.0.113.${i + 1}`);
    // a person who mistyped and got in on the next try, seconds later
    const lucky = '203.0.113.250';
    // one who got in only some minutes later: named while refused, no longer once let in
    const late = '203.0.113.251';
    for (let m = 0; m < 15; m++) {
      const calls: Call[] = [...signIns(rand), ...stuffers.map((ip) => [ip, 401] as Call)];
      if (m === 1) calls.push([lucky, 401], [lucky, 200], [late, 401]);
      if (m === 4) calls.push([late, 200]);
      // the hourly client mistypes at the end of a minute and gets in at the start of the next
      if (m === 5) calls.push([hourly, 401]);
      if (m === 6) calls.unshift([hourly, 200]);
      e.feed(calls);
    }
    const stuffing = e.signals.filter((s) => s.g.kind === 'credential_stuffing');
    expect(stuffing.length).toBeGreaterThan(0);
    expect(stuffing[0].minute - (M0 + 120)).toBeLessThanOrEqual(5);
    const ips = named(e.signals, 'credential_stuffing');
    expect(ips.has(lucky)).toBe(false);
    expect(ips.has(hourly)).toBe(false);
    expect([...ips].filter((ip) => ip !== late).sort()).toEqual([...stuffers].sort());
    const last = stuffing[stuffing.length - 1].g;
    expect([...last.ips].sort()).toEqual([...stuffers].sort());
    expect(last.evidence.map((f) => f.feature)).toEqual(expect.arrayContaining(['endpoint_refusals', 'refused_addresses']));
    expect(last.evidence.find((f) => f.feature === 'refused_addresses')!.value).toBeGreaterThanOrEqual(36);
  });

  it('a stuffing run that begins before the endpoint has a baseline is named within minutes, and the baseline formed under it does not take it for the usual level', () => {
    const e = new Endpoint('POST /login');
    const rand = lcg(11);
    for (let m = 0; m < 5; m++) e.feed(signIns(rand));
    // 30 new addresses a minute, one or two tries each, for 50 min
    let next = 0;
    const batches: string[][] = [];
    for (let m = 0; m < 50; m++) {
      const ips = Array.from({ length: 30 }, () => `198.18.${next >> 8}.${next++ & 255}`);
      batches.push(ips);
      e.feed([...signIns(rand), ...ips.flatMap((ip) => (rand() < 0.5 ? [[ip, 401], [ip, 401]] : [[ip, 401]]) as Call[])]);
    }
    const stuffing = e.signals.filter((s) => s.g.kind === 'credential_stuffing');
    expect(stuffing.length).toBeGreaterThan(0);
    expect(stuffing[0].minute - (M0 + 5)).toBeLessThanOrEqual(5);
    expect(stuffing[0].g.evidence.map((f) => f.feature)).toContain('shut_out_share');
    // still judged an attack once the endpoint has its baseline (from the 40th minute on)
    expect(stuffing[stuffing.length - 1].minute - (M0 + 5)).toBeGreaterThanOrEqual(49);
    expect(stuffing[stuffing.length - 1].g.evidence.map((f) => f.feature)).not.toContain('shut_out_share');
    const ips = named(e.signals, 'credential_stuffing');
    expect(batches.slice(2, 48).flat().filter((ip) => !ips.has(ip))).toEqual([]);
    expect(regulars.filter((ip) => ips.has(ip))).toEqual([]);
  });

  it('before a baseline, callers who mistype and get in, and a few who give up, raise nothing', () => {
    const e = new Endpoint('POST /login');
    const rand = lcg(12);
    let next = 0;
    for (let m = 0; m < 60; m++) {
      const calls: Call[] = [];
      for (const [ip] of regularMinute(rand, 10)) {
        if (rand() < 0.3) calls.push([ip, 401]);
        calls.push([ip, 200]);
      }
      // one new caller in two minutes tries twice and gives up
      if (m % 2 === 0) {
        const ip = `198.18.0.${next++}`;
        calls.push([ip, 401], [ip, 401]);
      }
      e.feed(calls);
    }
    expect(e.signals).toEqual([]);
  });

  it('refusals from one new address are brute force naming it alone', () => {
    const e = new Endpoint('POST /login');
    const rand = lcg(9);
    for (let m = 0; m < 120; m++) e.feed(signIns(rand));
    for (let m = 0; m < 10; m++) e.feed([...signIns(rand), ...spread(['198.51.100.9'], 40, 401)]);
    const kinds = new Set(e.signals.map((s) => s.g.kind));
    expect(kinds.has('brute_force')).toBe(true);
    expect(kinds.has('credential_stuffing')).toBe(false);
    expect([...named(e.signals, 'brute_force')]).toEqual(['198.51.100.9']);
  });
});
