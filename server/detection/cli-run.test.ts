import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { LINE_TOO_LONG, readLines } from './cli-lines';
import { cliOutput, LineDecoder, offlineDefaults, runDetection, runDetectionOnFile, type DetectEngine, type EngineFactory } from './cli-run';
import { DEFAULT_LATENESS_MS } from './engine';
import type { ActorRef, Detection, EngineEvent } from './types';

const enc = new TextEncoder();
const dec = new TextDecoder();

async function* chunks(...parts: (string | Uint8Array)[]) {
  for (const p of parts) yield typeof p === 'string' ? enc.encode(p) : p;
}

async function collect<T>(it: AsyncIterable<T>): Promise<T[]> {
  const out: T[] = [];
  for await (const x of it) out.push(x);
  return out;
}

const texts = async (it: AsyncIterable<Uint8Array | typeof LINE_TOO_LONG>) =>
  (await collect(it)).map((l) => (l === LINE_TOO_LONG ? 'TOO LONG' : dec.decode(l)));

// ---- OTLP lines ---------------------------------------------------------------------------------

const T0 = Date.UTC(2025, 2, 1, 12);
const attr = (key: string, value: string | number) =>
  ({ key, value: typeof value === 'number' ? { intValue: String(value) } : { stringValue: value } });

interface Rec {
  ts: number;
  path?: string;
  status?: number | string;
  ip?: string;
  token?: string;
  user?: string;
  id?: string;
}

/** One proxy's batch as the simulator writes it (int64 as strings). */
function line(records: Rec[]): string {
  return JSON.stringify({
    resourceLogs: [{
      resource: { attributes: [attr('meshward.proxy_id', 'shop-1'), attr('meshward.dst_service', 'shop/api')] },
      scopeLogs: [{
        logRecords: records.map((r, i) => ({
          timeUnixNano: `${BigInt(r.ts) * 1_000_000n}`,
          attributes: [
            attr('http.request.method', 'GET'), attr('url.path', r.path ?? '/api/orders/41'),
            attr('http.response.status_code', r.status ?? 200), attr('client.address', r.ip ?? '203.0.113.7'),
            attr('meshward.src_service', 'external'), attr('meshward.request_id', r.id ?? `r-${r.ts}-${i}`),
            ...(r.token ? [attr('meshward.token_id', r.token)] : []), ...(r.user ? [attr('meshward.user', r.user)] : []),
          ],
        })),
      }],
    }],
  });
}

describe('readLines', () => {
  it('strips CRLF and LF, skips empty and blank lines, keeps a last line without a newline', async () => {
    expect(await texts(readLines(chunks('a\r\nb\n\n\r\n  \t\nc\n\nd')))).toEqual(['a', 'b', 'c', 'd']);
  });

  it('joins a line split across chunks, a multi-byte character split included', async () => {
    const euro = enc.encode('€'); // three bytes
    const parts = [enc.encode('{"x":"1'), euro.subarray(0, 1), euro.subarray(1), enc.encode('"}\r'), enc.encode('\nsecond'), enc.encode(' line\n')];
    expect(await texts(readLines(chunks(...parts)))).toEqual(['{"x":"1€"}', 'second line']);
  });

  it('a CR at the end of one chunk and the LF at the start of the next is one line break', async () => {
    expect(await texts(readLines(chunks('a\r', '\nb\r', '\n')))).toEqual(['a', 'b']);
  });

  it('takes strings and one chunk holding many lines', async () => {
    expect(await texts(readLines(chunks(Array.from({ length: 1000 }, (_, i) => `${i}`).join('\n'))))).toHaveLength(1000);
  });

  it('a line over the limit is reported as too long without keeping it, and the next line is read', async () => {
    const long = 'x'.repeat(40);
    expect(await texts(readLines(chunks('ok\n', long.slice(0, 20), long.slice(20), '\nnext\n', long), 32))).toEqual(['ok', 'TOO LONG', 'next', 'TOO LONG']);
  });

  it('nothing in, nothing out', async () => {
    expect(await texts(readLines(chunks()))).toEqual([]);
    expect(await texts(readLines(chunks('\n\r\n\n')))).toEqual([]);
  });
});

