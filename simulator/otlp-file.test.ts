import { describe, expect, it } from 'vitest';
import { parseOtlp } from '@/server/ingest/otlp';
import { MAX_LATENESS_MS } from './delivery';
import type { GroundTruthRecord } from './ground-truth';
import { writeOtlpLines } from './otlp-file';
import { generateWindow } from './stream';
import { World } from './world';

const options = { seed: 17, rate: 2, users: 400, attackEveryMin: 6 };
const from = Date.UTC(2025, 3, 8, 15, 0);
const to = from + 40 * 60_000;

async function run(world: World, stepMs?: number) {
  const chunks: string[] = [];
  const truth: GroundTruthRecord[] = [];
  const result = await writeOtlpLines({ world, from, to, stepMs, write: (c) => void chunks.push(c), onTruth: (e) => truth.push(...e) });
  return { text: chunks.join(''), truth, result };
}

const world = new World(options);
const reference = await run(world);
const lines = reference.text.split('\n');
const tsOf = (nanos: string) => Number(BigInt(nanos) / 1_000_000n);

describe('simulate --out: OTLP/HTTP JSON lines', () => {
  it('writes one ExportLogsServiceRequest per line, one proxy batch each, that the console\'s own OTLP parser takes whole', () => {
    expect(lines.pop()).toBe(''); // every line ends in a newline
    expect(lines.length).toBe(reference.result.lines);
    let events = 0;
    const requestIds = new Set<string>();
    for (const line of lines) {
      const body = JSON.parse(line) as { resourceLogs: { scopeLogs: { logRecords: unknown[] }[] }[] };
      expect(body.resourceLogs).toHaveLength(1);
      const records = body.resourceLogs[0].scopeLogs.flatMap((s) => s.logRecords).length;
      const parsed = parseOtlp(Buffer.from(line), 'json', { proxyId: 'unused', now: to, retentionDays: 3650 });
      expect(parsed.rejected, parsed.errors.join('; ')).toBe(0);
      expect(parsed.events).toHaveLength(records);
      expect(new Set(parsed.events.map((e) => e.proxyId)).size).toBe(1);
      for (const e of parsed.events) requestIds.add(`${e.proxyId}/${e.requestId}`);
      events += records;
    }
    // int64 values as strings, as the OTLP/JSON mapping writes them
    expect(reference.text).not.toMatch(/"(intValue|timeUnixNano|observedTimeUnixNano)":\s*\d/);
    expect(events).toBe(reference.result.events);
    expect(requestIds.size).toBe(events);
    // exactly the simulator's events for the window, attacks included
    const window = generateWindow(new World(options), from, to);
    expect(events).toBe(window.records.length);
    expect(window.records.some((r) => r.attack)).toBe(true);
  });

  it('interleaves proxies up to a few minutes out of order, each proxy\'s own lines in order', () => {
    let newest = -Infinity;
    let worst = 0;
    const lastOfProxy = new Map<string, number>();
    for (const line of lines) {
      const rl = (JSON.parse(line) as { resourceLogs: { resource: { attributes: { key: string; value: { stringValue?: string } }[] }; scopeLogs: { logRecords: { timeUnixNano: string }[] }[] }[] }).resourceLogs[0];
      const proxy = rl.resource.attributes.find((a) => a.key === 'meshward.proxy_id')!.value.stringValue!;
      const ts = rl.scopeLogs.flatMap((s) => s.logRecords).map((r) => tsOf(r.timeUnixNano));
      const first = Math.min(...ts);
      const last = Math.max(...ts);
      worst = Math.max(worst, newest - first);
      newest = Math.max(newest, last);
      expect(first, proxy).toBeGreaterThanOrEqual(lastOfProxy.get(proxy) ?? -Infinity);
      lastOfProxy.set(proxy, last);
    }
    expect(worst).toBe(reference.result.maxOutOfOrderMs);
    expect(worst).toBeLessThanOrEqual(MAX_LATENESS_MS);
    expect(MAX_LATENESS_MS).toBeLessThan(10 * 60_000); // the detect CLI's tolerance
    expect(worst).toBeGreaterThan(15_000); // stalled collectors: really out of order, not only by a batch
  });

  it('gives the same bytes and ground truth for the same seed and window, however it is stepped', async () => {
    const again = await run(new World(options), 7 * 60_000 + 123);
    expect(again.text === reference.text).toBe(true);
    // the truth comes out as attacks end, so its order follows the step; its content does not
    const byId = (t: GroundTruthRecord[]) => [...t].sort((x, y) => (x.id < y.id ? -1 : 1));
    expect(byId(again.truth)).toEqual(byId(reference.truth));
    expect(reference.truth.some((e) => e.type === 'attack')).toBe(true);
    expect(reference.truth.some((e) => e.type === 'benign_cohort')).toBe(true);
    const other = await run(new World({ ...options, seed: 18 }));
    expect(other.text.slice(0, 5000)).not.toBe(reference.text.slice(0, 5000));
  });

  it('carries no ground truth on the wire', () => {
    const ids = reference.truth.map((e) => e.id);
    for (const id of ids) expect(reference.text.includes(id), id).toBe(false);
    expect(reference.text).not.toMatch(/attack|scenario|cohort|ground.?truth|expected_detections|parent.?span/i);
  });
});
