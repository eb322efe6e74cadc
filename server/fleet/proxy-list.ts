import { sql, type SQL } from 'drizzle-orm';
import { rows } from '@/db/client';
import { escapeLike } from '@/db/like';
import type { Ctx } from '@/server/context';
import { DEFAULT_APPLY_GRACE_S } from '@/server/policy/rollout';
import { RATE_WINDOW_MIN, SILENT_AFTER_INTERVALS } from './proxies';
import { UNSET, type ProxyList, type ProxyListQuery, type ProxyRow, type ProxySort } from './proxy-list-input';

/** Values a facet lists at most (a fleet runs a handful of versions, clusters and revisions). */
const FACET_LIMIT = 200;

/**
 * Every proxy with what the list filters and sorts on, computed once: health (silent after
 * two missed intervals, as isSilent), the events of the last five minutes, and the rollout
 * state of its service's newest published policy (as rolloutState).
 */
function fleetRows(now: Date, graceS: number): SQL {
  const nowIso = now.toISOString();
  const since = new Date(now.getTime() - RATE_WINDOW_MIN * 60_000).toISOString();
  return sql`recent as (
      select proxy_id, sum(events)::float8 as events from proxy_minute_stats
      where minute >= ${since}::timestamptz group by proxy_id
    ), latest as (
      select distinct on (service) service, revision, published_at from policy_revisions
      where state = 'published' order by service, revision desc
    ), fleet as (
      select p.id, p.service, p.cluster, p.node, p.version, p.policy_revision, p.classifier_revision, p.interval_s,
        p.first_seen_at, p.last_seen_at, p.last_heartbeat_at, p.last_event_at,
        t.name as token_name, (t.revoked_at is not null) as token_revoked,
        coalesce(r.events, 0) as recent_events,
        (${nowIso}::timestamptz - p.last_seen_at > (p.interval_s * ${SILENT_AFTER_INTERVALS}) * interval '1 second') as silent,
        case
          when l.revision is null then 'none'
          when substring(p.policy_revision from '([0-9]+)[[:space:]]*$')::numeric = l.revision then 'current'
          when ${nowIso}::timestamptz - l.published_at > ${graceS} * interval '1 second' then 'outdated'
          else 'pending'
        end as rollout
      from proxies p
      left join proxy_tokens t on t.id = p.token_id
      left join recent r on r.proxy_id = p.id
      left join latest l on l.service = p.service
    )`;
}

const exactly = (column: SQL, v: string) => (v === UNSET ? sql`${column} is null` : sql`${column} = ${v}`);

/** The WHERE clause for the filters over the `fleet` rows. */
export function proxyFilters(f: Pick<ProxyListQuery, 'q' | 'health' | 'version' | 'cluster' | 'revision' | 'rollout'>): SQL {
  const where: SQL[] = [];
  if (f.q) {
    const p = `%${escapeLike(f.q)}%`;
    where.push(sql`(id ilike ${p} or service ilike ${p} or cluster ilike ${p} or node ilike ${p} or version ilike ${p})`);
  }
  if (f.health) where.push(f.health === 'silent' ? sql`silent` : sql`not silent`);
  if (f.version) where.push(exactly(sql`version`, f.version));
  if (f.cluster) where.push(exactly(sql`cluster`, f.cluster));
  if (f.revision) where.push(exactly(sql`policy_revision`, f.revision));
  if (f.rollout) where.push(sql`rollout = ${f.rollout}`);
  return where.length ? sql.join(where, sql` and `) : sql`true`;
}

