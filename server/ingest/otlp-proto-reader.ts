import protobuf from 'protobufjs';
import { MalformedBatchError } from './event';

type Obj = Record<string, unknown>;
type Reader = protobuf.Reader;

// Wire types
const VARINT = 0;
const I64 = 1;
const LEN = 2;
const I32 = 5;

const MAX_DEPTH = 32;
const TWO_32 = BigInt(4294967296);

/**
 * A direct decoder for ExportLogsServiceRequest into the OTLP/JSON shape that the walker in
 * otlp.ts reads — only the parts it reads. Generic decoding (decode + toObject) cost about
 * 25 µs per log record; this skips unknown fields and the values of attributes nobody reads.
 * `keep(key)` says which attribute values to decode.
 */
export function readOtlpLogsRequest(buf: Uint8Array, keep: (key: string) => boolean): Obj {
  const r = protobuf.Reader.create(buf);
  const resourceLogs: Obj[] = [];
  while (r.pos < r.len) {
    const tag = r.uint32();
    if (tag >>> 3 === 1 && (tag & 7) === LEN) resourceLogs.push(sub(r, (end) => readResourceLogs(r, end, keep)));
    else skip(r, tag);
  }
  return { resourceLogs };
}

/** Runs `read` over a length-delimited submessage and checks it ends where it said it would. */
function sub<T>(r: Reader, read: (end: number) => T): T {
  const len = r.uint32();
  const end = r.pos + len;
  if (end > r.len) throw new RangeError(`field length ${len} runs past the end of the body`);
  const value = read(end);
  if (r.pos !== end) throw new RangeError('a submessage overran its length');
  return value;
}

function skip(r: Reader, tag: number) {
  const wire = tag & 7;
  if (wire === 3 || wire === 4) throw new RangeError(`unsupported wire type ${wire}`);
  r.skipType(wire);
}

function readResourceLogs(r: Reader, end: number, keep: (k: string) => boolean): Obj {
  const out: Obj = { scopeLogs: [] as Obj[] };
  while (r.pos < end) {
    const tag = r.uint32();
    const field = tag >>> 3;
    if (field === 1 && (tag & 7) === LEN) out.resource = sub(r, (e) => ({ attributes: readAttributes(r, e, 1, keep) }));
    else if (field === 2 && (tag & 7) === LEN) (out.scopeLogs as Obj[]).push(sub(r, (e) => readScopeLogs(r, e, keep)));
    else skip(r, tag);
  }
  return out;
}

function readScopeLogs(r: Reader, end: number, keep: (k: string) => boolean): Obj {
  const logRecords: Obj[] = [];
  while (r.pos < end) {
    const tag = r.uint32();
    if (tag >>> 3 === 2 && (tag & 7) === LEN) logRecords.push(sub(r, (e) => readLogRecord(r, e, keep)));
    else skip(r, tag);
  }
  return { logRecords };
}

function readLogRecord(r: Reader, end: number, keep: (k: string) => boolean): Obj {
  const out: Obj = { attributes: [] as Obj[] };
  while (r.pos < end) {
    const tag = r.uint32();
    const field = tag >>> 3;
    const wire = tag & 7;
    if (field === 1 && wire === I64) out.timeUnixNano = fixed64(r);
    else if (field === 11 && wire === I64) out.observedTimeUnixNano = fixed64(r);
    else if (field === 6 && wire === LEN) (out.attributes as Obj[]).push(sub(r, (e) => readKeyValue(r, e, 1, keep)));
    else if (field === 5 && wire === LEN) out.body = sub(r, (e) => bodyKind(r, e));
    else skip(r, tag);
  }
  return out;
}

/**
 * A record's body, only as far as otlp.ts looks at it: whether it is a string (a text access
 * log). Its text is never decoded; a string body reads as `{ stringValue: '' }`.
 */
function bodyKind(r: Reader, end: number): Obj {
  let out: Obj = {};
  while (r.pos < end) {
    const tag = r.uint32();
    out = tag >>> 3 === 1 && (tag & 7) === LEN ? { stringValue: '' } : {};
    skip(r, tag);
  }
  return out;
}

