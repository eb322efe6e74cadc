import { Validator } from '@seriousme/openapi-schema-validator';
import { eq } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import { auditLog, endpoints } from '@/db/schema';
import { verifyAuditChain } from '@/server/audit/verify';
import { listAudit } from '@/server/audit/list';
import { actor, ctxFor, describeEachEngine, type Harness } from '@/server/testing/db';
import { EndpointStats } from './endpoint-stats';
import type { Endpoint } from './merge-tree';
import { exportOpenApi } from './openapi';
import { mergedTemplate } from './merge-template';
import { mergeEndpoints, renameParam, reviewEndpoints, splitEndpoint } from './review';
import { StatsBaseline } from './stats-delta';
import { persistService } from './store';
import { templateKey } from './template';

const SERVICE = 'shop/users';

async function seed(h: Harness, template: string, over: Partial<typeof endpoints.$inferInsert> = {}) {
  const id = `ep_${template.replace(/\W+/g, '_')}_${over.method ?? 'GET'}`;
  await h.db.insert(endpoints).values({
    id, service: SERVICE, method: 'GET', template, templateKey: templateKey(template), routes: [template],
    params: [...template.matchAll(/\{(\w+)\}/g)].map((m) => ({ name: m[1], type: 'integer' as const, examples: ['1*'] })),
    statusMix: { '2xx': 10 }, calls: 10, callers: { 'shop/web': 10 }, ...over,
  });
  return id;
}

function learned(template: string, count = 5): Endpoint {
  const stats = new EndpointStats();
  for (let i = 0; i < count; i++) stats.add({ service: SERVICE, method: 'GET', path: template, status: 200, caller: 'shop/web' }, [], []);
  return { service: SERVICE, method: 'GET', template, count, params: [], query: [], stats };
}

const analyst = (h: Harness) => ctxFor(h.db, actor('analyst'));
const auditOf = (h: Harness, action: string) => h.db.select().from(auditLog).where(eq(auditLog.action, action)).orderBy(auditLog.id);

describe('mergedTemplate', () => {
  it('keeps literals where all agree, names the rest from the templates or the parent', () => {
    expect(mergedTemplate(['/users/alice', '/users/bob'])).toBe('/users/{user_id}');
    expect(mergedTemplate(['/users/{owner}/repos', '/users/me/repos'])).toBe('/users/{owner}/repos');
    expect(mergedTemplate(['/files/{id}.json', '/files/a.json'])).toBe('/files/{id}');
    expect(mergedTemplate(['/files/{id}.json', '/files/{x}.json'])).toBe('/files/{id}.json');
    expect(() => mergedTemplate(['/a/b', '/a/b/c'])).toThrow(/same number of segments/);
  });
});

