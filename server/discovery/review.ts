// Analysts' decisions on learned endpoints: approve, reject or reopen in bulk, rename a
// parameter, merge templates, split a value out into an endpoint of its own. Each writes an
// audit entry per endpoint it touches, in the transaction that makes the change. Merged and
// split endpoints are `manual`: the learner never replaces them, and a merged endpoint starts
// unreviewed, since it accepts more than what was approved.
import { and, eq, inArray } from 'drizzle-orm';
import type { Db } from '@/db/client';
import { endpoints, type EndpointParam } from '@/db/schema/endpoints';
import type { EndpointState } from '@/lib/enums';
import { audited } from '@/server/audit/append';
import type { Ctx } from '@/server/context';
import { DomainError } from '@/server/errors';
import { newId } from '@/server/ids';
import { mergedTemplate } from './merge-template';
import type { MergeInput, RenameInput, ReviewInput, SplitInput } from './schemas';
import { coarseAlias } from './store';
import { covers, formatTemplate, paramNames, parseTemplate, templateKey } from './template';
import { addCallers, addMix } from './stats-delta';

type Stored = typeof endpoints.$inferSelect;
const STATE_OF: Record<ReviewInput['decision'], EndpointState> = { approve: 'approved', reject: 'rejected', reset: 'learned' };
const brief = (e: Stored) => ({ id: e.id, service: e.service, method: e.method, template: e.template, state: e.state, changed: e.changed });
/** A decision on many endpoints is one audit entry naming them all in `after.targets` (the audit search finds it by any of them). */
const oneTarget = (found: Stored[]) => (found.length === 1 ? found[0].id : null);


async function lockRows(db: Db, ids: string[]): Promise<Stored[]> {
  const found = await db.select().from(endpoints).where(inArray(endpoints.id, ids)).for('update');
  const missing = ids.filter((id) => !found.some((e) => e.id === id));
  if (missing.length) throw new DomainError('NOT_FOUND', `No such endpoint: ${missing.slice(0, 3).join(', ')} (it may have been merged or replaced by newer evidence; reload)`);
  return found;
}

export async function reviewEndpoints(ctx: Ctx, input: ReviewInput) {
  const state = STATE_OF[input.decision];
  const ids = [...new Set(input.ids)];
  return audited(ctx, async (db, audit) => {
    const found = await lockRows(db, ids);
    const now = ctx.now();
    await db
      .update(endpoints)
      .set({ state, changed: false, changedReason: null, reviewedBy: ctx.actor?.email ?? null, reviewedAt: now, reviewReason: input.reason, updatedAt: now })
      .where(inArray(endpoints.id, ids));
    audit({
      action: `endpoint.${input.decision}`,
      targetType: 'endpoint',
      targetId: oneTarget(found),
      before: found.map(brief),
      after: { targets: found.map((e) => e.id), state, changed: false },
      reason: input.reason,
    });
    return { updated: found.length, state };
  });
}

export async function renameParam(ctx: Ctx, input: RenameInput) {
  return audited(ctx, async (db, audit) => {
    const [e] = await lockRows(db, [input.id]);
    const segs = parseTemplate(e.template);
    const names = paramNames(segs);
    if (!names.includes(input.from)) throw new DomainError('BAD_REQUEST', `${e.template} has no parameter {${input.from}}`);
    if (input.to === input.from) return { template: e.template };
    if (names.includes(input.to)) throw new DomainError('CONFLICT', `${e.template} already has a parameter {${input.to}}`);
    const renamed = formatTemplate(segs.map((s) => (s.kind !== 'literal' && s.name === input.from ? { ...s, name: input.to } : s)));
    const params: EndpointParam[] = e.params.map((p) => (p.name === input.from ? { ...p, name: input.to } : p));
    // the segment evidence is by position, not by name: it stays as it is
    // the new template is the route of its traffic from now on; the old one still names its history
    const routes = [renamed, ...e.routes.filter((r) => r !== renamed)];
    await db.update(endpoints).set({ template: renamed, params, routes, updatedAt: ctx.now() }).where(eq(endpoints.id, e.id));
    audit({
      action: 'endpoint.rename_param',
      targetType: 'endpoint',
      targetId: e.id,
      before: { template: e.template, param: input.from },
      after: { template: renamed, param: input.to },
      reason: input.reason ?? null,
    });
    return { template: renamed };
  });
}

/** The narrowest template covering all of `templates`; a person's mistake is a BAD_REQUEST. */
function mergedOrRefused(templates: string[]): string {
  try {
    return mergedTemplate(templates);
  } catch (e) {
    throw new DomainError('BAD_REQUEST', (e as Error).message);
  }
}

