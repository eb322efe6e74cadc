import { describe, expect, it } from 'vitest';
import { ColumnPacker, ColumnUnpacker, MAX_TABLE } from './event-columns';
import type { EngineEvent } from './types';

const event = (i: number, over: Partial<EngineEvent> = {}): EngineEvent => ({
  ts: 1_740_000_000_000 + i * 1.5, requestId: `r-${i}`, srcService: 'external', dstService: `shop/api-${i % 3}`, method: i % 2 ? 'GET' : 'POST',
  path: `/api/orders/${i}`, query: i % 4 === 0 ? null : `page=${i}`, status: 200 + (i % 5), durationMs: i % 3 === 0 ? null : i / 7,
  bytesIn: i % 5 === 0 ? null : i * 10, bytesOut: i % 6 === 0 ? null : 2 ** 40 + i, clientIp: i % 7 === 0 ? null : `203.0.113.${i % 9}`,
  userAgent: i % 8 === 0 ? null : 'okhttp/4.12', tokenId: i % 2 ? `tok-${i % 4}` : null, userId: i % 3 ? `u${i % 5}` : null,
  sensitive: i % 10 === 0 ? [{ class: 'credit_card', direction: 'response', count: 2, path: '$.pan' }] : i % 10 === 1 ? [] : null,
  endpoint: `GET /api/orders/{id}`,
  ...over,
});

function roundTrip(lines: EngineEvent[][], packer = new ColumnPacker(), unpacker = new ColumnUnpacker()): EngineEvent[][] {
  for (const l of lines) packer.add(l);
  // through a structured clone, as postMessage sends it
  return unpacker.unpack(structuredClone(packer.take()));
}

describe('engine events in columns', () => {
  it('come back equal, line by line, nulls, empty lines and sensitive matches included', () => {
    const lines = [[event(0), event(1)], [], [event(2)], Array.from({ length: 40 }, (_, i) => event(3 + i)), [event(99, { srcService: 'a"b\n', path: '' })]];
    const back = roundTrip(lines);
    expect(back).toEqual(lines);
    expect(back[0][1].sensitive).toEqual([]);
    expect(back[0][0].durationMs).toBeNull();
    expect(Object.keys(back[2][0])).toEqual(Object.keys(event(2)));
  });

  it('sends a repeated string once, and each batch only what the other side lacks', () => {
    const packer = new ColumnPacker();
    const unpacker = new ColumnUnpacker();
    const first = [[event(1), event(1, { requestId: 'other' })]];
    packer.add(first[0]);
    const a = packer.take();
    expect(a.strings.filter((s) => s === 'external')).toHaveLength(1);
    expect(unpacker.unpack(a)).toEqual(first);
    packer.add([event(1)]);
    const b = packer.take();
    expect(b.strings).toEqual([]);
    expect(unpacker.unpack(b)).toEqual([[event(1)]]);
  });

  it('starts the table over between batches once it is full, on both sides', () => {
    const packer = new ColumnPacker();
    const unpacker = new ColumnUnpacker();
    const many = Array.from({ length: MAX_TABLE }, (_, i) => event(i, { userAgent: `ua-${i}` }));
    expect(roundTrip([many], packer, unpacker)).toEqual([many]);
    packer.add([event(7)]);
    const next = packer.take();
    expect(next.reset).toBe(true);
    expect(unpacker.unpack(next)).toEqual([[event(7)]]);
  });
});
