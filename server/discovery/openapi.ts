// OpenAPI 3.1 for one service from its inventory: approved endpoints only (what the whitelist
// will allow), or everything learned. Parameters typed from what was seen, response bodies
// from sampled shapes, and Meshward's own facts (review state, sensitive fields, calls) as
// `x-meshward-*` extensions so the document round-trips through standard tools.
import { and, asc, eq, inArray } from 'drizzle-orm';
import { endpoints, type EndpointParam, type ParamType } from '@/db/schema/endpoints';
import type { Ctx } from '@/server/context';
import { parseTemplate, templateKey } from './template';
import type { OpenApiInput } from './schemas';

type Stored = typeof endpoints.$inferSelect;
type Json = Record<string, unknown>;

const METHODS = ['get', 'put', 'post', 'delete', 'options', 'head', 'patch', 'trace'] as const;

function schemaFor(type: ParamType): Json {
  switch (type) {
    case 'integer':
      return { type: 'integer' };
    case 'uuid':
      return { type: 'string', format: 'uuid' };
    case 'hex':
      return { type: 'string', pattern: '^[0-9a-fA-F]+$' };
    case 'date':
      return { type: 'string', format: 'date' };
    case 'email':
      return { type: 'string', format: 'email' };
    default:
      return { type: 'string' };
  }
}

function operationId(e: Stored): string {
  const words = parseTemplate(e.template).map((s) => (s.kind === 'literal' ? s.text : `by_${s.name}`));
  return [e.method.toLowerCase(), ...words].join('_').replace(/[^A-Za-z0-9_]+/g, '_').replace(/_+/g, '_').replace(/_$/, '');
}

/**
 * Filters sample a body without saying whose: on a write whose sensitive data only ever came
 * in, it is the request's; otherwise the response's.
 */
function sampledRequest(e: Stored): boolean {
  return ['POST', 'PUT', 'PATCH'].includes(e.method) && e.sensitive.length > 0 && e.sensitive.every((f) => f.direction === 'request');
}

function responses(e: Stored): Json {
  const out: Json = {};
  const mix = Object.entries(e.statusMix).filter(([, n]) => (n ?? 0) > 0).sort();
  for (const [cls] of mix) {
    const code = cls.toUpperCase();
    const body = code === '2XX' && e.bodySchema && !sampledRequest(e) ? { content: { 'application/json': { schema: e.bodySchema } } } : {};
    out[code] = { description: `${cls} responses seen by the mesh`, ...body };
  }
  if (Object.keys(out).length === 0) out.default = { description: 'no responses recorded yet' };
  return out;
}

function operation(e: Stored, pathParams: EndpointParam[], names: string[]): Json {
  const parameters: Json[] = names.map((name, i) => {
    const p = pathParams[i];
    return {
      name, in: 'path', required: true, schema: schemaFor(p?.type ?? 'string'),
      ...(p?.examples.length ? { 'x-meshward-examples': p.examples } : {}),
    };
  });
  const seen = new Set(names);
  for (const q of e.queryParams) {
    if (seen.has(`q:${q.name}`)) continue;
    seen.add(`q:${q.name}`);
    parameters.push({ name: q.name, in: 'query', required: false, schema: schemaFor(q.type), 'x-meshward-calls': q.count });
  }
  const op: Json = {
    operationId: `${operationId(e)}_${e.id.slice(3)}`.slice(0, 120),
    summary: `${e.method} ${e.template}`,
    parameters,
    ...(e.bodySchema && sampledRequest(e) ? { requestBody: { content: { 'application/json': { schema: e.bodySchema } } } } : {}),
    responses: responses(e),
    'x-meshward-id': e.id,
    'x-meshward-state': e.state,
    'x-meshward-calls': Number(e.calls),
    'x-meshward-callers': Object.keys(e.callers).sort(),
  };
  if (e.sensitive.length) op['x-meshward-sensitive'] = e.sensitive.map((f) => ({ class: f.class, direction: f.direction, path: f.path }));
  if (e.firstSeenAt) op['x-meshward-first-seen'] = e.firstSeenAt.toISOString();
  if (e.lastSeenAt) op['x-meshward-last-seen'] = e.lastSeenAt.toISOString();
  return op;
}

/** The OpenAPI document; `endpointCount` says how many operations it holds. */
export async function exportOpenApi(ctx: Ctx, input: OpenApiInput) {
  const states = input.scope === 'approved' ? (['approved'] as const) : (['approved', 'learned'] as const);
  const list = await ctx.db.select().from(endpoints)
    .where(and(eq(endpoints.service, input.service), inArray(endpoints.state, [...states])))
    .orderBy(asc(endpoints.template), asc(endpoints.method));
  // OpenAPI treats `/users/{id}` and `/users/{user}` as one path: one spelling per key, the
  // busiest endpoint's.
  const spelling = new Map<string, Stored>();
  for (const e of list) {
    const key = templateKey(e.template);
    const cur = spelling.get(key);
    if (!cur || Number(e.calls) > Number(cur.calls)) spelling.set(key, e);
  }
  const paths: Record<string, Json> = {};
  for (const e of list) {
    const method = e.method.toLowerCase();
    if (!(METHODS as readonly string[]).includes(method)) continue;
    const path = spelling.get(templateKey(e.template))!.template;
    const names = parseTemplate(path).flatMap((s) => (s.kind === 'literal' ? [] : [s.name]));
    (paths[path] ??= {})[method] = operation(e, e.params, names);
  }
  const count = Object.values(paths).reduce((n, p) => n + Object.keys(p).length, 0);
  const document = {
    openapi: '3.1.0',
    info: {
      title: `${input.service}: API learned by Meshward`,
      version: ctx.now().toISOString().slice(0, 10),
      description: `${input.scope === 'approved' ? 'Approved endpoints' : 'Approved and unreviewed endpoints'} of ${input.service}, learned from mesh traffic. Parameter names, types and response shapes come from observed requests.`,
    },
    paths,
  };
  return { document, endpointCount: count };
}
