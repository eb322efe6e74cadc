import { describe, expect, it } from 'vitest';
import {
  addSeenActors, cohortLine, finalLine, parseTruth, percentile, scenarioLine, scoreFile, summarize, type ScoredDetection, type Truth,
} from './cli-score';
import type { ActorRef, EngineEvent } from './types';

const T0 = Date.UTC(2025, 2, 1, 12);
const MIN = 60_000;
const iso = (t: number) => new Date(t).toISOString();

const attackLine = (o: { id: string; scenario: string; start: number; end: number; tokens?: string[]; users?: string[]; ips?: string[]; type?: boolean }) =>
  JSON.stringify({
    ...(o.type === false ? {} : { type: 'attack' }), id: o.id, scenario: o.scenario, variant: null, start: iso(o.start), end: iso(o.end), events: 10,
    actors: { tokens: o.tokens ?? [], users: o.users ?? [], ips: o.ips ?? [] }, expected_detections: [],
  });
const cohortLineJson = (cohort: string, a: { tokens?: string[]; users?: string[]; ips?: string[] }) =>
  JSON.stringify({ type: 'benign_cohort', id: `c-${cohort}`, cohort, start: iso(T0), end: iso(T0), actors: { tokens: a.tokens ?? [], users: a.users ?? [], ips: a.ips ?? [] } });

const ip = (id: string): ActorRef => ({ type: 'ip', id });
const det = (actors: ActorRef[], start: number, end: number, since: number | Record<string, number>): ScoredDetection => ({
  actors, start, end,
  actorSince: new Map(actors.map((a) => [`${a.type}:${a.id}`, typeof since === 'number' ? since : since[a.id]])),
});
const seenOf = (...keys: string[]) => new Set(keys);

describe('parseTruth', () => {
  it('reads attack lines (typed or from before generator 2) and cohort lines, merges an instance written twice', () => {
    const t = parseTruth([
      attackLine({ id: 'a1', scenario: 'crawler', start: T0, end: T0 + 5 * MIN, ips: ['1.1.1.1'] }),
      '',
      attackLine({ id: 'old', scenario: 'dos', start: T0, end: T0 + MIN, ips: ['2.2.2.2'], type: false }),
      cohortLineJson('search_bots', { ips: ['9.9.9.9'] }),
      attackLine({ id: 'a1', scenario: 'crawler', start: T0 + 10 * MIN, end: T0 + 20 * MIN, ips: ['1.1.1.1', '1.1.1.2'] }),
      JSON.stringify({ type: 'something_else' }),
    ].join('\n'));
    expect(t.attacks).toEqual([
      { id: 'a1', scenario: 'crawler', start: T0, end: T0 + 20 * MIN, actors: { tokens: [], users: [], ips: ['1.1.1.1', '1.1.1.2'] } },
      { id: 'old', scenario: 'dos', start: T0, end: T0 + MIN, actors: { tokens: [], users: [], ips: ['2.2.2.2'] } },
    ]);
    expect(t.cohorts).toEqual([{ cohort: 'search_bots', actors: { tokens: [], users: [], ips: ['9.9.9.9'] } }]);
  });

  it('says which line is broken', () => {
    expect(() => parseTruth(`${attackLine({ id: 'a', scenario: 'x', start: T0, end: T0 })}\n{oops`)).toThrow(/line 2: not JSON/);
    expect(() => parseTruth(JSON.stringify({ type: 'attack', id: 'a', scenario: 'x', start: 'soon', end: iso(T0) }))).toThrow(/line 1: start/);
  });
});

