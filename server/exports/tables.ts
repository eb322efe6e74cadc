// The console's tables as CSV downloads (GET /api/export/<name>): for each, the input schema of
// the procedure its page calls (so the file has the on-screen filters, sort and range), its
// columns (the procedure's output fields, by name) and how its rows are read in full, page by page.
import { desc } from 'drizzle-orm';
import { z } from 'zod';
import { auditLog } from '@/db/schema';
import { CSV_EXPORTS, type CsvExportName } from '@/lib/csv-exports';
import { auditFilterSchema, auditWhere } from '@/server/audit/list';
import { nameAuditTargets } from '@/server/audit/targets';
import type { Ctx } from '@/server/context';
import { listEndpoints } from '@/server/discovery/inventory';
import { listInput, type EndpointRow } from '@/server/discovery/schemas';
import { listProxyPage } from '@/server/fleet/proxy-list';
import { proxyListInput, type ProxyRow } from '@/server/fleet/proxy-list-input';
import { listProxyTokens } from '@/server/fleet/tokens';
import { csvDownload, keysetPages, offsetPages, type CsvColumn, type CsvDownloadDeps, type CsvTable } from '@/server/http/csv-download';
import { jsonError } from '@/server/http/session-actor';
import { flowsInput, sensitiveFlows, type flowsOutput } from '@/server/traffic/dataflow';
import { topInput, topTalkers, topTokens, type topTalkersOutput, type topTokensOutput } from '@/server/traffic/overview';
import { resolveRange, type TimeRangeInput } from '@/server/traffic/time-range';

/**
 * Rows of a "top" ranking in a download: the page shows the first few (its `limit`), the file the
 * whole ranking of the range, up to this many.
 */
export const TOP_EXPORT_LIMIT = 10_000;

/** A list element joined for one cell: `email;card_number`. */
const joined = (list: readonly string[]) => list.join(';');

async function* once<R>(read: () => Promise<readonly R[]>): AsyncGenerator<readonly R[], void, undefined> {
  yield await read();
}

/** What an export of a traffic view records of its range: as asked, and as resolved at the download. */
function rangeFilters(ctx: Ctx, range: z.output<typeof flowsInput>['range']) {
  const r = resolveRange(range, ctx.now());
  const asked = 'preset' in range ? { preset: range.preset } : { from: range.from.toISOString(), to: range.to.toISOString() };
  return { ...asked, resolvedFrom: r.from.toISOString(), resolvedTo: r.to.toISOString() };
}

const rangeSpan = (ctx: Ctx, input: { range: TimeRangeInput & object }) => {
  const r = resolveRange(input.range as z.output<typeof flowsInput>['range'], ctx.now());
  return { from: r.from, to: r.to };
};

// ---- /data ----------------------------------------------------------------------------------

type Flow = z.infer<typeof flowsOutput>['rows'][number];
type FlowsInput = z.output<typeof flowsInput>;

const flows: CsvTable<FlowsInput, Flow> = {
  name: 'flows',
  permission: CSV_EXPORTS.flows,
  input: flowsInput,
  columns: [
    { header: 'src', value: (r) => r.src },
    { header: 'dst', value: (r) => r.dst },
    { header: 'class', value: (r) => r.class },
    { header: 'direction', value: (r) => r.direction },
    { header: 'matches', value: (r) => r.matches },
    { header: 'events', value: (r) => r.events },
  ],
  // the procedure itself, a larger page at a time (its schema's 100 is for the screen)
  pages: (ctx, input, { signal, pageSize }) =>
    offsetPages(async (offset, limit) => (await sensitiveFlows(ctx, { ...input, page: offset / limit, pageSize: limit })).rows, pageSize, signal),
  span: rangeSpan,
  audit: {
    action: 'table.export',
    targetType: 'sensitive_flows',
    filters: (ctx, i) => ({ range: rangeFilters(ctx, i.range), class: i.class ?? null, sort: i.sort, dir: i.dir }),
  },
};

// ---- / (overview) ---------------------------------------------------------------------------

