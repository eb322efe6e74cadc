// Minute rollup rows computed in JS from simulator records, for bench:views: 43 M events
// would take hours through the ingest statement, their rollups take minutes.
import { MAX_MATCH_COUNT } from '@/server/rollups/ingest-sql';
import { LATENCY_BUCKETS, latencyBucket } from '@/server/rollups/latency-histogram';
import { coarseRoute } from '@/server/rollups/route';
import { MINUTE_ROLLUPS, type RollupSpec } from '@/server/rollups/specs';
import type { SimRecord } from '@/simulator/record';
import type { WireFormat } from '@/simulator/topology';

/** A row the rollup CTEs of server/rollups/ingest-sql.ts read: a column of `ins` or of `sensitive_rows`. */
type Source = Record<string, string | number | boolean | null>;

/**
 * The SQL aggregates of server/rollups/specs.ts mirrored in JS, keyed by the aggregate text
 * they mirror: a spec whose definition changes no longer matches and stops the benchmark
 * instead of filling the tables with something the ingest statement would not write. Each
 * source row's contributions are computed once (`contributions`), families add them up.
 */
const MIRRORED = [
  ['count(*)', () => 1],
  ['count(*) filter (where status >= 500)', (s) => ((s.status as number) >= 500 ? 1 : 0)],
  ['count(*) filter (where status between 400 and 499)', (s) => ((s.status as number) >= 400 && (s.status as number) <= 499 ? 1 : 0)],
  ['count(*) filter (where mtls)', (s) => (s.mtls === true ? 1 : 0)],
  ['coalesce(sum(bytes_in), 0)', (s) => s.bytes_in as number],
  ['coalesce(sum(bytes_out), 0)', (s) => s.bytes_out as number],
  ['coalesce(sum(duration_ms), 0)', (s) => s.duration_ms as number],
  ['coalesce(sum(matches), 0)', (s) => (s.matches as number) ?? 0],
] as const satisfies readonly (readonly [string, (s: Source) => number])[];
const MIRRORED_WHERE = 'token_id is not null';

/** Each mirrored aggregate's contribution of one source row, into a reused array. */
const contribution = new Array<number>(MIRRORED.length).fill(0);
function contributions(s: Source): number[] {
  for (let i = 0; i < MIRRORED.length; i++) contribution[i] = MIRRORED[i][1](s);
  return contribution;
}

interface Row {
  values: number[];
  latency: number[] | null;
}
/** Rows by key column, one map level per column: lookups hash the (shared) strings, not a joined key. */
type Level = Map<string, Level | Row>;

/** One rollup family's rows of the current minute. */
class Family {
  readonly keyFrom: string[];
  readonly keyColumns: string[];
  /** per measure: its column and its index in `contributions` */
  readonly measures: { column: string; at: number }[];
  readonly histogram: boolean;
  readonly tokenOnly: boolean;
  private rows: Level = new Map();

  constructor(readonly spec: RollupSpec) {
    this.keyFrom = spec.keys.map(([, from]) => from);
    this.keyColumns = spec.keys.map(([column]) => column);
    if (spec.where !== undefined && spec.where !== MIRRORED_WHERE) throw new Error(`bench:views does not mirror ${spec.name}'s where: ${spec.where}`);
    this.tokenOnly = spec.where === MIRRORED_WHERE;
    const plain = spec.measures.filter((m) => m.merge !== 'histogram');
    this.histogram = plain.length < spec.measures.length;
    this.measures = plain.map((m) => {
      const at = MIRRORED.findIndex(([aggregate]) => aggregate === m.aggregate);
      if (at < 0) throw new Error(`bench:views does not mirror ${spec.name}.${m.column} = ${m.aggregate}`);
      return { column: m.column, at };
    });
  }