export async function mergeEndpoints(ctx: Ctx, input: MergeInput) {
  const ids = [...new Set(input.ids)];
  if (ids.length < 2) throw new DomainError('BAD_REQUEST', 'Pick at least two endpoints to merge');
  return audited(ctx, async (db, audit) => {
    const found = await lockRows(db, ids);
    const { service, method } = found[0];
    if (found.some((e) => e.service !== service || e.method !== method)) throw new DomainError('BAD_REQUEST', 'Only endpoints of one service and method can be merged');
    const template = mergedOrRefused(found.map((e) => e.template));
    const key = templateKey(template);
    const [clash] = await db.select({ id: endpoints.id }).from(endpoints)
      .where(and(eq(endpoints.service, service), eq(endpoints.method, method), eq(endpoints.templateKey, key)));
    if (clash && !ids.includes(clash.id)) throw new DomainError('CONFLICT', `${method} ${template} exists already: include it in the merge`);
    const segs = parseTemplate(template);
    const routes = new Set([template, coarseAlias(template)]);
    let calls = 0;
    let statusMix = {};
    let callers: Record<string, number> = {};
    const sensitive = new Map<string, Stored['sensitive'][number]>();
    let first: Date | null = null;
    let last: Date | null = null;
    for (const e of found) {
      for (const r of e.routes) routes.add(r);
      calls += Number(e.calls);
      statusMix = addMix(statusMix, e.statusMix);
      callers = addCallers(callers, e.callers);
      for (const f of e.sensitive) sensitive.set(`${f.direction} ${f.class} ${f.path}`, f);
      if (e.firstSeenAt && (!first || e.firstSeenAt < first)) first = e.firstSeenAt;
      if (e.lastSeenAt && (!last || e.lastSeenAt > last)) last = e.lastSeenAt;
    }
    const params = segs.flatMap((s, i): EndpointParam[] => {
      if (s.kind === 'literal') return [];
      const examples = new Set<string>();
      let type: EndpointParam['type'] | null = null;
      for (const e of found) {
        const seg = parseTemplate(e.template)[i];
        const p = seg.kind === 'literal' ? null : e.params.find((x) => x.name === seg.name);
        if (p) p.examples.forEach((x) => examples.add(x));
        const t = p?.type ?? 'string';
        type = type === null || type === t ? t : 'string';
      }
      return [{ name: s.name, type: type ?? 'string', examples: [...examples].slice(0, 3) }];
    });
    const now = ctx.now();
    await db.delete(endpoints).where(inArray(endpoints.id, ids));
    const merged = {
      id: newId('ep'), service, method, template, templateKey: key, state: 'learned' as const, origin: 'manual' as const,
      // an analyst's template: no learner evidence says why its segments are what they are
      params, evidence: null, routes: [...routes], calls, statusMix, callers, sensitive: [...sensitive.values()],
      firstSeenAt: first, lastSeenAt: last, createdAt: now, updatedAt: now,
    };
    await db.insert(endpoints).values(merged);
    audit({
      action: 'endpoint.merge', targetType: 'endpoint', targetId: oneTarget(found),
      before: found.map(brief), after: { targets: found.map((e) => e.id), mergedInto: merged.id, service, method, template, state: 'learned' }, reason: input.reason,
    });
    return { id: merged.id, template };
  });
}

export async function splitEndpoint(ctx: Ctx, input: SplitInput) {
  return audited(ctx, async (db, audit) => {
    const [e] = await lockRows(db, [input.id]);
    const segs = parseTemplate(e.template);
    const at = segs.findIndex((s) => s.kind !== 'literal' && s.name === input.param);
    if (at === -1) throw new DomainError('BAD_REQUEST', `${e.template} has no parameter {${input.param}}`);
    const seg = segs[at];
    const literal = seg.kind === 'mixed' ? `${seg.prefix}${input.value}${seg.suffix}` : input.value;
    const split = formatTemplate(segs.map((s, i) => (i === at ? { kind: 'literal', text: literal } : s)));
    if (!covers(segs, parseTemplate(split))) throw new DomainError('BAD_REQUEST', `${input.value} is not a value of {${input.param}}`);
    const key = templateKey(split);
    const [clash] = await db.select({ id: endpoints.id }).from(endpoints)
      .where(and(eq(endpoints.service, e.service), eq(endpoints.method, e.method), eq(endpoints.templateKey, key)));
    if (clash) throw new DomainError('CONFLICT', `${e.method} ${split} exists already`);
    const now = ctx.now();
    const created = {
      id: newId('ep'), service: e.service, method: e.method, template: split, templateKey: key, state: 'learned' as const, origin: 'manual' as const,
      params: e.params.filter((p) => p.name !== input.param), evidence: null, routes: [split], createdAt: now, updatedAt: now,
    };
    await db.insert(endpoints).values(created);
    await db.update(endpoints).set({ updatedAt: now }).where(eq(endpoints.id, e.id));
    audit({
      action: 'endpoint.split', targetType: 'endpoint', targetId: e.id,
      before: brief(e), after: { splitOut: created.id, template: split, state: 'learned' }, reason: input.reason,
    });
    return { id: created.id, template: split };
  });
}

