import { sql, type SQL } from 'drizzle-orm';
import { z } from 'zod';
import { rows } from '@/db/client';
import type { Ctx } from '@/server/context';
import { FLOW_SORTS, type FlowSort } from './dataflow-sorts';
import { inList, num, rangeRows } from './rollup-query';
import { resolveRange } from './time-range';
import { rangeInput } from './view-range';

/** A sensitive-data class name as proxies report it (`credit_card`, `api_key`, …). */
export const dataClass = z.string().trim().min(1).max(64);

// ---- classes --------------------------------------------------------------------------------

export const classesOutput = z.array(
  z.object({
    class: z.string(),
    matches: z.number(),
    requestMatches: z.number(),
    responseMatches: z.number(),
    /** events carrying the class, counted once per direction */
    events: z.number(),
    edges: z.number(),
  }),
);

/** Sensitive-data volume per class over the range, most matched first, split by direction. */
export async function sensitiveClasses(ctx: Ctx, input: z.output<typeof rangeInput>): Promise<z.infer<typeof classesOutput>> {
  const range = resolveRange(input.range, ctx.now());
  const found = await rows<Record<string, unknown>>(
    ctx.db,
    sql`select data_class, sum(matches)::float8 as matches, sum(events)::float8 as events,
          coalesce(sum(matches) filter (where direction = 'request'), 0)::float8 as request_matches,
          coalesce(sum(matches) filter (where direction = 'response'), 0)::float8 as response_matches,
          count(distinct (src_service, dst_service))::int as edges
        from ${rangeRows('sensitiveEdge', range)}
        group by 1 order by 2 desc, 1`,
  );
  return found.map((r) => ({
    class: String(r.data_class),
    matches: num(r.matches),
    requestMatches: num(r.request_matches),
    responseMatches: num(r.response_matches),
    events: num(r.events),
    edges: num(r.edges),
  }));
}

// ---- heatmaps -------------------------------------------------------------------------------

export const matrixInput = rangeInput.extend({
  /** service: the service whose API carried the data (the edge's destination); token: the caller's token */
  dimension: z.enum(['service', 'token']),
  /** only columns that carried this class are picked (their other classes are still shown) */
  class: dataClass.optional(),
  limit: z.number().int().min(1).max(50).default(20),
});

export const matrixOutput = z.object({
  /** the picked services or tokens, most matches (of the class, if one is chosen) first */
  keys: z.array(z.object({ key: z.string(), matches: z.number(), classMatches: z.number() })),
  /** how many services or tokens carried sensitive data (of the class) in the range */
  totalKeys: z.number(),
  /** classes present in the cells, most matches first */
  classes: z.array(z.string()),
  cells: z.array(z.object({ key: z.string(), class: z.string(), matches: z.number(), events: z.number() })),
});

/** Class × service or class × token: the top `limit` columns and every class they carried. */
export async function sensitiveMatrix(ctx: Ctx, input: z.output<typeof matrixInput>): Promise<z.infer<typeof matrixOutput>> {
  const range = resolveRange(input.range, ctx.now());
  const table = rangeRows(input.dimension === 'service' ? 'sensitiveEdge' : 'sensitiveToken', range);
  const key = input.dimension === 'service' ? sql`dst_service` : sql`token_id`;
  const classFilter: SQL = input.class ? sql`and data_class = ${input.class}` : sql``;
  const picked = await rows<Record<string, unknown>>(
    ctx.db,
    sql`select ${key} as key, sum(matches)::float8 as matches, count(*) over ()::int as total
        from ${table} where true ${classFilter}
        group by 1 order by 2 desc, 1 limit ${input.limit}`,
  );
  if (!picked.length) return { keys: [], totalKeys: 0, classes: [], cells: [] };
  const keys = picked.map((p) => String(p.key));
  const found = await rows<Record<string, unknown>>(
    ctx.db,
    sql`select ${key} as key, data_class, sum(matches)::float8 as matches, sum(events)::float8 as events
        from ${table} where ${key} in ${inList(keys)}
        group by 1, 2`,
  );
  const cells = found.map((c) => ({ key: String(c.key), class: String(c.data_class), matches: num(c.matches), events: num(c.events) }));
  const perKey = new Map<string, number>();
  const perClass = new Map<string, number>();
  for (const c of cells) {
    perKey.set(c.key, (perKey.get(c.key) ?? 0) + c.matches);
    perClass.set(c.class, (perClass.get(c.class) ?? 0) + c.matches);
  }
  return {
    keys: picked.map((p) => ({ key: String(p.key), matches: perKey.get(String(p.key)) ?? 0, classMatches: num(p.matches) })),
    totalKeys: num(picked[0].total),
    classes: [...perClass.entries()].sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0])).map(([c]) => c),
    cells,
  };
}

// ---- flows ----------------------------------------------------------------------------------

export const flowsInput = rangeInput.extend({
  class: dataClass.optional(),
  sort: z.enum(FLOW_SORTS).default('matches'),
  dir: z.enum(['asc', 'desc']).default('desc'),
  page: z.number().int().min(0).max(10_000).default(0),
  pageSize: z.number().int().min(5).max(100).default(25),
});

export const flowsOutput = z.object({
  total: z.number(),
  rows: z.array(
    z.object({
      src: z.string(),
      dst: z.string(),
      class: z.string(),
      direction: z.enum(['request', 'response']),
      matches: z.number(),
      events: z.number(),
    }),
  ),
});

// Every order ends on the full key so that pages never overlap or skip a row.
const FLOW_ORDER: Record<FlowSort, { asc: SQL; desc: SQL }> = {
  matches: { asc: sql`matches asc`, desc: sql`matches desc` },
  events: { asc: sql`events asc`, desc: sql`events desc` },
  edge: { asc: sql`src_service asc, dst_service asc`, desc: sql`src_service desc, dst_service desc` },
  class: { asc: sql`data_class asc`, desc: sql`data_class desc` },
};

/** Which edge carried which class in which direction, sorted and paginated. */
export async function sensitiveFlows(ctx: Ctx, input: z.output<typeof flowsInput>): Promise<z.infer<typeof flowsOutput>> {
  const range = resolveRange(input.range, ctx.now());
  const table = rangeRows('sensitiveEdge', range);
  const where = input.class ? sql`data_class = ${input.class}` : sql`true`;
  const [count] = await rows<{ n: unknown }>(
    ctx.db,
    sql`select count(*)::int as n from (select 1 from ${table} where ${where} group by src_service, dst_service, data_class, direction) g`,
  );
  const found = await rows<Record<string, unknown>>(
    ctx.db,
    sql`select src_service, dst_service, data_class, direction, sum(matches)::float8 as matches, sum(events)::float8 as events
        from ${table} where ${where}
        group by 1, 2, 3, 4
        order by ${FLOW_ORDER[input.sort][input.dir]}, src_service, dst_service, data_class, direction
        limit ${input.pageSize} offset ${input.page * input.pageSize}`,
  );
  return {
    total: num(count?.n),
    rows: found.map((r) => ({
      src: String(r.src_service),
      dst: String(r.dst_service),
      class: String(r.data_class),
      direction: r.direction === 'request' ? 'request' : 'response',
      matches: num(r.matches),
      events: num(r.events),
    })),
  };
}
