// The representative searches bench:search times: through the real domain functions
// (searchEvents' first page of 100, searchHistogram, topValues), with values picked from the
// loaded events so that each selects what it would in a real investigation.
import { sql } from 'drizzle-orm';
import { rows, type Db } from '@/db/client';
import type { Ctx } from '@/server/context';
import { searchEvents } from '@/server/search/events';
import { searchHistogram } from '@/server/search/histogram';
import { searchScope } from '@/server/search/scope';
import { topValues, type ValueField } from '@/server/search/values';

const HOUR_MS = 3_600_000;
const DAY_MS = 24 * HOUR_MS;

export type Kind = 'events' | 'histogram' | 'values';

export interface BenchQuery {
  name: string;
  kind: Kind;
  /** `24h`: counted in the p50/p95 of the 24 h-bounded filtered searches */
  range: '24h' | '7d';
  q: string;
  field?: ValueField;
  prefix?: string;
  run(ctx: Ctx, now: Date): Promise<unknown>;
}

export interface Picks {
  address: string;
  address2: string;
  token: string;
  token2: string;
  user: string;
  pathPrefix: string;
}

/**
 * Values of middling frequency from the last loaded hour (cheap to find through the primary
 * key's time range): an address, tokens and a user with tens to hundreds of events a day, and
 * a concrete path cut to a prefix.
 */
export async function pickValues(db: Db, endMs: number): Promise<Picks> {
  const from = new Date(endMs - HOUR_MS).toISOString();
  const to = new Date(endMs).toISOString();
  const top = async (expr: string, where: string, offset: number) => {
    // the `offset`-th most frequent, or the least frequent when there are fewer (small loads)
    const found = await rows<{ v: string }>(db, sql.raw(`select ${expr} as v from access_events
      where ts >= '${from}' and ts < '${to}' and ${where} group by 1 order by count(*) desc, 1 limit ${offset + 1}`));
    const r = found.at(-1);
    if (!r) throw new Error(`no events in the last loaded hour for ${expr}: load again (without --reuse)`);
    return r.v;
  };
  const path = await top('path', `route like '%{id}%' and path like '/api/%'`, 30);
  return {
    address: await top('host(client_ip)', `client_ip <<= '10.2.0.0/16'`, 20),
    address2: await top('host(client_ip)', `client_ip <<= '185.220.0.0/16'`, 10),
    token: await top('token_id', 'token_id is not null', 200),
    token2: await top('token_id', 'token_id is not null', 1000),
    user: await top('user_id', 'user_id is not null', 300),
    // '/api/payments/refunds/12345/items' → '/api/payments/refunds/123*'
    pathPrefix: `${path.replace(/(\d+)\d{2}(\/.*)?$/, '$1')}*`,
  };
}

const range = (now: Date, r: '24h' | '7d') => ({ from: new Date(now.getTime() - (r === '24h' ? DAY_MS : 7 * DAY_MS)), to: now });

function events(name: string, r: '24h' | '7d', q: string): BenchQuery {
  return { name, kind: 'events', range: r, q, run: (ctx, now) => searchEvents(ctx, { q, ...range(now, r), limit: 100 }) };
}

function histogram(name: string, r: '24h' | '7d', q: string): BenchQuery {
  return { name, kind: 'histogram', range: r, q, run: (ctx, now) => searchHistogram(ctx, { q, ...range(now, r), buckets: 60 }) };
}

function values(name: string, r: '24h' | '7d', field: ValueField, prefix: string | undefined, q = ''): BenchQuery {
  return { name, kind: 'values', range: r, q, field, prefix, run: (ctx, now) => topValues(ctx, { q, ...range(now, r), field, prefix, limit: 10 }) };
}

export function benchQueries(p: Picks): BenchQuery[] {
  return [
    events('address equality', '24h', `client.address:${p.address}`),
    events('CIDR /16', '24h', 'client.address:10.2.0.0/16'),
    events('CIDR /24, 5xx', '24h', `client.address:${p.address2.replace(/\.\d+$/, '.0/24')} status>=500`),
    events('path wildcard', '24h', `path:${p.pathPrefix}`),
    events('status range + service', '24h', 'service:payments/cards status:[500 TO 599]'),
    events('token', '24h', `token:${p.token}`),
    events('free text', '24h', 'sqlmap'),
    events('OR of three fields', '24h', `token:${p.token2} OR user:${p.user} OR client.address:${p.address2}`),
    events('NOT', '24h', 'service:shop/orders NOT status:2xx NOT method:GET'),
    events('no filter (24 h)', '24h', ''),
    events('token (7 d)', '7d', `token:${p.token}`),
    events('status range + service (7 d)', '7d', 'service:payments/cards status:[500 TO 599]'),
    histogram('histogram, no filter (24 h)', '24h', ''),
    histogram('histogram, service 5xx (24 h)', '24h', 'service:payments/cards status>=500'),
    histogram('histogram, 5xx (7 d)', '7d', 'status>=500'),
    values('top values: token prefix (24 h)', '24h', 'token', 'tok_ab'),
    values('top values: service (24 h)', '24h', 'service', undefined),
  ];
}

/**
 * EXPLAIN (ANALYZE, BUFFERS) of a query's statement. For the result page this is the
 * statement of searchEvents (its select list shortened); the histogram and top values are
 * written as their functions write them.
 */
export async function explain(db: Db, query: BenchQuery, now: Date): Promise<string> {
  const scope = searchScope({ q: query.q, ...range(now, query.range) });
  const statement = query.kind === 'events'
    ? sql`select * from access_events where ${scope} order by ts desc, id desc limit 101`
    : query.kind === 'histogram'
      ? sql`select date_bin('1 hour'::interval, ts, timestamptz '1970-01-01') as t, count(*), count(*) filter (where status >= 500)
          from access_events where ${scope} group by 1`
      : sql`select ${sql.raw(query.field === 'service' ? 'dst_service' : 'token_id')} as value, count(*) from access_events
          where ${scope} and ${sql.raw(query.field === 'service' ? 'dst_service' : 'token_id')} is not null
          ${query.prefix ? sql`and token_id like ${`${query.prefix}%`}` : sql``} group by 1 order by 2 desc limit 10`;
  const plan = await rows<{ 'QUERY PLAN': string }>(db, sql`explain (analyze, buffers) ${statement}`);
  return plan.map((r) => r['QUERY PLAN']).join('\n');
}
