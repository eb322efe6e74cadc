// Reading the endpoint inventory: the per-service summary, the filtered and paged list, and
// one endpoint with its traffic over a time range (from the edge-route rollups, under every
// route string the endpoint's traffic was filed by).
import { and, asc, count, eq, gte, ilike, sql, type SQL } from 'drizzle-orm';
import { endpoints } from '@/db/schema/endpoints';
import { escapeLike } from '@/db/like';
import type { Ctx } from '@/server/context';
import { DomainError } from '@/server/errors';
import { jsonRows } from '@/server/traffic/graph-series';
import { fillSteps, inRange, rangeRows, rollup, stepOf } from '@/server/traffic/rollup-query';
import { resolveRange } from '@/server/traffic/time-range';
import { describeRange } from '@/server/traffic/view-range';
import { readEvidence, type EndpointRow, type GetInput, type ListInput } from './schemas';
import { parseTemplate } from './template';

type Stored = typeof endpoints.$inferSelect;

export function toRow(e: Stored): EndpointRow {
  return {
    id: e.id,
    service: e.service,
    method: e.method,
    template: e.template,
    state: e.state,
    changed: e.changed,
    changedReason: e.changedReason,
    changedAt: e.changedAt,
    origin: e.origin,
    params: e.params,
    sensitiveClasses: [...new Set(e.sensitive.map((f) => f.class))].sort(),
    callers: Object.keys(e.callers).length,
    calls: Number(e.calls),
    firstSeenAt: e.firstSeenAt,
    lastSeenAt: e.lastSeenAt,
    createdAt: e.createdAt,
    reviewedBy: e.reviewedBy,
    reviewedAt: e.reviewedAt,
  };
}

function listWhere(input: ListInput): SQL | undefined {
  const where: (SQL | undefined)[] = [];
  if (input.service) where.push(eq(endpoints.service, input.service));
  if (input.state) where.push(eq(endpoints.state, input.state));
  if (input.changed !== undefined) where.push(eq(endpoints.changed, input.changed));
  if (input.method) where.push(eq(endpoints.method, input.method));
  if (input.since) where.push(gte(input.sinceField === 'changed' ? endpoints.changedAt : endpoints.createdAt, input.since));
  if (input.sensitive === true) where.push(sql`jsonb_array_length(${endpoints.sensitive}) > 0`);
  if (input.sensitive === false) where.push(sql`jsonb_array_length(${endpoints.sensitive}) = 0`);
  if (input.caller) where.push(sql`${endpoints.callers} ? ${input.caller}`);
  if (input.q) where.push(ilike(endpoints.template, `%${escapeLike(input.q)}%`));
  return and(...where);
}

export async function listEndpoints(ctx: Ctx, input: ListInput) {
  const where = listWhere(input);
  const [list, [total]] = await Promise.all([
    ctx.db.select().from(endpoints).where(where)
      .orderBy(asc(endpoints.service), asc(endpoints.template), asc(endpoints.method))
      .limit(input.limit).offset(input.offset),
    ctx.db.select({ n: count() }).from(endpoints).where(where),
  ]);
  return { rows: list.map(toRow), total: Number(total?.n ?? 0) };
}

export async function listServices(ctx: Ctx) {
  const found = await jsonRows<{ service: string; learned: number; approved: number; rejected: number; changed: number; sensitive: number }>(
    ctx.db,
    sql`select service,
          count(*) filter (where state = 'learned') as learned,
          count(*) filter (where state = 'approved') as approved,
          count(*) filter (where state = 'rejected') as rejected,
          count(*) filter (where changed) as changed,
          count(*) filter (where jsonb_array_length(sensitive) > 0) as sensitive
        from endpoints group by service order by service`,
  );
  return found.map((r) => ({ ...r, learned: Number(r.learned), approved: Number(r.approved), rejected: Number(r.rejected), changed: Number(r.changed), sensitive: Number(r.sensitive) }));
}

export async function findEndpoint(ctx: Ctx, id: string): Promise<Stored> {
  const [e] = await ctx.db.select().from(endpoints).where(eq(endpoints.id, id)).limit(1);
  if (!e) throw new DomainError('NOT_FOUND', 'No such endpoint: it may have been merged or replaced by newer evidence');
  return e;
}

export async function getEndpoint(ctx: Ctx, input: GetInput) {
  const e = await findEndpoint(ctx, input.id);
  const range = resolveRange(input.range, ctx.now());
  const routes = sql`(select jsonb_array_elements_text(${JSON.stringify(e.routes.length ? e.routes : [e.template])}::jsonb))`;
  const mine = sql`dst_service = ${e.service} and method = ${e.method} and route in ${routes}`;
  const [found, callers, sameService] = await Promise.all([
    jsonRows<{ t: number; requests: number; errors: number; clientErrors: number }>(
      ctx.db,
      sql`select ${stepOf(range)} as t, sum(requests) as requests, sum(errors) as errors, sum(client_errors) as "clientErrors"
          from ${rollup('edgeRoute', range)} where ${inRange(range)} and ${mine} group by 1 order by 1`,
    ),
    jsonRows<{ service: string; requests: number; errors: number; clientErrors: number }>(
      ctx.db,
      sql`select src_service as service, sum(requests) as requests, sum(errors) as errors, sum(client_errors) as "clientErrors"
          from ${rangeRows('edgeRoute', range)} where ${mine} group by 1 order by 2 desc limit 50`,
    ),
    ctx.db
      .select({ id: endpoints.id, method: endpoints.method, template: endpoints.template, state: endpoints.state })
      .from(endpoints)
      .where(and(eq(endpoints.service, e.service), eq(endpoints.method, e.method)))
      .orderBy(asc(endpoints.template))
      .limit(2000),
  ]);
  const depth = parseTemplate(e.template).length;
  const siblings = sameService.filter((s) => s.id !== e.id && parseTemplate(s.template).length === depth).slice(0, 200);
  const series = fillSteps(range, found.map((p) => ({ ...p, t: Number(p.t) })), (t) => ({ t, requests: 0, errors: 0, clientErrors: 0 }))
    .map((p) => ({ t: new Date(p.t), requests: Number(p.requests), errors: Number(p.errors), clientErrors: Number(p.clientErrors) }));
  return {
    endpoint: {
      ...toRow(e),
      queryParams: e.queryParams,
      bodySchema: e.bodySchema as Record<string, unknown> | null,
      sensitive: e.sensitive,
      statusMix: e.statusMix,
      callerCounts: Object.entries(e.callers).map(([service, calls]) => ({ service, calls })).sort((a, b) => b.calls - a.calls),
      reviewReason: e.reviewReason,
      routes: e.routes,
      /** why each segment is a parameter or a literal; null when none was kept */
      evidence: readEvidence(e.evidence),
    },
    range: describeRange(range),
    series,
    callers: callers.map((c) => ({ service: c.service, requests: Number(c.requests), errors: Number(c.errors), clientErrors: Number(c.clientErrors) })),
    /** endpoints of the same service, method and depth: the candidates to merge with */
    siblings,
  };
}

export type EndpointDetail = Awaited<ReturnType<typeof getEndpoint>>;
