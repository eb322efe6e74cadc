// Writes what the learner found for one service into the endpoint table: the reconcile plan
// (reconcile.ts) applied in one transaction, serialised per service so that two consoles
// never interleave their writes. Learned structure (parameters, query, schema, sensitive
// fields) is replaced by the learner's latest view; counters are added (stats-delta.ts).
import { sql } from 'drizzle-orm';
import { rows, type Db } from '@/db/client';
import type { EndpointParam, EndpointSensitiveField, StatusMix } from '@/db/schema/endpoints';
import type { EndpointState } from '@/lib/enums';
import { newId } from '@/server/ids';
import { log } from '@/server/log';
import { markSensitive, type ShapeSchema } from './json-shape';
import type { Endpoint } from './merge-tree';
import { planReconcile } from './reconcile';
import { addCallers, addMix, type StatsBaseline, type StatsDelta } from './stats-delta';
import { formatTemplate, parseTemplate, templateKey } from './template';

interface StoredRow {
  id: string;
  method: string;
  template: string;
  state: EndpointState;
  origin: 'learned' | 'manual';
  params: EndpointParam[];
  routes: string[];
  calls: number;
  status_mix: StatusMix;
  callers: Record<string, number>;
  sensitive: EndpointSensitiveField[];
}

/** The route the rollups used for this template's requests before it was learned (server/rollups/route.ts). */
export function coarseAlias(template: string): string {
  return formatTemplate(parseTemplate(template).map((s) => (s.kind === 'literal' ? s : { ...s, name: 'id' })));
}

export const statsKey = (service: string, method: string, template: string) => `${service} ${method} ${templateKey(template)}`;

function computeSchema(e: Endpoint): ShapeSchema | null {
  const schema = e.stats.shape?.schema() ?? null;
  if (!schema) return null;
  for (const f of e.stats.sensitive.values()) if (f.path) markSensitive(schema, f.path, f.class);
  return schema;
}

function sensitiveOf(e: Endpoint, before: EndpointSensitiveField[] = []): EndpointSensitiveField[] {
  const out = new Map<string, EndpointSensitiveField>();
  for (const f of before) out.set(`${f.direction} ${f.class} ${f.path}`, f);
  for (const f of e.stats.sensitive.values()) {
    const k = `${f.direction} ${f.class} ${f.path}`;
    const cur = out.get(k);
    out.set(k, { class: f.class, direction: f.direction, path: f.path, count: Math.max(cur?.count ?? 0, f.count) });
  }
  return [...out.values()].sort((a, b) => b.count - a.count || a.class.localeCompare(b.class)).slice(0, 64);
}

/** The learner's parameters, under the names the stored endpoint has (an analyst may have renamed them). */
function paramsOf(e: Endpoint, stored: EndpointParam[] | null): EndpointParam[] {
  return e.params.map((p, i) => {
    const examples = [...new Set([...(stored?.[i]?.examples ?? []), ...p.examples])].slice(0, 3);
    return { name: stored?.[i]?.name ?? p.name, type: p.type, examples };
  });
}

/**
 * Where in `v` a string PostgreSQL cannot store sits (a NUL, which text and jsonb refuse, or a
 * lone surrogate, which jsonb refuses), as a path for the log; null when it all can be stored.
 */
export function unstorableAt(v: unknown, at = '$'): string | null {
  if (typeof v === 'string') return v.includes('\u0000') || !v.isWellFormed() ? at : null;
  if (typeof v !== 'object' || v === null) return null;
  if (Array.isArray(v)) {
    for (let i = 0; i < v.length; i++) {
      const bad = unstorableAt(v[i], `${at}[${i}]`);
      if (bad) return bad;
    }
    return null;
  }
  for (const [k, x] of Object.entries(v)) {
    if (k.includes('\u0000') || !k.isWellFormed()) return `${at} (a key)`;
    const bad = unstorableAt(x, `${at}.${k}`);
    if (bad) return bad;
  }
  return null;
}

