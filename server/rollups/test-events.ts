import { sql } from 'drizzle-orm';
import { rows, type Db } from '@/db/client';
import type { AccessEventInput } from '@/server/ingest/event';
import { insertEvents, type InsertJob } from '@/server/ingest/insert';
import { PartitionManager } from '@/server/maintenance/partitions';
import { LATENCY_BUCKETS } from './latency-histogram';
import { latencyBucketSql, MAX_MATCH_COUNT } from './ingest-sql';
import { ROLLUPS, rollupColumns, type RollupSpec } from './specs';

/** Test support for the rollup tests: events, ingest, and the raw-event aggregates to compare with. */

export const principal = { tokenId: 'pt_test', tokenName: 'test' };

export function event(ts: number, requestId: string, over: Partial<AccessEventInput> = {}): AccessEventInput {
  return {
    ts, proxyId: 'proxy-a', requestId, source: 'otlp', cluster: 'eu-1', namespace: 'shop',
    srcService: 'shop/web', dstService: 'shop/users', method: 'GET', path: '/api/users/1', route: '/api/users/{id}', query: null,
    status: 200, responseFlags: null, durationMs: 12.5, bytesIn: 10, bytesOut: 512, clientIp: '10.1.2.3',
    serverAddress: 'users.shop', userAgent: 'curl/8', protocol: 'HTTP/1.1', tokenId: 'tok-1', userId: null, mtls: true,
    sensitive: null, sample: null, ...over,
  };
}

/** Stores the jobs as the writer would: the days' partitions first, then one statement. */
export async function ingest(db: Db, jobs: InsertJob[], now: number): Promise<number> {
  // a fresh manager each time: another test file in this worker may have dropped partitions
  // (retention) that a kept manager would still believe exist
  await new PartitionManager(db).ensureFor(jobs.flatMap((j) => j.events.map((e) => e.ts)));
  return insertEvents(db, jobs, new Date(now));
}

const ORIGIN = `timestamptz '2000-01-01 00:00:00+00'`;
const HIST = `array[${Array.from({ length: LATENCY_BUCKETS }, (_, i) => `count(*) filter (where ${latencyBucketSql('duration_ms')} = ${i})`).join(', ')}]::int[]`;
const COUNTS = `count(*)::int, count(*) filter (where status >= 500)::int, count(*) filter (where status between 400 and 499)::int`;
const EVENT_KEY = '(e.ts, e.proxy_id, e.request_id)';
const MATCHES = `sum(least((x->>'count')::bigint, ${MAX_MATCH_COUNT}))::int, count(distinct ${EVENT_KEY})::int`;
const SENSITIVE = `access_events e cross join lateral jsonb_array_elements(coalesce(e.sensitive, '[]')) x`;

/**
 * Each rollup written out as a plain GROUP BY over access_events (columns in table order),
 * independent of the statements in specs.ts: what the incremental rollups must equal.
 */
const RAW: Record<string, (bucket: string) => string> = {
  edge: (b) => `select ${b}, src_service, dst_service, ${COUNTS}, count(*) filter (where mtls)::int,
    coalesce(sum(bytes_in), 0)::bigint, coalesce(sum(bytes_out), 0)::bigint, ${HIST}, coalesce(sum(duration_ms), 0)::float8
    from access_events group by 1, 2, 3`,
  service: (b) => `select ${b}, dst_service, ${COUNTS},
    coalesce(sum(bytes_in), 0)::bigint, coalesce(sum(bytes_out), 0)::bigint, ${HIST}, coalesce(sum(duration_ms), 0)::float8
    from access_events group by 1, 2`,
  edge_route: (b) => `select ${b}, src_service, dst_service, method, route, ${COUNTS}, coalesce(sum(bytes_out), 0)::bigint
    from access_events group by 1, 2, 3, 4, 5`,
  token: (b) => `select ${b}, token_id, src_service, dst_service, method, route, ${COUNTS}, coalesce(sum(bytes_out), 0)::bigint
    from access_events where token_id is not null group by 1, 2, 3, 4, 5, 6`,
  token_edge: (b) => `select ${b}, dst_service, src_service, token_id, count(*)::int, count(*) filter (where status >= 500)::int
    from access_events where token_id is not null group by 1, 2, 3, 4`,
  sensitive_edge: (b) => `select ${b}, e.src_service, e.dst_service, x->>'class', x->>'direction', ${MATCHES}
    from ${SENSITIVE} group by 1, 2, 3, 4, 5`,
  sensitive_token: (b) => `select ${b}, e.token_id, x->>'class', x->>'direction', ${MATCHES}
    from ${SENSITIVE} where e.token_id is not null group by 1, 2, 3, 4`,
};

export interface Mismatch {
  table: string;
  onlyInRollup: unknown[];
  onlyInRaw: unknown[];
}

/**
 * Compares a rollup table with its raw aggregate, row for row (buckets at or after
 * `minutesFrom` for minute tables, when given). Returns the differences (a few of each side).
 */
export async function compareWithRaw(db: Db, spec: RollupSpec, resolution: 'minute' | 'hour', from?: Date): Promise<Mismatch | null> {
  const table = resolution === 'minute' ? spec.minute : spec.hour;
  const bucket = `date_bin('1 ${resolution}', ${spec.source === 'sensitive' ? 'e.ts' : 'ts'}, ${ORIGIN})`;
  const since = from ? `where bucket >= '${from.toISOString()}'` : '';
  const stored = `select ${rollupColumns(spec).join(', ')} from ${table} ${since}`;
  const raw = `select * from (${RAW[spec.name](`${bucket} as bucket`)}) r ${since}`;
  const diff = async (a: string, b: string) =>
    (await rows<{ r: unknown }>(db, sql.raw(`select row_to_json(d)::text as r from ((${a}) except all (${b})) d limit 5`))).map((x) => x.r);
  const onlyInRollup = await diff(stored, raw);
  const onlyInRaw = await diff(raw, stored);
  return onlyInRollup.length || onlyInRaw.length ? { table, onlyInRollup, onlyInRaw } : null;
}

/** Every mismatch of every minute and hour rollup table with the raw events. */
export async function allMismatches(db: Db, minutesFrom?: Date): Promise<Mismatch[]> {
  const out: Mismatch[] = [];
  for (const spec of ROLLUPS) {
    // a derived family's minutes are its base's rows, compared as those
    for (const res of spec.derivedFrom ? (['hour'] as const) : (['minute', 'hour'] as const)) {
      const m = await compareWithRaw(db, spec, res, res === 'minute' ? minutesFrom : undefined);
      if (m) out.push(m);
    }
  }
  return out;
}

export async function countRows(db: Db, table: string, where = 'true'): Promise<number> {
  const [{ n }] = await rows<{ n: number }>(db, sql.raw(`select count(*)::int as n from ${table} where ${where}`));
  return n;
}