describe('LineDecoder', () => {
  it('decodes a request with the console parser into engine events', () => {
    const d = new LineDecoder();
    const events = d.decode(enc.encode(line([{ ts: T0, token: 'tok-1', user: 'alice' }])));
    expect(events).toHaveLength(1);
    expect(events[0]).toMatchObject({ ts: T0, dstService: 'shop/api', srcService: 'external', clientIp: '203.0.113.7', tokenId: 'tok-1', userId: 'alice', status: 200 });
    expect(events[0].endpoint).toMatch(/^GET \//);
    expect(d.stats).toMatchObject({ lines: 1, events: 1, skippedRecords: 0, badLines: 0 });
  });

  it('skips a malformed line and counts it, then goes on', () => {
    const d = new LineDecoder();
    expect(d.decode(enc.encode('{"resourceLogs": [truncated'))).toEqual([]);
    expect(d.decode(enc.encode('[1,2]'))).toEqual([]);
    expect(d.decode(LINE_TOO_LONG)).toEqual([]);
    expect(d.decode(enc.encode(line([{ ts: T0 }])))).toHaveLength(1);
    expect(d.stats).toMatchObject({ lines: 4, events: 1, badLines: 3, skippedRecords: 0 });
    expect(d.stats.messages[0]).toMatch(/^line 1: body is not valid JSON/);
    expect(d.stats.messages[2]).toMatch(/^line 3: longer than/);
  });

  it('counts records the console would refuse inside a line that has good ones', () => {
    const d = new LineDecoder();
    const events = d.decode(enc.encode(line([{ ts: T0 }, { ts: T0 + 1, status: 'two hundred' }, { ts: T0 + 2 }])));
    expect(events.map((e) => e.ts)).toEqual([T0, T0 + 2]);
    expect(d.stats).toMatchObject({ events: 2, skippedRecords: 1, badLines: 0 });
    expect(d.stats.messages[0]).toMatch(/^line 1: .*http\.response\.status_code/);
  });

  it('offline, events from long ago are accepted but not ones far in the future', () => {
    const d = new LineDecoder(offlineDefaults(T0));
    expect(d.decode(enc.encode(line([{ ts: Date.UTC(2019, 0, 1) }])))).toHaveLength(1);
    expect(d.decode(enc.encode(line([{ ts: T0 + 3 * 86_400_000 }])))).toEqual([]);
    expect(d.stats.badLines).toBe(1);
  });
});

// ---- the runner ---------------------------------------------------------------------------------

/** An engine that records what it is given and reports what the test script says, by watermark. */
function fakeEngine(script: (watermark: number, seen: EngineEvent[]) => Detection[] = () => []) {
  const fed: EngineEvent[] = [];
  const watermarks: number[] = [];
  let latenessMs = -1;
  const factory: EngineFactory = (o) => {
    latenessMs = o.latenessMs;
    const engine: DetectEngine = {
      observe: (events) => void fed.push(...events),
      advance: (w) => {
        watermarks.push(w);
        return script(w, fed);
      },
    };
    return engine;
  };
  return { factory, fed, watermarks, lateness: () => latenessMs };
}

const detection = (id: string, actors: ActorRef[], start: number, end: number, score = 70): Detection => ({
  id, kind: 'scraping', service: 'shop/api', actors, start, end, score, severity: 'high',
  evidence: { features: [], transitions: [], windows: [], examples: [], timeline: [] },
});

const MIN = 60_000;

describe('runDetection', () => {
  it('feeds the events in the order of the file and never moves the watermark back', async () => {
    // lines out of order by minutes, as proxies deliver them
    const times = [0, 3, 1, 12, 5, 14, 13, 30, 20, 31].map((m) => T0 + m * MIN);
    const input = times.map((t) => `${line([{ ts: t }, { ts: t + 100 }])}\n`);
    const f = fakeEngine();
    const r = await runDetection(readLines(chunks(...input)), { engine: f.factory, advanceEveryMs: 0 });
    expect(f.lateness()).toBe(DEFAULT_LATENESS_MS);
    expect(f.fed.map((e) => e.ts)).toEqual(times.flatMap((t) => [t, t + 100]));
    expect(f.watermarks.length).toBeGreaterThan(2);
    for (let i = 1; i < f.watermarks.length; i++) expect(f.watermarks[i]).toBeGreaterThan(f.watermarks[i - 1]);
    // each advance is the newest event so far less the lateness, then the end of the stream
    expect(f.watermarks[0]).toBe(T0 + 100 - DEFAULT_LATENESS_MS);
    expect(f.watermarks.at(-2)).toBe(T0 + 31 * MIN + 100 - DEFAULT_LATENESS_MS);
    expect(f.watermarks.at(-1)).toBe(Number.POSITIVE_INFINITY);
    expect(r).toMatchObject({ newest: T0 + 31 * MIN + 100, stats: { lines: 10, events: 20 } });
  });

  it('advances at most once per step of event time, and skips bad lines without advancing', async () => {
    const input = [0, 1, 2, 3, 60, 61, 125].map((s) => `${line([{ ts: T0 + s * 1000 }])}\nnot json\n`);
    const f = fakeEngine();
    const r = await runDetection(readLines(chunks(...input)), { engine: f.factory, advanceEveryMs: 60_000 });
    expect(f.watermarks.map((w) => (w - T0 + DEFAULT_LATENESS_MS) / 1000)).toEqual([0, 60, 125, Infinity]);
    expect(r.stats).toMatchObject({ lines: 14, events: 7, badLines: 7 });
  });

  it('keeps the latest version of each detection by id, with when it was first reported and when each actor joined', async () => {
    const ip = (id: string): ActorRef => ({ type: 'ip', id });
    const f = fakeEngine((w, seen) => {
      const newest = Math.max(...seen.map((e) => e.ts));
      if (newest === T0 + 20 * MIN) return [detection('d1', [ip('198.51.100.1')], T0, T0 + 5 * MIN, 65)];
      if (newest === T0 + 40 * MIN) return [detection('d1', [ip('198.51.100.1'), ip('198.51.100.2')], T0, T0 + 25 * MIN, 90), detection('d2', [ip('192.0.2.9')], T0 + 30 * MIN, T0 + 31 * MIN)];
      return [];
    });
    const input = [0, 10, 20, 30, 40].map((m) => `${line([{ ts: T0 + m * MIN }])}\n`);
    const r = await runDetection(readLines(chunks(...input)), { engine: f.factory });
    expect(r.detections.map((d) => d.id)).toEqual(['d1', 'd2']);
    const [d1, d2] = r.detections;
    expect(d1).toMatchObject({ score: 90, end: T0 + 25 * MIN, emittedWatermark: T0 + 20 * MIN - DEFAULT_LATENESS_MS, emittedAt: T0 + 20 * MIN });
    expect(d1.actors).toHaveLength(2);
    expect([...d1.actorSince]).toEqual([['ip:198.51.100.1', T0 + 20 * MIN], ['ip:198.51.100.2', T0 + 40 * MIN]]);
    expect(d2).toMatchObject({ emittedAt: T0 + 40 * MIN });
  });

  it('hands every decoded batch to onEvents', async () => {
    const seen: number[] = [];
    await runDetection(readLines(chunks(`${line([{ ts: T0 }, { ts: T0 + 1 }])}\n`, 'bad\n', line([{ ts: T0 + 2 }]))), {
      engine: fakeEngine().factory, onEvents: (events) => seen.push(events.length),
    });
    expect(seen).toEqual([2, 1]);
  });

  it('runs the real engine to the end of the stream (advance to +∞ is accepted)', async () => {
    const input = Array.from({ length: 50 }, (_, i) =>
      `${line([{ ts: T0 + i * 20_000, token: `tok-${i % 3}`, user: `u${i % 3}`, path: `/api/orders/${1000 + i}` }])}\n`);
    const r = await runDetection(readLines(chunks(...input)));
    expect(r.stats.events).toBe(50);
    expect(Array.isArray(r.detections)).toBe(true);
  });
});

describe('runDetectionOnFile (decoded on a second thread)', () => {
  it('feeds the same events in the same order, advances alike and counts alike as decoding on this thread', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'meshward-cli-run-'));
    try {
      // enough lines for several of the worker's batches, a broken line and a refused record among them
      const text = Array.from({ length: 3000 }, (_, i) => {
        const t = T0 + i * 1000 - (i % 7) * 60_000;
        const recs: Rec[] = [{ ts: t, token: `tok-${i % 5}`, path: `/api/orders/${i}` }, { ts: t + 1, status: i % 50 === 0 ? 'teapot' : 200 }];
        return `${line(recs)}\n${i === 1500 ? '{"resourceLogs":[\n' : ''}`;
      }).join('');
      const file = path.join(dir, 'in.jsonl');
      writeFileSync(file, text);
      const here = fakeEngine();
      const want = await runDetection(readLines(chunks(text)), { engine: here.factory, advanceEveryMs: 30_000 });
      const there = fakeEngine();
      const got = await runDetectionOnFile(file, { engine: there.factory, advanceEveryMs: 30_000 });
      expect(there.fed).toEqual(here.fed);
      expect(there.watermarks).toEqual(here.watermarks);
      expect(got.stats).toEqual(want.stats);
      expect(got.stats).toMatchObject({ lines: 3001, badLines: 1, skippedRecords: 60 });
      expect(got.stats.messages.length).toBeGreaterThan(0);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('rejects with the file error when the input cannot be read', async () => {
    await expect(runDetectionOnFile('/nonexistent/meshward-in.jsonl', { engine: fakeEngine().factory })).rejects.toMatchObject({ code: 'ENOENT' });
  });
});

describe('cliOutput', () => {
  it('names token, user and ip actors only, in ISO time, by start', () => {
    const base = { kind: 'dos' as const, score: 88, emittedWatermark: 0, emittedAt: 0, actorSince: new Map() };
    const out = cliOutput([
      { ...base, id: 'b', actors: [{ type: 'ip_group', id: '1.2.3.0/24' }, { type: 'ip', id: '1.2.3.4' }, { type: 'service', id: 'shop/api' }], start: T0 + MIN, end: T0 + 2 * MIN },
      { ...base, id: 'a', kind: 'token_misuse', actors: [{ type: 'token', id: 't1' }, { type: 'user', id: 'alice' }], start: T0, end: T0 + 3 * MIN, score: 61.5 },
    ]);
    expect(out).toEqual({
      detections: [
        { kind: 'token_misuse', actors: [{ type: 'token', id: 't1' }, { type: 'user', id: 'alice' }], start: '2025-03-01T12:00:00.000Z', end: '2025-03-01T12:03:00.000Z', score: 61.5 },
        { kind: 'dos', actors: [{ type: 'ip', id: '1.2.3.4' }], start: '2025-03-01T12:01:00.000Z', end: '2025-03-01T12:02:00.000Z', score: 88 },
      ],
    });
    expect(Object.keys(JSON.parse(JSON.stringify(out)).detections[0])).toEqual(['kind', 'actors', 'start', 'end', 'score']);
  });
});
