// Engine events packed in columns to cross from the decoding thread (decode-worker.ts) to the
// engine's: numbers in one Float64Array, the strings that repeat (services, methods, endpoints,
// addresses, user agents, tokens, users) as ids into a table both sides keep, so each is sent and
// held once. Sent as plain objects, every event's strings arrived as copies of their own (the
// structured clone shares nothing), and the engine, which keeps many of them, held a third more.
import type { SensitiveMatch } from '@/db/schema/access-events';
import type { EngineEvent } from './types';

/** the table starts over past this many strings (an attacker's endless distinct user agents) */
export const MAX_TABLE = 200_000;

const NUMS = 5; // ts, status, durationMs, bytesIn, bytesOut (NaN: null)
const REFS = 8; // srcService, dstService, method, clientIp, userAgent, tokenId, userId, endpoint (-1: null)
const RAWS = 3; // requestId, path, query: nearly every one distinct, sent as they are

export interface PackedLines {
  /** the table was cleared before this batch's strings were added */
  reset: boolean;
  /** strings new to the table, in id order */
  strings: string[];
  /** events of each line (in order); lines without events count 0 */
  lineEvents: number[];
  nums: Float64Array;
  refs: Int32Array;
  raws: (string | null)[];
  /** the events whose sensitive matches are not null: index, then the matches */
  sensitive: [number, SensitiveMatch[]][];
}

const orNaN = (v: number | null) => (v === null ? Number.NaN : v);
const orNull = (v: number) => (Number.isNaN(v) ? null : v);

/** The decoding thread's side: lines of events into a batch. */
export class ColumnPacker {
  private readonly ids = new Map<string, number>();
  private reset = false;
  private strings: string[] = [];
  private lineEvents: number[] = [];
  private nums: number[] = [];
  private refs: number[] = [];
  private raws: (string | null)[] = [];
  private sensitive: [number, SensitiveMatch[]][] = [];
  private events = 0;

  get eventCount(): number {
    return this.events;
  }

  get lineCount(): number {
    return this.lineEvents.length;
  }

  private id(s: string | null): number {
    if (s === null) return -1;
    let id = this.ids.get(s);
    if (id === undefined) {
      id = this.ids.size;
      this.ids.set(s, id);
      this.strings.push(s);
    }
    return id;
  }

  add(events: readonly EngineEvent[]): void {
    // the table starts over only between batches, so a batch's ids all refer to one table
    if (this.lineEvents.length === 0 && this.ids.size >= MAX_TABLE) {
      this.ids.clear();
      this.reset = true;
    }
    for (const e of events) {
      if (e.sensitive !== null) this.sensitive.push([this.events, e.sensitive]);
      this.nums.push(e.ts, e.status, orNaN(e.durationMs), orNaN(e.bytesIn), orNaN(e.bytesOut));
      this.refs.push(this.id(e.srcService), this.id(e.dstService), this.id(e.method), this.id(e.clientIp), this.id(e.userAgent), this.id(e.tokenId), this.id(e.userId), this.id(e.endpoint));
      this.raws.push(e.requestId, e.path, e.query);
      this.events++;
    }
    this.lineEvents.push(events.length);
  }

  /** The batch so far (its arrays are the receiver's to keep), and a fresh one begun. */
  take(): PackedLines {
    const out: PackedLines = {
      reset: this.reset, strings: this.strings, lineEvents: this.lineEvents, nums: Float64Array.from(this.nums),
      refs: Int32Array.from(this.refs), raws: this.raws, sensitive: this.sensitive,
    };
    this.reset = false;
    this.strings = [];
    this.lineEvents = [];
    this.nums = [];
    this.refs = [];
    this.raws = [];
    this.sensitive = [];
    this.events = 0;
    return out;
  }
}

/** The engine thread's side: batches back into events, each line's in an array. */
export class ColumnUnpacker {
  private table: string[] = [];

  unpack(p: PackedLines): EngineEvent[][] {
    if (p.reset) this.table = [];
    for (const s of p.strings) this.table.push(s);
    const t = this.table;
    const str = (id: number) => (id < 0 ? null : t[id]);
    const sensitive = new Map(p.sensitive);
    const lines: EngineEvent[][] = [];
    let k = 0;
    for (const n of p.lineEvents) {
      const events: EngineEvent[] = new Array(n);
      for (let j = 0; j < n; j++, k++) {
        const a = k * NUMS;
        const r = k * REFS;
        const w = k * RAWS;
        // the fields in toEngineEvent's order: the engine sees one shape of event, as before
        events[j] = {
          ts: p.nums[a], requestId: p.raws[w]!, srcService: t[p.refs[r]], dstService: t[p.refs[r + 1]], method: t[p.refs[r + 2]], path: p.raws[w + 1]!,
          query: p.raws[w + 2], status: p.nums[a + 1], durationMs: orNull(p.nums[a + 2]), bytesIn: orNull(p.nums[a + 3]), bytesOut: orNull(p.nums[a + 4]),
          clientIp: str(p.refs[r + 3]), userAgent: str(p.refs[r + 4]), tokenId: str(p.refs[r + 5]), userId: str(p.refs[r + 6]),
          sensitive: sensitive.get(k) ?? null, endpoint: t[p.refs[r + 7]],
        };
      }
      lines.push(events);
    }
    return lines;
  }
}