/** What is written for a learned endpoint, checked before the transaction: one bad value must not fail the service's whole write. */
function unstorable(e: Endpoint, schema: ShapeSchema | null): string | null {
  return unstorableAt({
    method: e.method, template: e.template, params: e.params, evidence: e.evidence, query: e.query, schema,
    sensitive: [...e.stats.sensitive.values()], callers: [...e.stats.callers.keys()],
  });
}

const succeeded = (e: Endpoint) => e.stats.statusClasses[0] + e.stats.statusClasses[1] + e.stats.statusClasses[2] > 0;
const iso = (ms: number) => (ms > 0 ? new Date(ms).toISOString() : null);
const SERVICE_LOCK = 7_420_010;

export interface PersistResult {
  created: number;
  updated: number;
  removed: number;
  flagged: number;
  /** learned endpoints left out because they hold what the database cannot store */
  skipped: number;
  /** the stats keys written, for the baseline once committed */
  written: [string, Endpoint][];
}

export async function persistService(db: Db, service: string, all: Endpoint[], baseline: StatsBaseline, now: Date): Promise<PersistResult> {
  const schemas = new Map<Endpoint, ShapeSchema | null>();
  const learned: Endpoint[] = [];
  let skipped = 0;
  for (const e of all) {
    const schema = computeSchema(e);
    const bad = unstorable(e, schema);
    if (bad) {
      skipped++;
      // the template itself may be what is bad: logged as JSON, cut short
      log.warn({ service, method: e.method, template: JSON.stringify(e.template).slice(0, 200), at: bad }, 'discovery left out an endpoint it cannot store');
      continue;
    }
    schemas.set(e, schema);
    learned.push(e);
  }
  const schemaOf = (e: Endpoint) => schemas.get(e) ?? null;
  return db.transaction(async (tx) => {
    await tx.execute(sql`select pg_advisory_xact_lock(${SERVICE_LOCK}, hashtext(${service}))`);
    const stored = await rows<StoredRow>(
      tx,
      sql`select id, method, template, state, origin, params, routes, calls, status_mix, callers, sensitive
          from endpoints where service = ${service}`,
    );
    const byId = new Map(stored.map((s) => [s.id, s]));
    // A template that never answered with success is not an API yet: scanners' probes (403,
    // 405) and wrong guesses stay out of the inventory until a real call succeeds.
    const known = new Set(stored.map((s) => `${s.method} ${templateKey(s.template)}`));
    const evident = learned.filter((e) => succeeded(e) || known.has(`${e.method} ${templateKey(e.template)}`));
    const plan = planReconcile(stored, evident);
    const nowIso = now.toISOString();
    const written: [string, Endpoint][] = [];
    const deltaOf = (e: Endpoint): StatsDelta => {
      const k = statsKey(service, e.method, e.template);
      written.push([k, e]);
      return baseline.delta(k, e.stats);
    };

    // Updates and absorbed templates: the learner's structure, counters added.
    const updates = new Map<string, Record<string, unknown>>();
    const counters = (id: string, d: StatsDelta, e: Endpoint) => {
      const s = byId.get(id)!;
      const cur = updates.get(id);
      const base = (cur as { calls?: number; status_mix?: StatusMix; callers?: Record<string, number> } | undefined) ?? s;
      return {
        calls: Number(base.calls ?? 0) + d.calls,
        status_mix: addMix((base.status_mix ?? {}) as StatusMix, d.statusMix),
        callers: addCallers((base.callers ?? {}) as Record<string, number>, d.callers),
        first_seen_at: iso(e.stats.firstSeen),
        last_seen_at: iso(e.stats.lastSeen),
      };
    };
    for (const { id, learned: e } of plan.update) {
      const s = byId.get(id)!;
      const d = deltaOf(e);
      updates.set(id, {
        id,
        ...counters(id, d, e),
        params: paramsOf(e, s.params),
        evidence: e.evidence ?? null,
        query_params: e.query,
        body_schema: schemaOf(e),
        sensitive: sensitiveOf(e, s.sensitive),
      });
    }
    for (const { id, learned: e } of plan.absorb) {
      const d = deltaOf(e);
      const cur = updates.get(id);
      updates.set(id, { ...(cur ?? { id }), ...counters(id, d, e), sensitive: sensitiveOf(e, (cur?.sensitive as EndpointSensitiveField[]) ?? byId.get(id)!.sensitive) });
    }
    if (updates.size > 0) {
      await tx.execute(sql`
        update endpoints e set
          calls = u.calls, status_mix = u.status_mix, callers = u.callers,
          first_seen_at = least(e.first_seen_at, u.first_seen_at),
          last_seen_at = greatest(e.last_seen_at, u.last_seen_at),
          params = coalesce(u.params, e.params), evidence = coalesce(u.evidence, e.evidence),
          query_params = coalesce(u.query_params, e.query_params),
          body_schema = coalesce(u.body_schema, e.body_schema),
          sensitive = coalesce(u.sensitive, e.sensitive),
          updated_at = ${nowIso}::timestamptz
        from jsonb_to_recordset(${JSON.stringify([...updates.values()])}::jsonb) as u(
          id text, calls bigint, status_mix jsonb, callers jsonb, first_seen_at timestamptz, last_seen_at timestamptz,
          params jsonb, evidence jsonb, query_params jsonb, body_schema jsonb, sensitive jsonb)
        where e.id = u.id`);
    }

    if (plan.create.length > 0) {
      const inserts = plan.create.map(({ learned: e, replaces }) => {
        const d = deltaOf(e);
        const routes = new Set([e.template, coarseAlias(e.template)]);
        // what the replaced endpoints counted carries over to the one that takes their traffic
        let { calls, statusMix, callers } = d;
        for (const id of replaces) {
          const r = byId.get(id)!;
          for (const x of r.routes) routes.add(x);
          calls += Number(r.calls);
          statusMix = addMix(statusMix, r.status_mix);
          callers = addCallers(callers, r.callers);
        }
        return {
          id: newId('ep'),
          method: e.method,
          template: e.template,
          template_key: templateKey(e.template),
          params: paramsOf(e, null),
          evidence: e.evidence ?? null,
          query_params: e.query,
          body_schema: schemaOf(e),
          sensitive: sensitiveOf(e),
          status_mix: statusMix,
          callers,
          routes: [...routes],
          calls,
          first_seen_at: iso(e.stats.firstSeen),
          last_seen_at: iso(e.stats.lastSeen),
        };
      });
      await tx.execute(sql`
        insert into endpoints (id, service, method, template, template_key, params, evidence, query_params, body_schema, sensitive,
          status_mix, callers, routes, calls, first_seen_at, last_seen_at, created_at, updated_at)
        select id, ${service}, method, template, template_key, params, evidence, query_params, body_schema, sensitive,
          status_mix, callers, array(select jsonb_array_elements_text(routes)), calls, first_seen_at, last_seen_at,
          ${nowIso}::timestamptz, ${nowIso}::timestamptz
        from jsonb_to_recordset(${JSON.stringify(inserts)}::jsonb) as x(
          id text, method text, template text, template_key text, params jsonb, evidence jsonb, query_params jsonb, body_schema jsonb,
          sensitive jsonb, status_mix jsonb, callers jsonb, routes jsonb, calls bigint, first_seen_at timestamptz, last_seen_at timestamptz)
        on conflict (service, method, template_key) do nothing`);
    }
    if (plan.remove.length > 0) {
      await tx.execute(sql`delete from endpoints where id in (select jsonb_array_elements_text(${JSON.stringify(plan.remove)}::jsonb))`);
    }
    if (plan.flag.length > 0) {
      await tx.execute(sql`
        update endpoints e set changed = true, changed_reason = f.reason, changed_at = ${nowIso}::timestamptz, updated_at = ${nowIso}::timestamptz
        from jsonb_to_recordset(${JSON.stringify(plan.flag)}::jsonb) as f(id text, reason text)
        where e.id = f.id`);
    }
    return { created: plan.create.length, updated: plan.update.length + plan.absorb.length, removed: plan.remove.length, flagged: plan.flag.length, skipped, written };
  });
}