describe('scoreFile', () => {
  const truth: Truth = parseTruth([
    attackLine({ id: 'c1', scenario: 'crawler', start: T0, end: T0 + 10 * MIN, ips: ['10.0.0.1'] }),
    attackLine({ id: 's1', scenario: 'scraping', start: T0 + 60 * MIN, end: T0 + 90 * MIN, tokens: ['tok-s'], users: ['bot'], ips: ['10.0.0.2', '10.0.0.3'] }),
    cohortLineJson('search_bots', { ips: ['66.249.0.1', '66.249.0.2'] }),
    cohortLineJson('cgnat_mobile', { ips: ['100.64.0.1', '10.0.0.3'], users: ['carol'] }),
  ].join('\n'));
  const seen = seenOf('ip:10.0.0.1', 'ip:10.0.0.2', 'ip:10.0.0.3', 'token:tok-s', 'user:bot', 'ip:66.249.0.1', 'ip:66.249.0.2', 'ip:100.64.0.1', 'user:carol', 'user:dave');

  it('an actor counts when a detection names it within [start, end + 10 min] of the instance', () => {
    const r = scoreFile('sim', truth, [
      // the crawler's ip named by a detection starting 9 min after the instance ended: recalled
      det([ip('10.0.0.1')], T0 + 19 * MIN, T0 + 25 * MIN, T0 + 29 * MIN),
      // the scraper's token named only long after: not recalled
      det([{ type: 'token', id: 'tok-s' }], T0 + 101 * MIN, T0 + 110 * MIN, T0 + 111 * MIN),
      // its user and one ip within the window
      det([{ type: 'user', id: 'bot' }, ip('10.0.0.2')], T0 + 50 * MIN, T0 + 61 * MIN, { bot: T0 + 75 * MIN, '10.0.0.2': T0 + 70 * MIN }),
    ], seen);
    expect(r.instances).toEqual([
      { generator: 'sim', scenario: 'crawler', id: 'c1', actors: 1, recalled: 1, recall: 1, ttdS: 29 * 60 },
      { generator: 'sim', scenario: 'scraping', id: 's1', actors: 4, recalled: 2, recall: 0.5, ttdS: 10 * 60 },
    ]);
  });

  it('a detection ending before the instance or starting after its grace does not count', () => {
    const r = scoreFile('sim', truth, [
      det([ip('10.0.0.1')], T0 - 30 * MIN, T0 - MIN, T0),
      det([ip('10.0.0.1')], T0 + 20 * MIN + 1, T0 + 30 * MIN, T0 + 30 * MIN),
    ], seen);
    expect(r.instances[0]).toMatchObject({ recalled: 0, recall: 0, ttdS: null });
  });

  it('time to detect is never negative: an actor named before the start counts from the start', () => {
    const r = scoreFile('sim', truth, [det([ip('10.0.0.1')], T0 - 5 * MIN, T0 + MIN, T0 - 2 * MIN)], seen);
    expect(r.instances[0].ttdS).toBe(0);
  });

  it('counts benign actors flagged, attack actors left out, and per cohort', () => {
    const r = scoreFile('sim', truth, [
      det([ip('66.249.0.1'), { type: 'user', id: 'dave' }, ip('10.0.0.3'), { type: 'ip_group', id: '66.249.0.0/24' }], T0, T0 + MIN, T0),
      det([ip('203.0.113.99')], T0, T0 + MIN, T0), // named but never seen: not a benign actor of this stream
    ], seen);
    // seen: 10 actors, 5 of them attacking → 5 benign; flagged: 66.249.0.1 and dave
    expect(r).toMatchObject({ benignActors: 5, benignFlagged: 2, unseenAttackActors: 0 });
    expect(r.cohorts).toEqual([
      { generator: 'sim', cohort: 'search_bots', actors: 2, flagged: 1 },
      // 10.0.0.3 is the scraper's: not a benign actor of the cohort
      { generator: 'sim', cohort: 'cgnat_mobile', actors: 2, flagged: 0 },
    ]);
  });

  it('attack actors the stream never carried are counted apart, not in recall, and never benign', () => {
    const r = scoreFile('sim', truth, [det([ip('10.0.0.1'), ip('10.0.0.2')], T0, T0 + 70 * MIN, T0)], seenOf('ip:10.0.0.1', 'ip:10.0.0.2', 'user:dave'));
    expect(r.unseenAttackActors).toBe(3);
    expect(r.instances.map((i) => [i.id, i.actors, i.recalled])).toEqual([['c1', 1, 1], ['s1', 1, 1]]);
    expect(r).toMatchObject({ benignActors: 1, benignFlagged: 0 });
    expect(scoreFile('sim', truth, [], seenOf()).instances).toEqual([]);
  });
});

