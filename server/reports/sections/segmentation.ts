// PCI DSS 1.x (network security controls) from what the mesh enforces: which services in scope
// have a whitelist in force, how much of their traffic an approved rule allows, and who
// approved and published each revision in the range.
import { sql } from 'drizzle-orm';
import type { StoredPolicyDocument } from '@/db/schema/policies';
import type { Ctx } from '@/server/context';
import { PolicyMatcher } from '@/server/policy/evaluate';
import type { PolicyDocument } from '@/server/policy/model';
import { rangeRows } from '@/server/traffic/rollup-query';
import { iso, num, pct, QueryLog } from '../query-log';
import { serviceInScope } from '../scope';
import type { Cell, Section, SectionParams } from '../types';
import { chartStep, rollupRange, stepLabel, stepStarts } from './range';

/** uncovered (caller, service, route) rows kept in the bundle, busiest first */
export const MAX_UNCOVERED_ROWS = 10_000;

interface RouteRow { step: number; src_service: string; dst_service: string; method: string; route: string; revision: number | null; requests: number }
interface RevisionRow {
  service: string; revision: number; sha256: string; document: StoredPolicyDocument; published_at: unknown; published_by: string | null;
  approved_by: string | null; approved_at: unknown; editors: string[] | string | null; rollback_of: number | null; reason: string | null; created_by: string;
}

const editorsOf = (v: RevisionRow['editors']): string[] => (Array.isArray(v) ? v : typeof v === 'string' ? v.replace(/^\{|\}$/g, '').split(',').filter(Boolean) : []);