type TopInput = z.output<typeof topInput>;
type TopEdge = z.infer<typeof topTalkersOutput>['edges'][number];
type TopService = z.infer<typeof topTalkersOutput>['services'][number];
type TopToken = z.infer<typeof topTokensOutput>[number];

const talkerColumns = <R extends Omit<TopEdge, 'src' | 'dst'>>(): CsvColumn<R>[] => [
  { header: 'requests', value: (r) => r.requests },
  { header: 'errors', value: (r) => r.errors },
  { header: 'clientErrors', value: (r) => r.clientErrors },
  { header: 'errorRate', value: (r) => r.errorRate },
  { header: 'bytes', value: (r) => r.bytes },
  { header: 'p95', value: (r) => r.p95 },
];

const topFilters = (ctx: Ctx, i: TopInput) => ({ range: rangeFilters(ctx, i.range), limit: TOP_EXPORT_LIMIT });

const topEdges: CsvTable<TopInput, TopEdge> = {
  name: 'top-edges',
  permission: CSV_EXPORTS['top-edges'],
  input: topInput,
  columns: [{ header: 'src', value: (r) => r.src }, { header: 'dst', value: (r) => r.dst }, ...talkerColumns<TopEdge>()],
  pages: (ctx, input) => once(async () => (await topTalkers(ctx, { ...input, limit: TOP_EXPORT_LIMIT })).edges),
  span: rangeSpan,
  audit: { action: 'table.export', targetType: 'top_edges', filters: topFilters },
};

const topServices: CsvTable<TopInput, TopService> = {
  name: 'top-services',
  permission: CSV_EXPORTS['top-services'],
  input: topInput,
  columns: [{ header: 'service', value: (r) => r.service }, ...talkerColumns<TopService>()],
  pages: (ctx, input) => once(async () => (await topTalkers(ctx, { ...input, limit: TOP_EXPORT_LIMIT })).services),
  span: rangeSpan,
  audit: { action: 'table.export', targetType: 'top_services', filters: topFilters },
};

const topTokensTable: CsvTable<TopInput, TopToken> = {
  name: 'top-tokens',
  permission: CSV_EXPORTS['top-tokens'],
  input: topInput,
  columns: [
    { header: 'tokenId', value: (r) => r.tokenId },
    { header: 'classes', value: (r) => joined(r.classes) },
    { header: 'matches', value: (r) => r.matches },
    { header: 'events', value: (r) => r.events },
    { header: 'requests', value: (r) => r.requests },
  ],
  pages: (ctx, input) => once(() => topTokens(ctx, { ...input, limit: TOP_EXPORT_LIMIT })),
  span: rangeSpan,
  audit: { action: 'table.export', targetType: 'top_tokens', filters: topFilters },
};

// ---- /apis ----------------------------------------------------------------------------------

type EndpointsInput = z.output<typeof listInput>;

const endpoints: CsvTable<EndpointsInput, EndpointRow> = {
  name: 'endpoints',
  permission: CSV_EXPORTS.endpoints,
  input: listInput,
  columns: [
    { header: 'id', value: (r) => r.id },
    { header: 'service', value: (r) => r.service },
    { header: 'method', value: (r) => r.method },
    { header: 'template', value: (r) => r.template },
    { header: 'state', value: (r) => r.state },
    { header: 'changed', value: (r) => r.changed },
    { header: 'changedReason', value: (r) => r.changedReason },
    { header: 'changedAt', value: (r) => r.changedAt },
    { header: 'origin', value: (r) => r.origin },
    { header: 'params', value: (r) => joined(r.params.map((p) => `${p.name}:${p.type}`)) },
    { header: 'sensitiveClasses', value: (r) => joined(r.sensitiveClasses) },
    { header: 'callers', value: (r) => r.callers },
    { header: 'calls', value: (r) => r.calls },
    { header: 'firstSeenAt', value: (r) => r.firstSeenAt },
    { header: 'lastSeenAt', value: (r) => r.lastSeenAt },
    { header: 'createdAt', value: (r) => r.createdAt },
    { header: 'reviewedBy', value: (r) => r.reviewedBy },
    { header: 'reviewedAt', value: (r) => r.reviewedAt },
  ],
  // listEndpoints' own query and order (service, template, method), by offset: its WHERE is
  // private to server/discovery/inventory.ts
  pages: (ctx, input, { signal, pageSize }) => offsetPages(async (offset, limit) => (await listEndpoints(ctx, { ...input, offset, limit })).rows, pageSize, signal),
  audit: {
    action: 'table.export',
    targetType: 'endpoints',
    filters: (_ctx, { offset: _o, limit: _l, since, ...f }) => ({ ...f, since: since?.toISOString() ?? null }),
  },
};