describe('summarize', () => {
  it('means per scenario and generator, min and mean over scenarios, pooled fp rate, p95 of time to detect', () => {
    const inst = (generator: string, scenario: string, recall: number, ttdS: number | null) =>
      ({ generator, scenario, id: `${scenario}-${recall}`, actors: 4, recalled: recall * 4, recall, ttdS });
    const s = summarize([
      { generator: 'sim', instances: [inst('sim', 'crawler', 1, 60), inst('sim', 'crawler', 0.5, 120), inst('sim', 'low_and_slow', 0, null)], benignActors: 100, benignFlagged: 1, cohorts: [{ generator: 'sim', cohort: 'bots', actors: 10, flagged: 1 }], unseenAttackActors: 0 },
      { generator: 'sim', instances: [inst('sim', 'crawler', 0, null)], benignActors: 300, benignFlagged: 3, cohorts: [{ generator: 'sim', cohort: 'bots', actors: 20, flagged: 0 }], unseenAttackActors: 0 },
      { generator: 'heldout', instances: [inst('heldout', 'crawler', 1, 30)], benignActors: 100, benignFlagged: 0, cohorts: [], unseenAttackActors: 0 },
    ]);
    expect(s.scenarios).toEqual([
      { key: 'heldout/crawler', instances: 1, recall: 1, ttdP95S: 30, lowAndSlow: false },
      { key: 'sim/crawler', instances: 3, recall: 0.5, ttdP95S: 120, lowAndSlow: false },
      { key: 'sim/low_and_slow', instances: 1, recall: 0, ttdP95S: null, lowAndSlow: true },
    ]);
    expect(s).toMatchObject({ recallMin: 0, recallMean: 0.5, benignActors: 500, benignFlagged: 4, fpRate: 0.008, ttdP95S: 120 });
    expect(s.cohorts).toEqual([{ generator: 'sim', cohort: 'bots', actors: 30, flagged: 1 }]);
    expect(scenarioLine(s.scenarios[1])).toBe('scenario=sim/crawler instances=3 recall=0.50 ttd_p95_s=120');
    expect(scenarioLine(s.scenarios[2])).toBe('scenario=sim/low_and_slow instances=1 recall=0.00 ttd_p95_s=NA low_and_slow=1');
    expect(cohortLine(s.cohorts[0])).toBe('cohort=sim/bots actors=30 fp=1 fp_rate=0.0333');
    expect(finalLine(s, { eventsPerS: 12345.6, peakRssMb: 301.2 })).toBe('bench:detection recall_min=0.00 recall_mean=0.50 fp_rate=0.0080 ttd_p95_s=120 events_per_s=12346 peak_rss_mb=301');
  });

  it('without files everything is NA', () => {
    expect(finalLine(summarize([]), { eventsPerS: 0, peakRssMb: 0 })).toBe('bench:detection recall_min=NA recall_mean=NA fp_rate=NA ttd_p95_s=NA events_per_s=0 peak_rss_mb=0');
  });

  it('nearest-rank percentile', () => {
    expect(percentile([], 0.95)).toBeNull();
    expect(percentile([5], 0.95)).toBe(5);
    expect(percentile(Array.from({ length: 100 }, (_, i) => 100 - i), 0.95)).toBe(95);
    expect(percentile([1, 2, 3], 0.95)).toBe(3);
  });
});

describe('addSeenActors', () => {
  it('collects tokens, users and client ips of events', () => {
    const seen = new Set<string>();
    const e = (tokenId: string | null, userId: string | null, clientIp: string | null) => ({ tokenId, userId, clientIp }) as EngineEvent;
    addSeenActors(seen, [e('t1', 'u1', '1.2.3.4'), e(null, null, '1.2.3.4'), e('t1', null, null), e(null, 'u2', '::1')]);
    expect([...seen].sort()).toEqual(['ip:1.2.3.4', 'ip:::1', 'token:t1', 'user:u1', 'user:u2']);
  });
});
