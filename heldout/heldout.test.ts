import { readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseOtlp } from '@/server/ingest/otlp';
import { SCENARIO_NAMES } from './attacks';
import { parseHeldoutArgs } from './cli';
import { HELDOUT_COHORTS } from './cohorts';
import { drawConfig } from './config';
import type { Ev } from './exec';
import { MAX_LATENESS_MS } from './fleet';
import { generateHeldout } from './run';
import type { TruthRecord } from './truth';

async function run(o: { seed: number; rate: number; start: number; hours: number; scenarios?: string[] }, stepMs?: number, keep = false) {
  const chunks: string[] = [];
  const truth: TruthRecord[] = [];
  const events: Ev[] = [];
  const result = await generateHeldout(o, { write: (c) => void chunks.push(c), truth: (t) => truth.push(...t), observe: keep ? (e) => void events.push(e) : undefined }, stepMs);
  return { text: chunks.join(''), truth, events, result };
}

// A whole (quiet) day, every attack and every cohort in it.
const day = { seed: 4, rate: 1, start: Date.UTC(2025, 4, 12), hours: 24 };
const ref = await run(day, undefined, true);
const lines = ref.text.split('\n').slice(0, -1);

describe('held-out generator', () => {
  it('writes OTLP/HTTP JSON lines the console\'s own parser takes whole, int64 values as strings', () => {
    expect(lines.length).toBe(ref.result.lines);
    let records = 0;
    for (const line of lines) {
      const parsed = parseOtlp(Buffer.from(line), 'json', { proxyId: 'unused', now: day.start + 2 * 86_400_000, retentionDays: 3650 });
      expect(parsed.rejected, parsed.errors.join('; ')).toBe(0);
      records += parsed.events.length;
      for (const e of parsed.events) {
        expect(e.durationMs).not.toBeNull(); // from http.server.request.duration, in seconds
        expect(e.dstService).toMatch(/^[a-z]+\/[a-z0-9-]+$/); // from the resource
      }
    }
    expect(records).toBe(ref.result.events);
    expect(ref.text).not.toMatch(/"(intValue|timeUnixNano|observedTimeUnixNano)":\s*\d/);
    // parses every line of a day of traffic: ~10 s alone, several times that on a busy machine
  }, 120_000);

  it('delivers exports up to a few minutes out of order (ingest incidents, collector restarts), within the bound', () => {
    let newest = -Infinity;
    let worst = 0;
    for (const line of lines) {
      const times = [...line.matchAll(/"timeUnixNano":"(\d+)"/g)].map((m) => Number(BigInt(m[1]) / 1_000_000n));
      worst = Math.max(worst, newest - Math.min(...times));
      newest = Math.max(newest, ...times);
    }
    expect(worst).toBeGreaterThan(30_000);
    expect(worst).toBeLessThanOrEqual(MAX_LATENESS_MS);
    expect(MAX_LATENESS_MS).toBeLessThan(10 * 60_000);
  });

  it('runs every attack scenario, and each ground-truth line matches the events labelled with it', () => {
    const attacks = ref.truth.filter((t) => t.type === 'attack');
    expect(new Set(attacks.map((t) => t.scenario))).toEqual(new Set(SCENARIO_NAMES));
    const byAttack = new Map<string, Ev[]>();
    for (const e of ref.events) if (e.label?.attack) (byAttack.get(e.label.attack) ?? byAttack.set(e.label.attack, []).get(e.label.attack)!).push(e);
    expect(new Set(byAttack.keys())).toEqual(new Set(attacks.map((t) => t.id)));
    for (const t of attacks) {
      const evs = byAttack.get(t.id)!;
      const actors = t.actors as { tokens: string[]; users: string[]; ips: string[] };
      expect(t.events, t.id).toBe(evs.length);
      expect(t).toMatchObject({ seed: 4, generator: 'meshward-heldout/1', start: new Date(Math.floor(Math.min(...evs.map((e) => e.ts)))).toISOString() });
      expect(new Set(actors.ips)).toEqual(new Set(evs.filter((e) => e.src === 'external').map((e) => e.ip)));
      expect(new Set(actors.tokens)).toEqual(new Set(evs.map((e) => e.token).filter(Boolean)));
      expect(new Set(actors.users)).toEqual(new Set(evs.map((e) => e.user).filter(Boolean)));
      expect((t.expected_detections as string[]).length).toBeGreaterThan(0);
    }
    const botnets = attacks.filter((t) => ['credential_stuffing', 'password_spraying', 'dos', 'distributed_flood'].includes(t.scenario as string));
    for (const t of botnets) expect((t.actors as { ips: string[] }).ips.length, t.id).toBeGreaterThanOrEqual(100);
  });

  it('labels every benign cohort, each line naming exactly the actors of its events', () => {
    const cohorts = ref.truth.filter((t) => t.type === 'benign_cohort');
    expect(new Set(cohorts.map((t) => t.cohort))).toEqual(new Set(Object.keys(HELDOUT_COHORTS)));
    for (const t of cohorts) {
      const evs = ref.events.filter((e) => e.label?.cohorts?.includes(t.cohort as string) && new Date(e.ts).toISOString().slice(0, 10) === (t.id as string).slice(-10));
      const actors = t.actors as { tokens: string[]; users: string[]; ips: string[] };
      expect(t.events, t.id).toBe(evs.length);
      expect(new Set(actors.ips), t.id).toEqual(new Set(evs.filter((e) => e.src === 'external' || e.root).map((e) => e.ip)));
      expect(new Set(actors.tokens), t.id).toEqual(new Set(evs.map((e) => e.token).filter(Boolean)));
    }
    expect(ref.events.filter((e) => e.label?.attack && e.label.cohorts)).toEqual([]);
  });

  it('gives the same bytes for the same seed and window however the loop is stepped, other bytes for another seed', async () => {
    const short = { seed: 9, rate: 2, start: Date.UTC(2025, 4, 20, 13), hours: 0.75 };
    const a = await run(short);
    const b = await run(short, 17_000);
    expect(a.text.length).toBeGreaterThan(100_000);
    expect(a.text === b.text).toBe(true);
    // the truth comes out as attacks end, so its order follows the step; its content does not
    const byId = (t: TruthRecord[]) => [...t].sort((x, y) => (x.id < y.id ? -1 : 1));
    expect(byId(b.truth)).toEqual(byId(a.truth));
    const c = await run({ ...short, seed: 10 });
    expect(c.text.slice(0, 4000)).not.toBe(a.text.slice(0, 4000));
  });

  it('varies the bank with the seed', () => {
    const configs = Array.from({ length: 30 }, (_, i) => drawConfig(i + 1));
    for (const f of [(c: typeof configs[0]) => c.customers, (c: typeof configs[0]) => c.natShare, (c: typeof configs[0]) => c.partners[0].consentsAt15, (c: typeof configs[0]) => c.attacks.intensity, (c: typeof configs[0]) => c.attacks.botnet, (c: typeof configs[0]) => c.branches.length]) {
      expect(new Set(configs.map(f)).size).toBeGreaterThan(5);
    }
    expect(drawConfig(3)).toEqual(drawConfig(3));
  });

  it('reads its command line', () => {
    expect(parseHeldoutArgs(['--out', 'o.jsonl', '--truth', 't.jsonl', '--hours', '6', '--seed', '3', '--rate=20'])).toMatchObject({ hours: 6, seed: 3, rate: 20, start: Date.UTC(2025, 4, 8) });
    expect(parseHeldoutArgs(['--out', '-', '--truth', 't', '--scenarios', 'none']).scenarios).toEqual([]);
    expect(() => parseHeldoutArgs(['--out', 'o'])).toThrow(/--truth/);
    expect(() => parseHeldoutArgs(['--out', 'o', '--truth', 't', '--seed', '0'])).toThrow(/--seed "0"/);
    expect(() => parseHeldoutArgs(['--out', 'o', '--truth', 't', '--scenarios', 'crawler,ddos'])).toThrow(/unknown scenario "ddos"/);
  });

  it('shares no code with the simulator (only the wire format and the ground-truth record format)', () => {
    const dir = import.meta.dirname;
    const files = (d: string): string[] => readdirSync(d).flatMap((n) => (statSync(path.join(d, n)).isDirectory() ? files(path.join(d, n)) : [path.join(d, n)]));
    const sources = files(dir).filter((f) => f.endsWith('.ts') && !f.endsWith('.test.ts'));
    expect(sources.length).toBeGreaterThan(10);
    for (const f of sources) {
      const text = readFileSync(f, 'utf8');
      const imports = [...text.matchAll(/(?:from|import)\s*\(?\s*['"]([^'"]+)['"]/g)].map((m) => m[1]);
      for (const spec of imports) expect(spec.startsWith('.') || spec.startsWith('node:'), `${path.relative(dir, f)} imports ${spec}`).toBe(true);
      expect(text, f).not.toMatch(/meshward-shop|simulator\//);
    }
  });
});
