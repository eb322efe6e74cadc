import { gunzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { encodeBatches } from './encode';
import type { SimRecord } from './record';
import { SCENARIO_KINDS } from './scenarios/types';
import { generateWindow } from './stream';
import { World } from './world';

// One attack every 5 minutes cycles through all thirteen scenarios in 65 minutes; the window starts on
// a cycle boundary so that one whole cycle lies inside it, and runs on until its short attacks are over.
const EVERY_MIN = 5;
const cycleMs = SCENARIO_KINDS.length * EVERY_MIN * 60_000;
const from = Math.ceil(Date.UTC(2025, 8, 1, 9) / cycleMs) * cycleMs;
const to = from + cycleMs + 40 * 60_000;
const world = new World({ seed: 31, rate: 0.5, users: 200, attackEveryMin: EVERY_MIN });
const { records, truth } = generateWindow(world, from, to);
const attackRecords = records.filter((r) => r.attack !== null);

describe('simulator ground truth', () => {
  it('records every scenario with its actors, and each entry matches the events sent', () => {
    expect(new Set(truth.map((e) => e.scenario))).toEqual(new Set(SCENARIO_KINDS));
    const byAttack = new Map<string, SimRecord[]>();
    for (const r of attackRecords) {
      const list = byAttack.get(r.attack!);
      if (list) list.push(r);
      else byAttack.set(r.attack!, [r]);
    }
    expect(new Set(byAttack.keys())).toEqual(new Set(truth.map((e) => e.id)));
    for (const entry of truth) {
      const events = byAttack.get(entry.id)!;
      expect(entry.events, entry.id).toBe(events.length);
      expect(entry.start).toBe(new Date(events.reduce((m, r) => Math.min(m, r.ts), Infinity)).toISOString());
      expect(entry.end).toBe(new Date(events.reduce((m, r) => Math.max(m, r.ts), -Infinity)).toISOString());
      expect(entry.actors.ips.length + entry.actors.tokens.length + entry.actors.users.length, entry.id).toBeGreaterThan(0);
      expect(entry.actors.ips.length, `${entry.id} came from outside`).toBeGreaterThan(0);
      expect(entry.expected_detections.length).toBeGreaterThan(0);
      expect(entry).toMatchObject({ seed: 31, generator: expect.stringMatching(/^meshward-simulator\//) });
      const [lo, hi] = [Date.parse(entry.start), Date.parse(entry.end)];
      const inSpan = records.filter((r) => r.ts >= lo && r.ts <= hi);
      const seen = { ips: new Set(inSpan.filter((r) => r.srcService === 'external').map((r) => r.clientIp)), tokens: new Set(inSpan.map((r) => r.tokenId)), users: new Set(inSpan.map((r) => r.user)) };
      // Every actor named has events in the stream inside the entry's span; every event's actor is named.
      for (const ip of entry.actors.ips) expect(seen.ips.has(ip), `${entry.id} ${ip}`).toBe(true);
      for (const token of entry.actors.tokens) expect(seen.tokens.has(token), `${entry.id} ${token}`).toBe(true);
      for (const user of entry.actors.users) expect(seen.users.has(user), `${entry.id} ${user}`).toBe(true);
      for (const r of events) {
        if (r.srcService === 'external' && !entry.actors.ips.includes(r.clientIp)) throw new Error(`${entry.id}: ${r.clientIp} is not in its actors`);
        if (r.tokenId && !entry.actors.tokens.includes(r.tokenId)) throw new Error(`${entry.id}: token ${r.tokenId} is not in its actors`);
      }
      expect(entry.targets.services.length + entry.targets.unknown_paths).toBeGreaterThan(0);
    }
  });

  it('names the accounts that credential attacks went after', () => {
    for (const entry of truth.filter((e) => e.scenario === 'brute_force' || e.scenario === 'low_and_slow')) {
      expect(entry.targets.accounts.targeted, entry.id).toHaveLength(1);
    }
    const botnet = truth.filter((e) => e.scenario === 'credential_stuffing' || e.scenario === 'dos');
    for (const entry of botnet) expect(entry.actors.ips.length, entry.id).toBeGreaterThan(100);
  });

  it('schedules only the scenarios asked for', () => {
    const only = new World({ seed: 31, rate: 0.5, users: 200, attackEveryMin: EVERY_MIN, scenarios: ['scraping', 'brute_force'] });
    const window = generateWindow(only, from, from + 15 * 60_000);
    expect(new Set(window.truth.map((e) => e.scenario))).toEqual(new Set(['scraping', 'brute_force']));
    const none = generateWindow(new World({ seed: 31, rate: 0.5, users: 200, scenarios: [] }), from, from + 5 * 60_000);
    expect(none.truth).toEqual([]);
    expect(none.records.some((r) => r.attack !== null)).toBe(false);
  });

  it('never puts attack ids, templates or span parentage on the wire', () => {
    const ids = truth.map((e) => e.id);
    const templates = [...new Set(attackRecords.map((r) => r.endpoint).filter((e): e is string => e !== null && e.includes('{')))];
    expect(templates.length).toBeGreaterThan(0);
    const sample: SimRecord[] = attackRecords.filter((_, i) => i % 10 === 0);
    const batches = encodeBatches(world.topology, sample);
    expect(new Set(batches.map((b) => b.format))).toEqual(new Set(['otlp-proto', 'otlp-json', 'envoy']));
    for (const b of batches) {
      const body = gunzipSync(b.body).toString('latin1');
      for (const id of ids) expect(body.includes(id), `${b.format} carries ${id}`).toBe(false);
      for (const t of templates) expect(body.includes(t.slice(t.indexOf(' ') + 1)), `${b.format} carries ${t}`).toBe(false);
      expect(body).not.toMatch(/attack|scenario|ground.?truth|expected_detections|parent.?span/i);
    }
  });
});