  add(s: Source, c: number[]): void {
    if (this.tokenOnly && s.token_id === null) return;
    let level = this.rows;
    const last = this.keyFrom.length - 1;
    for (let i = 0; i < last; i++) {
      const k = s[this.keyFrom[i]] as string;
      let next = level.get(k) as Level | undefined;
      if (!next) level.set(k, (next = new Map()));
      level = next;
    }
    const k = s[this.keyFrom[last]] as string;
    let row = level.get(k) as Row | undefined;
    if (!row) {
      row = { values: new Array<number>(this.measures.length).fill(0), latency: this.histogram ? new Array<number>(LATENCY_BUCKETS).fill(0) : null };
      level.set(k, row);
    }
    for (let i = 0; i < this.measures.length; i++) row.values[i] += c[this.measures[i].at];
    // `lb` is NULL without a duration: such events are in no bucket (specs.ts LATENCY)
    if (row.latency && s.lb !== null) row.latency[s.lb as number] += 1;
  }

  /** The minute's rows as JSON objects (`m` = minute within the hour), then forgets them. */
  drain(minute: number, out: string[]): void {
    const keys: string[] = [];
    const walk = (level: Level) => {
      for (const [k, next] of level) {
        keys.push(k);
        if (keys.length < this.keyColumns.length) walk(next as Level);
        else {
          const row = next as Row;
          const o: Record<string, unknown> = { m: minute };
          keys.forEach((v, i) => (o[this.keyColumns[i]] = v));
          this.measures.forEach((m, i) => (o[m.column] = row.values[i]));
          if (row.latency) o.latency = row.latency;
          out.push(JSON.stringify(o));
        }
        keys.pop();
      }
    };
    walk(this.rows);
    this.rows = new Map();
  }
}

/**
 * The `ins` row the console would store for a record sent in `format`: Envoy's access log
 * carries whole milliseconds and tells mTLS by the peer's SAN (server/ingest/envoy.ts).
 */
function eventSource(r: SimRecord, format: WireFormat): Source {
  const duration = format === 'envoy' ? Math.round(r.durationMs) : r.durationMs;
  return {
    src_service: r.srcService, dst_service: r.dstService, method: r.method, route: coarseRoute(r.path),
    token_id: r.tokenId, status: r.status, mtls: format === 'envoy' ? r.srcService !== 'external' : r.mtls,
    bytes_in: r.bytesIn, bytes_out: r.bytesOut, duration_ms: duration, lb: latencyBucket(duration),
  };
}

/** `sensitive_rows` of one event: per class and direction, the capped counts summed. */
function sensitiveSources(e: Source, r: SimRecord): Source[] {
  const out: Source[] = [];
  for (const m of r.sensitive ?? []) {
    const same = out.find((o) => o.data_class === m.class && o.direction === m.direction);
    const matches = Math.min(m.count, MAX_MATCH_COUNT);
    if (same) (same.matches as number) += matches;
    else out.push({ src_service: e.src_service, dst_service: e.dst_service, token_id: e.token_id, data_class: m.class, direction: m.direction, matches });
  }
  return out;
}

/** The minute rows of every family of specs.ts, one minute at a time. */
export class MinuteRollups {
  readonly families = MINUTE_ROLLUPS.map((spec) => new Family(spec));
  private readonly events = this.families.filter((f) => f.spec.source === 'events');
  private readonly sensitive = this.families.filter((f) => f.spec.source === 'sensitive');

  add(r: SimRecord, format: WireFormat): void {
    const e = eventSource(r, format);
    const c = contributions(e);
    for (const f of this.events) f.add(e, c);
    if (r.sensitive) {
      for (const s of sensitiveSources(e, r)) {
        const cs = contributions(s);
        for (const f of this.sensitive) f.add(s, cs);
      }
    }
  }

  /** Appends the minute's rows of each family to `out[family.spec.minute]`. */
  drain(minute: number, out: Record<string, string[]>): void {
    for (const f of this.families) f.drain(minute, (out[f.spec.minute] ??= []));
  }
}
