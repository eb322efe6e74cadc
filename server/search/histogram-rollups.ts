// Which part of a search histogram the minute rollups answer, and the statement that reads them.
import { sql, type SQL } from 'drizzle-orm';
import { edgeMinute, MINUTE_ROLLUP_DAYS, serviceMinute } from '@/db/schema/rollups';
import type { Node, Query } from './query';
import { literalText } from './query/like';
import { DEFAULT_RETENTION_DAYS } from './scope';

const MIN = 60_000;
const DAY = 86_400_000;

/**
 * The status bands the rollups count apart: `errors` is status >= 500, `client_errors` 400 to
 * 499, and the rest of `requests` is below 400 (status is never NULL).
 */
export type StatusBand = 'lt400' | '4xx' | 'ge500';
const BANDS: readonly { band: StatusBand; lo: number; hi: number }[] = [
  { band: 'lt400', lo: -Infinity, hi: 399 },
  { band: '4xx', lo: 400, hi: 499 },
  { band: 'ge500', lo: 500, hi: Infinity },
];

/**
 * How a histogram is counted: the whole minutes [from, to) (ms since epoch) from
 * service_minute, or edge_minute when the caller is constrained, counting the events of
 * `bands`; plus the events of each `events` range (sign 1: parts of the histogram's range
 * outside those minutes), or minus them (sign -1: parts of those minutes outside its range).
 */
export interface RollupPlan {
  table: 'service_minute' | 'edge_minute';
  service: string | null;
  caller: string | null;
  bands: StatusBand[];
  from: number;
  to: number;
  events: { from: number; to: number; sign: 1 | -1 }[];
}

export interface RollupPlanOptions {
  now: Date;
  /** how long events (and hour rollups) are kept */
  retentionDays?: number;
}

/**
 * How to count a histogram of `query` over [from, to) at `intervalMs` with the minute
 * rollups exactly, or null when they cannot (then every event is counted). They can when:
 * - the query constrains only what service_minute / edge_minute carry: `service` and `caller`
 *   equality (no wildcards), ANDed with status comparisons whose intersection is a union of
 *   the bands they count (status>=500, status:4xx, status>=400, status<500, status<400);
 * - the interval is a whole number of minutes (then every minute lies in one bucket);
 * - the minutes are surely still there. Minute rows older than MINUTE_ROLLUP_DAYS are moved
 *   into hour rows by the retention job (server/rollups/prune.ts), and everything older than the
 *   retention period is deleted, while events go by whole day partitions: so only minutes from a
 *   day inside both limits are read (older ones are counted from events, as before).
 * A minute cut by `from` or `to` is counted from its events inside the range, or as its rollup
 * row minus its events outside the range, whichever side holds less of the past (`to` = now: the
 * events after now, next to none). Exact because one statement reads both, and the ingest
 * statement writes the minute rows with the events (server/ingest/insert.ts): they never lag
 * behind the events, so the newest minutes are read from them too.
 */
export function rollupPlan(query: Query, from: Date, to: Date, intervalMs: number, opts: RollupPlanOptions): RollupPlan | null {
  if (intervalMs < MIN || intervalMs % MIN !== 0) return null;
  const filter = rollupFilter(query);
  if (!filter) return null;
  const now = opts.now.getTime();
  const f = from.getTime();
  const t = to.getTime();
  const kept = Math.max(now - (MINUTE_ROLLUP_DAYS - 1) * DAY, now - ((opts.retentionDays ?? DEFAULT_RETENTION_DAYS) - 1) * DAY);
  // the length of [a, b) before now: where events are
  const past = (a: number, b: number) => Math.max(0, Math.min(b, now) - a);
  const events: RollupPlan['events'] = [];
  let start: number;
  if (kept > f) {
    start = Math.ceil(kept / MIN) * MIN;
    events.push({ from: f, to: start, sign: 1 });
  } else {
    const down = Math.floor(f / MIN) * MIN;
    const up = Math.ceil(f / MIN) * MIN;
    if (down === f) start = f;
    else if (down >= kept && past(down, f) < past(f, up)) start = down;
    else start = up;
    if (start < f) events.push({ from: start, to: f, sign: -1 });
    if (start > f) events.push({ from: f, to: start, sign: 1 });
  }
  const down = Math.floor(t / MIN) * MIN;
  const up = Math.ceil(t / MIN) * MIN;
  const end = down === t || past(t, up) >= past(down, t) ? down : up;
  if (start >= end) return null;
  if (end < t) events.push({ from: end, to: t, sign: 1 });
  if (end > t) events.push({ from: t, to: end, sign: -1 });
  return { ...filter, from: start, to: end, events };
}