describeEachEngine('endpoint review', (h) => {
  it('approves in bulk with a reason, one audit entry naming every endpoint, and clears the changed flag', async () => {
    const a = await seed(h, '/users/{user_id}', { changed: true, changedReason: 'split' });
    const b = await seed(h, '/users/me');
    const r = await reviewEndpoints(analyst(h), { ids: [a, b, a], decision: 'approve', reason: 'matches the users API' });
    expect(r).toEqual({ updated: 2, state: 'approved' });
    const rows = await h.db.select().from(endpoints).orderBy(endpoints.template);
    expect(rows.map((e) => [e.template, e.state, e.changed, e.reviewedBy, e.reviewReason])).toEqual([
      ['/users/me', 'approved', false, 'analyst@example.test', 'matches the users API'],
      ['/users/{user_id}', 'approved', false, 'analyst@example.test', 'matches the users API'],
    ]);
    const entries = await auditOf(h, 'endpoint.approve');
    expect(entries).toHaveLength(1);
    expect(entries[0]).toMatchObject({ targetId: null, actorRole: 'analyst', reason: 'matches the users API' });
    expect((entries[0].after as { targets: string[] }).targets.sort()).toEqual([a, b].sort());
    expect((entries[0].before as { id: string; state: string }[]).map((e) => e.state)).toEqual(['learned', 'learned']);
    // the audit search finds the entry by either endpoint
    for (const id of [a, b]) expect((await listAudit(ctxFor(h.db, actor('admin')), { targetId: id, action: 'endpoint.' })).items.map((e) => e.id)).toEqual([entries[0].id]);
    expect((await verifyAuditChain({ db: h.db })).ok).toBe(true);
    await expect(reviewEndpoints(analyst(h), { ids: ['ep_nope'], decision: 'reject', reason: 'noise' })).rejects.toMatchObject({ code: 'NOT_FOUND' });
  });

  it('renames a parameter: same endpoint, new template and route, old route kept for its history', async () => {
    const id = await seed(h, '/users/{user_id}/cars/{car_id}', { state: 'approved' });
    const r = await renameParam(analyst(h), { id, from: 'user_id', to: 'owner' });
    expect(r.template).toBe('/users/{owner}/cars/{car_id}');
    const [e] = await h.db.select().from(endpoints).where(eq(endpoints.id, id));
    expect(e).toMatchObject({ state: 'approved', templateKey: '/users/{}/cars/{}', routes: ['/users/{owner}/cars/{car_id}', '/users/{user_id}/cars/{car_id}'] });
    expect(e.params.map((p) => p.name)).toEqual(['owner', 'car_id']);
    expect((await auditOf(h, 'endpoint.rename_param'))[0]).toMatchObject({ targetId: id, before: { param: 'user_id' }, after: { param: 'owner' } });
    await expect(renameParam(analyst(h), { id, from: 'nope', to: 'x' })).rejects.toMatchObject({ code: 'BAD_REQUEST' });
    await expect(renameParam(analyst(h), { id, from: 'owner', to: 'car_id' })).rejects.toMatchObject({ code: 'CONFLICT' });
  });

  it('merges endpoints into one unreviewed manual endpoint that sums them; the learner then folds narrower finds into it', async () => {
    const a = await seed(h, '/users/alice', { state: 'approved' });
    const b = await seed(h, '/users/bob');
    const r = await mergeEndpoints(analyst(h), { ids: [a, b], reason: 'user names are values' });
    expect(r.template).toBe('/users/{user_id}');
    const rows = await h.db.select().from(endpoints);
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({ id: r.id, state: 'learned', origin: 'manual', calls: 20, callers: { 'shop/web': 20 }, routes: expect.arrayContaining(['/users/alice', '/users/bob', '/users/{user_id}']) });
    const [merge] = await auditOf(h, 'endpoint.merge');
    expect((merge.after as { targets: string[] }).targets.sort()).toEqual([a, b].sort());

    const res = await persistService(h.db, SERVICE, [learned('/users/carol', 3)], new StatsBaseline(), new Date());
    expect(res).toMatchObject({ created: 0, updated: 1 });
    const [m] = await h.db.select().from(endpoints);
    expect(m).toMatchObject({ id: r.id, calls: 23 });
    await expect(mergeEndpoints(analyst(h), { ids: [r.id, 'ep_nope'], reason: 'x y z' })).rejects.toMatchObject({ code: 'NOT_FOUND' });
  });

  it('refuses merging across methods or into a template that exists already', async () => {
    const a = await seed(h, '/users/alice');
    const p = await seed(h, '/users/bob', { method: 'POST' });
    await expect(mergeEndpoints(analyst(h), { ids: [a, p], reason: 'not the same' })).rejects.toMatchObject({ code: 'BAD_REQUEST' });
    const b = await seed(h, '/users/bob');
    await seed(h, '/users/{user_id}');
    await expect(mergeEndpoints(analyst(h), { ids: [a, b], reason: 'already there' })).rejects.toMatchObject({ code: 'CONFLICT', message: expect.stringContaining('exists already') });
  });

  it('splits a value out into an endpoint of its own; the original keeps its review', async () => {
    const id = await seed(h, '/users/{user_id}', { state: 'approved' });
    const r = await splitEndpoint(analyst(h), { id, param: 'user_id', value: 'me', reason: 'the signed-in user' });
    expect(r.template).toBe('/users/me');
    const rows = await h.db.select().from(endpoints).orderBy(endpoints.template);
    expect(rows.map((e) => [e.template, e.state, e.origin])).toEqual([['/users/me', 'learned', 'manual'], ['/users/{user_id}', 'approved', 'learned']]);
    await expect(splitEndpoint(analyst(h), { id, param: 'user_id', value: 'me', reason: 'again' })).rejects.toMatchObject({ code: 'CONFLICT' });
    expect((await auditOf(h, 'endpoint.split'))[0]).toMatchObject({ targetId: id, after: { template: '/users/me' } });
  });

  it('new evidence that merges an approved endpoint keeps it approved and flags it changed', async () => {
    const approved = await seed(h, '/users/alice', { state: 'approved' });
    const unreviewed = await seed(h, '/users/bob');
    const res = await persistService(h.db, SERVICE, [learned('/users/{user_id}')], new StatsBaseline(), new Date());
    expect(res).toMatchObject({ created: 1, removed: 1, flagged: 1 });
    const rows = await h.db.select().from(endpoints).orderBy(endpoints.template);
    expect(rows.map((e) => [e.template, e.state, e.changed])).toEqual([['/users/alice', 'approved', true], ['/users/{user_id}', 'learned', false]]);
    expect(rows[0].changedReason).toBe('new evidence merges it into GET /users/{user_id}');
    expect(rows.some((e) => e.id === unreviewed)).toBe(false);
    expect(rows[1]).toMatchObject({ calls: 15, routes: expect.arrayContaining(['/users/bob']) });
    expect(rows[0].id).toBe(approved);
  });

  it('exports OpenAPI 3.1 per service that a real validator accepts: approved only, or all', async () => {
    await seed(h, '/users/{user_id}', {
      state: 'approved',
      queryParams: [{ name: 'fields', count: 3, type: 'string' }],
      bodySchema: { type: 'object', properties: { email: { type: 'string', 'x-meshward-sensitive': ['email'] } } },
      sensitive: [{ class: 'email', direction: 'response', path: '$.email', count: 4 }],
      statusMix: { '2xx': 8, '4xx': 2 },
    });
    await seed(h, '/users/{id}', { method: 'DELETE', state: 'approved', calls: 2 });
    await seed(h, '/files/{file_id}.json');
    await seed(h, '/noise', { state: 'rejected' });
    const approved = await exportOpenApi(analyst(h), { service: SERVICE, scope: 'approved' });
    const all = await exportOpenApi(analyst(h), { service: SERVICE, scope: 'all' });
    for (const doc of [approved.document, all.document]) {
      const res = await new Validator().validate(JSON.parse(JSON.stringify(doc)));
      expect(res.errors ?? []).toEqual([]);
      expect(res.valid).toBe(true);
    }
    expect(approved.endpointCount).toBe(2);
    // one spelling per path: DELETE /users/{id} joins /users/{user_id}
    expect(Object.keys(approved.document.paths)).toEqual(['/users/{user_id}']);
    const get = (approved.document.paths['/users/{user_id}'] as Record<string, { parameters: { name: string; in: string }[]; responses: Record<string, unknown> }>).get;
    expect(get.parameters.map((p) => `${p.in}:${p.name}`)).toEqual(['path:user_id', 'query:fields']);
    expect(Object.keys(get.responses)).toEqual(['2XX', '4XX']);
    expect(all.endpointCount).toBe(3);
    expect(Object.keys(all.document.paths).sort()).toEqual(['/files/{file_id}.json', '/users/{user_id}']);
  });
});