// ---- /fleet ---------------------------------------------------------------------------------

type ProxiesInput = z.output<typeof proxyListInput>;

async function* proxyPages(ctx: Ctx, input: ProxiesInput, { signal, pageSize }: { signal: AbortSignal; pageSize: number }): AsyncGenerator<readonly ProxyRow[], void, undefined> {
  for (let page = 0; !signal.aborted; page++) {
    // (the list's page sizes are for the screen; a page past the end is answered with the last page: `page` says which it was)
    const found = await listProxyPage(ctx, { ...input, page, pageSize: pageSize as ProxiesInput['pageSize'] });
    if (found.page !== page) return;
    yield found.rows;
    if (found.rows.length < pageSize) return;
  }
}

const fleetProxies: CsvTable<ProxiesInput, ProxyRow> = {
  name: 'fleet-proxies',
  permission: CSV_EXPORTS['fleet-proxies'],
  input: proxyListInput.prefault({}),
  columns: [
    { header: 'id', value: (r) => r.id },
    { header: 'service', value: (r) => r.service },
    { header: 'cluster', value: (r) => r.cluster },
    { header: 'node', value: (r) => r.node },
    { header: 'version', value: (r) => r.version },
    { header: 'policyRevision', value: (r) => r.policyRevision },
    { header: 'rollout', value: (r) => r.rollout },
    { header: 'silent', value: (r) => r.silent },
    { header: 'intervalS', value: (r) => r.intervalS },
    { header: 'eventsPerMin', value: (r) => r.eventsPerMin },
    { header: 'firstSeenAt', value: (r) => r.firstSeenAt },
    { header: 'lastSeenAt', value: (r) => r.lastSeenAt },
    { header: 'lastHeartbeatAt', value: (r) => r.lastHeartbeatAt },
    { header: 'lastEventAt', value: (r) => r.lastEventAt },
    { header: 'tokenName', value: (r) => r.tokenName },
    { header: 'tokenRevoked', value: (r) => r.tokenRevoked },
  ],
  pages: proxyPages,
  audit: { action: 'table.export', targetType: 'proxies', filters: (_ctx, { page: _p, pageSize: _s, ...f }) => f },
};

type ProxyToken = Awaited<ReturnType<typeof listProxyTokens>>[number];

const fleetTokens: CsvTable<Record<string, never>, ProxyToken> = {
  name: 'fleet-tokens',
  permission: CSV_EXPORTS['fleet-tokens'],
  // the procedure takes no input
  input: z.object({}).strict() as z.ZodType<Record<string, never>, unknown>,
  // no secret: a token's value is shown once at creation and never stored (only its hash, not read here)
  columns: [
    { header: 'id', value: (r) => r.id },
    { header: 'name', value: (r) => r.name },
    { header: 'prefix', value: (r) => r.prefix },
    { header: 'status', value: (r) => (r.revokedAt ? 'revoked' : 'active') },
    { header: 'services', value: (r) => joined(r.services) },
    { header: 'createdAt', value: (r) => r.createdAt },
    { header: 'createdBy', value: (r) => r.createdBy },
    { header: 'lastUsedAt', value: (r) => r.lastUsedAt },
    { header: 'revokedAt', value: (r) => r.revokedAt },
    { header: 'proxies', value: (r) => r.proxies },
  ],
  pages: (ctx) => once(() => listProxyTokens(ctx)),
  audit: { action: 'table.export', targetType: 'proxy_tokens', filters: () => ({}) },
};