/** `repeated KeyValue` under field 1 of a message (Resource.attributes). */
function readAttributes(r: Reader, end: number, depth: number, keep: (k: string) => boolean): Obj[] {
  const list: Obj[] = [];
  while (r.pos < end) {
    const tag = r.uint32();
    if (tag >>> 3 === 1 && (tag & 7) === LEN) list.push(sub(r, (e) => readKeyValue(r, e, depth, keep)));
    else skip(r, tag);
  }
  return list;
}

function readKeyValue(r: Reader, end: number, depth: number, keep: (k: string) => boolean): Obj {
  let key = '';
  let value: Obj | undefined;
  let valueAt = -1;
  while (r.pos < end) {
    const tag = r.uint32();
    const field = tag >>> 3;
    if (field === 1 && (tag & 7) === LEN) key = r.string();
    else if (field === 2 && (tag & 7) === LEN) {
      // The key usually comes first, but proto allows any order: remember where the value is.
      if (key) value = keep(key) ? sub(r, (e) => readAnyValue(r, e, depth + 1)) : (r.skipType(LEN), undefined);
      else {
        valueAt = r.pos;
        r.skipType(LEN);
      }
    } else skip(r, tag);
  }
  if (valueAt >= 0 && key && keep(key)) {
    const resume = r.pos;
    r.pos = valueAt;
    value = sub(r, (e) => readAnyValue(r, e, depth + 1));
    r.pos = resume;
  }
  return value ? { key, value } : { key };
}

function readAnyValue(r: Reader, end: number, depth: number): Obj {
  if (depth > MAX_DEPTH) throw new RangeError('attribute values nested too deep');
  let out: Obj = {};
  while (r.pos < end) {
    const tag = r.uint32();
    const field = tag >>> 3;
    const wire = tag & 7;
    if (field === 1 && wire === LEN) out = { stringValue: r.string() };
    else if (field === 2 && wire === VARINT) out = { boolValue: r.bool() };
    else if (field === 3 && wire === VARINT) out = { intValue: int64(r) };
    else if (field === 4 && wire === I64) out = { doubleValue: r.double() };
    else if (field === 5 && wire === LEN) out = { arrayValue: { values: sub(r, (e) => readValues(r, e, depth)) } };
    else if (field === 6 && wire === LEN) out = { kvlistValue: { values: sub(r, (e) => readAttributes(r, e, depth + 1, () => true)) } };
    else skip(r, tag);
  }
  return out;
}

function readValues(r: Reader, end: number, depth: number): Obj[] {
  const values: Obj[] = [];
  while (r.pos < end) {
    const tag = r.uint32();
    if (tag >>> 3 === 1 && (tag & 7) === LEN) values.push(sub(r, (e) => readAnyValue(r, e, depth + 1)));
    else skip(r, tag);
  }
  return values;
}

/** Unsigned 64-bit nanoseconds as an exact decimal string. */
function fixed64(r: Reader): string {
  const lo = r.fixed32();
  const hi = r.fixed32();
  if (hi === 0) return String(lo);
  // Up to 2^53 the double is exact; beyond (nanosecond timestamps are ~2^60) use BigInt.
  return hi < 0x200000 ? String(hi * 4294967296 + lo) : (BigInt(hi) * TWO_32 + BigInt(lo)).toString();
}

/** int64 as a number when exact, else as a decimal string (as OTLP/JSON does). */
function int64(r: Reader): number | string {
  const v = r.int64() as unknown as { toNumber(): number; toString(): string; high: number };
  const n = v.toNumber();
  return Number.isSafeInteger(n) ? n : v.toString();
}

export function asMalformed(err: unknown): MalformedBatchError {
  const detail = err instanceof RangeError && /call stack/i.test(err.message) ? 'nesting too deep' : err instanceof Error ? err.message : 'undecodable input';
  return new MalformedBatchError(`body is not a valid OTLP ExportLogsServiceRequest protobuf: ${detail}`);
}