type Filter = Pick<RollupPlan, 'table' | 'service' | 'caller' | 'bands'>;

/** The rollup table and constraints that select exactly the query's events, or null. */
export function rollupFilter(query: Query): Filter | null {
  const terms: Node[] = [];
  const flatten = (n: Node): boolean => {
    if (n.kind === 'and') return n.children.every(flatten);
    if (n.kind === 'or' && n.children.length === 1) return flatten(n.children[0]);
    terms.push(n);
    return true;
  };
  if (query.root && !flatten(query.root)) return null;
  let service: string | null = null;
  let caller: string | null = null;
  let lo = -Infinity;
  let hi = Infinity;
  for (const t of terms) {
    if (t.kind === 'match' && (t.field === 'service' || t.field === 'caller') && !t.pattern.wild) {
      const value = literalText(t.pattern);
      const had: string | null = t.field === 'service' ? service : caller;
      if (had !== null && had !== value) return null;
      if (t.field === 'service') service = value;
      else caller = value;
    } else if (t.kind === 'numeric' && t.field === 'status') {
      // statuses are integers: bounds as inclusive integers
      if (t.lo) lo = Math.max(lo, t.lo.inclusive ? Math.ceil(t.lo.value) : Math.floor(t.lo.value) + 1);
      if (t.hi) hi = Math.min(hi, t.hi.inclusive ? Math.floor(t.hi.value) : Math.ceil(t.hi.value) - 1);
    } else {
      return null;
    }
  }
  const first = BANDS.findIndex((b) => b.lo === lo);
  const last = BANDS.findIndex((b) => b.hi === hi);
  if (first < 0 || last < first) return null;
  return {
    table: caller === null ? 'service_minute' : 'edge_minute',
    service,
    caller,
    bands: BANDS.slice(first, last + 1).map((b) => b.band),
  };
}

/**
 * The plan's minutes counted per bucket of `bin` (an expression of a timestamp): rows
 * `(t, count, errors)` as the raw histogram statement gives them.
 */
export function rollupCountsSql(plan: RollupPlan, bin: (ts: SQL) => SQL): SQL {
  const edge = plan.table === 'edge_minute';
  const t = edge ? edgeMinute : serviceMinute;
  const where = [sql`${t.bucket} >= ${new Date(plan.from).toISOString()}::timestamptz`, sql`${t.bucket} < ${new Date(plan.to).toISOString()}::timestamptz`];
  if (plan.service !== null) where.push(sql`${edge ? edgeMinute.dstService : serviceMinute.service} = ${plan.service}::text`);
  if (plan.caller !== null) where.push(sql`${edgeMinute.srcService} = ${plan.caller}::text`);
  const parts: SQL[] = [];
  if (plan.bands.includes('lt400')) parts.push(sql`${t.requests} - ${t.clientErrors} - ${t.errors}`);
  if (plan.bands.includes('4xx')) parts.push(sql`${t.clientErrors}`);
  if (plan.bands.includes('ge500')) parts.push(sql`${t.errors}`);
  const errors = plan.bands.includes('ge500') ? sql`sum(${t.errors})` : sql`0`;
  // summed per minute first: binning each row (date_bin, epoch) cost 4× the rest of the read
  return sql`select ${bin(sql`m.minute`)} as t, sum(m.count) as count, sum(m.errors) as errors from (
      select ${t.bucket} as minute, sum(${sql.join(parts, sql` + `)}) as count, ${errors} as errors
      from ${t} where ${sql.join(where, sql` and `)} group by 1
    ) m group by 1`;
}
