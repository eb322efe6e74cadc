import { describe, expect, it } from 'vitest';
import { CloseQueue } from './close-queue';
import { ReorderBuffer } from './reorder';
import { lcg } from './test-support';

describe('reorder buffer', () => {
  it('hands out, oldest first, exactly what the watermark passed, however the events arrived', () => {
    const b = new ReorderBuffer<{ ts: number }>();
    const rand = lcg(5);
    const times = Array.from({ length: 2000 }, () => Math.floor(rand() * 600_000));
    for (const ts of times) b.push({ ts });
    const out: number[] = [];
    b.release(300_000, (x) => out.push(x.ts));
    expect(out).toEqual(times.filter((t) => t <= 300_000).sort((x, y) => x - y));
    expect(b.size).toBe(times.filter((t) => t > 300_000).length);
    b.push({ ts: 300_500 });
    b.release(Number.POSITIVE_INFINITY, (x) => out.push(x.ts));
    expect(out).toEqual([...times, 300_500].sort((x, y) => x - y));
    expect(b.size).toBe(0);
  });
});

describe('close queue', () => {
  it('hands out an item once the minute it would close in has passed, and once only', () => {
    const q = new CloseQueue<{ closeAt: number; name: string }>();
    const a = { closeAt: -1, name: 'a' };
    const b = { closeAt: -1, name: 'b' };
    q.schedule(a, 90_000);
    q.schedule(b, 200_000);
    q.schedule(a, 250_000); // already waiting earlier: it is looked at then, and put back by the caller if need be
    const seen: string[] = [];
    q.due(119_999, (x) => seen.push(x.name));
    expect(seen).toEqual([]);
    q.due(120_000, (x) => seen.push(x.name));
    expect(seen).toEqual(['a']);
    q.due(Number.POSITIVE_INFINITY, (x) => seen.push(x.name));
    expect(seen).toEqual(['a', 'b']);
  });
});