// ---- /audit ---------------------------------------------------------------------------------

type AuditInput = z.output<typeof auditFilterSchema>;
type AuditEntry = typeof auditLog.$inferSelect & Awaited<ReturnType<typeof nameAuditTargets>>[number];

const json = (v: unknown) => (v === null || v === undefined ? null : JSON.stringify(v));

const auditTable: CsvTable<AuditInput, AuditEntry> = {
  name: 'audit-log',
  permission: CSV_EXPORTS['audit-log'],
  input: auditFilterSchema,
  columns: [
    { header: 'id', value: (r) => r.id },
    { header: 'ts', value: (r) => r.ts },
    { header: 'actorEmail', value: (r) => r.actorEmail },
    { header: 'actorRole', value: (r) => r.actorRole },
    { header: 'action', value: (r) => r.action },
    { header: 'targetType', value: (r) => r.targetType },
    { header: 'targetId', value: (r) => r.targetId },
    { header: 'targets', value: (r) => joined(r.targets.map((t) => t.label ?? t.id)) + (r.moreTargets ? `;+${r.moreTargets} more` : '') },
    { header: 'reason', value: (r) => r.reason },
    { header: 'sourceIp', value: (r) => r.sourceIp },
    { header: 'requestId', value: (r) => r.requestId },
    { header: 'before', value: (r) => json(r.before) },
    { header: 'after', value: (r) => json(r.after) },
    { header: 'hash', value: (r) => r.hash },
    { header: 'prevHash', value: (r) => r.prevHash },
  ],
  // newest first by id, as the page; `cursor` of the input is where the file starts, as on the page
  pages: (ctx, input, { signal, pageSize }) =>
    keysetPages(
      async (after: number | null, limit) => {
        const page = await ctx.db.select().from(auditLog).where(auditWhere({ ...input, cursor: after ?? input.cursor })).orderBy(desc(auditLog.id)).limit(limit);
        const named = await nameAuditTargets(ctx.db, page, ctx.actor);
        return page.map((e, i) => ({ ...e, ...named[i] }));
      },
      (e) => e.id,
      pageSize,
      signal,
    ),
  span: (_ctx, i) => ({ from: i.from ?? null, to: i.to ?? null }),
  // reading the log is audited (audit.read); downloading it, so
  audit: {
    action: 'audit.export',
    targetType: 'audit_log',
    filters: (_ctx, { cursor: _c, limit: _l, from, to, ...f }) => ({ ...f, from: from?.toISOString() ?? null, to: to?.toISOString() ?? null }),
  },
};

// ---------------------------------------------------------------------------------------------

/** A table as the registry holds it: its input and row types are its own business. */
const erased = <I, R>(t: CsvTable<I, R>) => t as unknown as CsvTable<unknown, unknown>;

export const CSV_TABLES: Record<CsvExportName, CsvTable<unknown, unknown>> = {
  flows: erased(flows),
  'top-edges': erased(topEdges),
  'top-services': erased(topServices),
  'top-tokens': erased(topTokensTable),
  endpoints: erased(endpoints),
  'fleet-proxies': erased(fleetProxies),
  'fleet-tokens': erased(fleetTokens),
  'audit-log': erased(auditTable),
};

/** GET /api/export/<name>: the table's CSV download, or 404 JSON for a table that does not download. */
export function exportTableResponse(req: Request, name: string, deps: CsvDownloadDeps): Promise<Response> {
  if (!Object.hasOwn(CSV_TABLES, name)) return Promise.resolve(jsonError(404, `No table ${JSON.stringify(name.slice(0, 40))} downloads as CSV; these do: ${Object.keys(CSV_TABLES).join(', ')}`));
  return csvDownload(req, deps, CSV_TABLES[name as CsvExportName]);
}