export async function segmentationSection(ctx: Ctx, p: SectionParams): Promise<Section> {
  const q = new QueryLog(ctx.db);
  const range = rollupRange(p.from, p.to);
  const from = p.from.toISOString();
  const to = p.to.toISOString();
  const step = chartStep(p.from, p.to);

  const served = await q.rows<{ service: string; requests: number }>(
    'services in scope that served requests in the range, with their request counts (services_in_scope)',
    sql`select r.service, sum(r.requests)::float8 as requests from ${rangeRows('service', range)}
        where ${serviceInScope(sql`r.service`, p.scope)} group by r.service order by r.service`,
  );
  const published = await q.rows<RevisionRow>(
    'published revisions of services in scope, as of the end of the range (services_enforced: the newest per service)',
    sql`select service, revision, sha256, document, published_at, published_by, approved_by, approved_at, editors, rollback_of, reason, created_by
        from policy_revisions
        where state = 'published' and published_at < ${to}::timestamptz and ${serviceInScope(sql`service`, p.scope)}
        order by service, revision`,
  );
  const open = await q.rows<{ service: string; revision: number; state: string }>(
    'unpublished (shadow) revisions of services in scope written before the end of the range (services_shadow_only)',
    sql`select service, revision, state from policy_revisions
        where state in ('draft', 'approved') and created_at < ${to}::timestamptz and ${serviceInScope(sql`service`, p.scope)}
        order by service`,
  );
  const routes = await q.rows<RouteRow>(
    'requests per caller, service, method and route, with the revision in force at each bucket (requests_total, requests_covered, coverage_pct)',
    sql`select (extract(epoch from date_trunc(${step}, r.bucket at time zone 'UTC')) * 1000)::float8 as step,
          r.src_service, r.dst_service, r.method, r.route, pr.revision, sum(r.requests)::float8 as requests
        from ${rangeRows('edgeRoute', range)}
        left join lateral (
          select p.revision from policy_revisions p
          where p.service = r.dst_service and p.state = 'published' and p.published_at <= r.bucket
          order by p.revision desc limit 1
        ) pr on true
        where ${serviceInScope(sql`r.dst_service`, p.scope)}
        group by 1, 2, 3, 4, 5, 6`,
  );
  const history = await q.rows<RevisionRow>(
    'revisions published in the range, with approver and publisher (publishes_in_range)',
    sql`select service, revision, sha256, published_at, published_by, approved_by, approved_at, editors, rollback_of, reason, created_by
        from policy_revisions
        where state = 'published' and published_at >= ${from}::timestamptz and published_at < ${to}::timestamptz
          and ${serviceInScope(sql`service`, p.scope)}
        order by published_at, service`,
  );

  // One matcher per published revision; the deny list plays no part (rollups keep no actors).
  const matchers = new Map<string, PolicyMatcher | null>();
  const inForce = new Map<string, RevisionRow>();
  for (const r of published) {
    let m: PolicyMatcher | null = null;
    try {
      m = new PolicyMatcher({ ...(r.document as PolicyDocument), deny: [] }, p.to);
    } catch {
      m = null; // a document this console cannot read allows nothing here
    }
    matchers.set(`${r.service}\u0000${num(r.revision)}`, m);
    inForce.set(r.service, r); // ordered by revision: the last one wins
  }

  const perService = new Map<string, { requests: number; covered: number }>();
  const perStep = new Map<number, { requests: number; covered: number }>();
  const uncovered = new Map<string, { src: string; dst: string; method: string; route: string; requests: number; reason: string }>();
  let total = 0;
  let covered = 0;
  for (const r of routes) {
    const n = num(r.requests);
    const rev = r.revision === null ? null : num(r.revision);
    const m = rev === null ? null : matchers.get(`${r.dst_service}\u0000${rev}`) ?? null;
    const ok = m !== null && m.evaluate({ caller: r.src_service, method: r.method, path: r.route, tokenId: null, userId: null, clientIp: null }).decision === 'allow';
    total += n;
    const s = perService.get(r.dst_service) ?? { requests: 0, covered: 0 };
    s.requests += n;
    const st = perStep.get(num(r.step)) ?? { requests: 0, covered: 0 };
    st.requests += n;
    if (ok) {
      covered += n;
      s.covered += n;
      st.covered += n;
    } else {
      const key = [r.src_service, r.dst_service, r.method, r.route].join('\u0000');
      const u = uncovered.get(key) ?? { src: r.src_service, dst: r.dst_service, method: r.method, route: r.route, requests: 0, reason: '' };
      u.requests += n;
      u.reason = rev === null ? 'no whitelist in force' : 'not on the whitelist';
      uncovered.set(key, u);
    }
    perService.set(r.dst_service, s);
    perStep.set(num(r.step), st);
  }

  const openBy = new Map(open.map((o) => [o.service, o]));
  const services = [...new Set([...served.map((s) => s.service), ...inForce.keys(), ...openBy.keys()])].sort();
  const requestsOf = new Map(served.map((s) => [s.service, num(s.requests)]));
  const state = (s: string) => (inForce.has(s) ? 'enforced' : openBy.has(s) ? 'shadow (not published)' : 'no policy');
  const enforced = services.filter((s) => inForce.has(s));
  const shadow = services.filter((s) => !inForce.has(s) && openBy.has(s));
  const approvers = new Set(history.map((h) => h.approved_by).filter((a): a is string => !!a));

  const serviceRows: Cell[][] = services.map((s) => {
    const f = inForce.get(s);
    const c = perService.get(s) ?? { requests: 0, covered: 0 };
    return [s, state(s), f ? num(f.revision) : null, f ? iso(f.published_at) : null, f?.approved_by ?? null, requestsOf.get(s) ?? c.requests, c.covered, pct(c.covered, c.requests)];
  });
  const uncoveredRows = [...uncovered.values()].sort((a, b) => b.requests - a.requests || a.dst.localeCompare(b.dst)).slice(0, MAX_UNCOVERED_ROWS);
  const historyRows: Cell[][] = history.map((h) => {
    const editors = editorsOf(h.editors);
    const twoPerson = h.approved_by ? (editors.includes(h.approved_by) ? 'no' : 'yes') : 'no approver';
    return [h.service, num(h.revision), iso(h.published_at), h.published_by, h.approved_by, iso(h.approved_at), editors.join(' '), twoPerson, h.rollback_of === null ? null : num(h.rollback_of), h.sha256, h.reason];
  });

  const coverage = pct(covered, total);
  const figures = {
    services_in_scope: services.length,
    services_enforced: enforced.length,
    services_shadow_only: shadow.length,
    services_without_policy: services.length - enforced.length - shadow.length,
    requests_total: total,
    requests_covered: covered,
    coverage_pct: coverage,
    publishes_in_range: history.length,
    approvers_in_range: approvers.size,
  };
  const steps = stepStarts(p.from, p.to, step).map((t) => [t, perStep.get(t) ?? { requests: 0, covered: 0 }] as const);
  return {
    id: 'segmentation',
    title: 'Network segmentation: service whitelists',
    requirements: ['PCI DSS 1.2.1', 'PCI DSS 1.2.5', 'PCI DSS 1.3.1', 'PCI DSS 1.3.2'],
    figures,
    labels: {
      services_in_scope: 'Services in scope',
      services_enforced: 'Services with an enforced (published) whitelist',
      services_shadow_only: 'Services with only an unpublished (shadow) revision',
      services_without_policy: 'Services with no policy',
      requests_total: 'Requests to services in scope',
      requests_covered: 'Requests allowed by an approved rule',
      coverage_pct: 'Coverage (%)',
      publishes_in_range: 'Revisions published in the range',
      approvers_in_range: 'Distinct approvers of those revisions',
    },
    tables: [
      { name: 'services', title: 'Services in scope and their whitelist', columns: ['service', 'policy', 'revision in force', 'published at', 'approved by', 'requests', 'requests covered', 'coverage %'], rows: serviceRows },
      { name: 'uncovered_routes', title: 'Traffic no approved rule allows (busiest first)', columns: ['caller', 'service', 'method', 'route', 'requests', 'why'], rows: uncoveredRows.map((u) => [u.src, u.dst, u.method, u.route, u.requests, u.reason]) },
      { name: 'publish_history', title: 'Revisions published in the range', columns: ['service', 'revision', 'published at', 'published by', 'approved by', 'approved at', 'editors', 'two-person rule', 'rollback of', 'sha256', 'reason'], rows: historyRows },
    ],
    charts: [{
      title: `Requests per ${step} (UTC): all, and allowed by an approved rule`,
      points: steps.map(([t, v]) => ({ label: stepLabel(t, step), value: v.requests, value2: v.covered })),
      legend: ['all requests', 'allowed by an approved rule'],
    }],
    queries: q.texts,
    statement:
      `Of ${services.length} services in scope, ${enforced.length} had a published whitelist in force at the end of the period` +
      (shadow.length ? `, ${shadow.length} had only an unpublished (shadow) revision` : '') +
      `, and ${services.length - enforced.length - shadow.length} had no policy. ` +
      `${coverage}% of the ${total} requests to services in scope (${covered}) matched an approved allow rule of the revision in force. ` +
      `${history.length} revisions were published in the period, approved by ${approvers.size} distinct approvers` +
      (historyRows.some((r) => r[7] !== 'yes') ? '; some were not approved by a second person (see the publish history).' : '.'),
    definitions: [
      'A service is in scope when it served requests in the period or has a policy, and matches the report scope. Its clusters are those of the proxies registered for it.',
      'Enforced: the service has a published revision with published_at before the end of the period (the newest one is in force). Shadow: it has only draft or approved revisions.',
      'Coverage: requests (hourly and per-minute rollups per caller, method and coarse route) whose caller, method and route the allow rules of the revision in force at the start of their rollup bucket accept, over all requests to services in scope. The coarse route stands for the path (id-like segments read as one path segment); the deny list of mitigated actors is not applied, as rollups keep no actors.',
      'Two-person rule: the approver is not among the editors of the revision.',
    ],
  };
}