/** ORDER BY for a sort: the column, then the proxy id so pages never overlap. */
export function proxyOrder(sort: ProxySort, dir: 'asc' | 'desc'): SQL {
  const d = sql.raw(dir);
  switch (sort) {
    case 'name':
      return sql`id ${d}`;
    case 'health':
      return sql`silent ${d}, id asc`;
    case 'lastSeen':
      return sql`last_seen_at ${d}, id asc`;
    case 'cluster':
      return sql`cluster ${d} nulls last, id asc`;
    case 'version':
      // 1.10.0 after 1.9.2: by the numbers in it, then as text; never-reported last
      return sql`(select array_agg(m.n[1]::numeric order by m.i) from regexp_matches(version, '([0-9]+)', 'g') with ordinality as m(n, i)) ${d} nulls last,
        version ${d} nulls last, id asc`;
  }
}

const at = (v: unknown) => (v === null || v === undefined ? null : new Date(v as string | Date));

/**
 * One page of the fleet's proxies, filtered and sorted in the database, with the count that
 * matched, figures for the whole fleet and the values each filter can take.
 */
export async function listProxyPage(ctx: Ctx, input: ProxyListQuery, graceS = DEFAULT_APPLY_GRACE_S): Promise<ProxyList> {
  const now = ctx.now();
  const base = fleetRows(now, graceS);
  const where = proxyFilters(input);
  const [[counts], facets] = await Promise.all([
    rows<{ total: unknown; proxies: unknown; silent: unknown; events: unknown }>(
      ctx.db,
      sql`with ${base}
          select count(*) filter (where ${where})::int as total, count(*)::int as proxies,
            count(*) filter (where silent)::int as silent, coalesce(sum(recent_events), 0)::float8 as events
          from fleet`,
    ),
    rows<{ facet: 'version' | 'cluster' | 'revision'; value: string | null; proxies: unknown }>(
      ctx.db,
      sql`select 'version' as facet, version as value, count(*)::int as proxies from proxies group by version
          union all select 'cluster', cluster, count(*)::int from proxies group by cluster
          union all select 'revision', policy_revision, count(*)::int from proxies group by policy_revision`,
    ),
  ]);
  const total = Number(counts.total);
  const page = Math.min(input.page, Math.max(0, Math.ceil(total / input.pageSize) - 1));
  const found = total === 0 ? [] : await rows<Record<string, unknown>>(
    ctx.db,
    sql`with ${base}
        select * from fleet where ${where}
        order by ${proxyOrder(input.sort, input.dir)}
        limit ${input.pageSize} offset ${page * input.pageSize}`,
  );

  const facet = (name: 'version' | 'cluster' | 'revision') =>
    facets
      .filter((f) => f.facet === name)
      .map((f) => ({ value: f.value, proxies: Number(f.proxies) }))
      .sort((a, b) => b.proxies - a.proxies || String(a.value ?? '').localeCompare(String(b.value ?? '')))
      .slice(0, FACET_LIMIT);

  return {
    total,
    page,
    pageSize: input.pageSize,
    rows: found.map((r): ProxyRow => ({
      id: r.id as string,
      service: r.service as string | null,
      cluster: r.cluster as string | null,
      node: r.node as string | null,
      version: r.version as string | null,
      policyRevision: r.policy_revision as string | null,
      classifierRevision: r.classifier_revision === null || r.classifier_revision === undefined ? null : Number(r.classifier_revision),
      rollout: r.rollout as ProxyRow['rollout'],
      intervalS: Number(r.interval_s),
      firstSeenAt: at(r.first_seen_at)!,
      lastSeenAt: at(r.last_seen_at)!,
      lastHeartbeatAt: at(r.last_heartbeat_at),
      lastEventAt: at(r.last_event_at),
      tokenName: r.token_name as string | null,
      tokenRevoked: Boolean(r.token_revoked),
      eventsPerMin: perMinute(Number(r.recent_events)),
      silent: Boolean(r.silent),
    })),
    fleet: { proxies: Number(counts.proxies), silent: Number(counts.silent), eventsPerMin: perMinute(Number(counts.events)) },
    facets: { versions: facet('version'), clusters: facet('cluster'), revisions: facet('revision') },
  };
}

const perMinute = (events: number) => Math.round((events / RATE_WINDOW_MIN) * 10) / 10;
