// GET /api/export/<table> (app/api/export/[table]/route.ts), through the handler it delegates to,
// with real session records: only reading the Auth.js cookie is left out. Each file is compared
// with what the table's own tRPC procedure answers for the same input.
import { asc, eq, inArray } from 'drizzle-orm';
import superjson from 'superjson';
import { expect, it } from 'vitest';
import { auditLog, endpoints, proxies, proxyTokens } from '@/db/schema';
import { CSV_EXPORTS, csvExportHref, type CsvExportName } from '@/lib/csv-exports';
import type { Role } from '@/lib/enums';
import { audited } from '@/server/audit/append';
import type { SessionRef } from '@/server/auth/actor';
import { startSession } from '@/server/auth/sessions';
import type { Actor } from '@/server/context';
import { createProxyToken } from '@/server/fleet/tokens';
import { createCaller } from '@/server/routers';
import { parseCsv } from '@/server/testing/csv';
import { actor, ctxFor, describeEachEngine, seedAccounts, type Harness } from '@/server/testing/db';
import { insertRollups } from '@/server/traffic/rollup-fixture';
import type { TrpcContext } from '@/server/trpc';
import { exportTableResponse } from './tables';

const NOW = new Date('2026-11-23T12:34:56Z');
const range = { preset: '1h' as const };
const HOSTILE_SVC = '=cmd|"/c calc"!A1,x';

const ROLES: Role[] = ['viewer', 'analyst', 'admin', 'auditor'];
const who = (role: Role): Actor => actor(role);

/** A cell as the export writes a value (csvText's neutralising included). */
function cell(v: unknown): string {
  if (v === null || v === undefined) return '';
  if (v instanceof Date) return v.toISOString();
  if (typeof v === 'string') return /^[=+\-@\t\r]/.test(v) ? `'${v}` : v;
  return String(v);
}

describeEachEngine('GET /api/export/<table>', (h) => {
  async function signIn(a: Actor): Promise<SessionRef> {
    await seedAccounts(h.db, a);
    const sessionId = await startSession({ db: h.db, now: () => NOW }, { userId: a.id, provider: 'credentials', maxAgeS: 3600, userAgent: null, ip: null });
    return { userId: a.id, sessionId, signedInAtMs: NOW.getTime() };
  }

  const get = (name: string, ref: SessionRef | null, input?: unknown, headers: Record<string, string> = { 'sec-fetch-site': 'same-origin' }, pageSize?: number) =>
    exportTableResponse(
      new Request(`http://localhost:3000${csvExportHref(name as CsvExportName, input)}`, { headers: { 'x-request-id': 'req-export', ...headers } }),
      name,
      { db: h.db, session: async () => ref, now: () => NOW, pageSize },
    );

  const api = (role: Role) => createCaller({ ...ctxFor(h.db, who(role), { now: () => NOW }), sameOrigin: true } satisfies TrpcContext);

  async function csvOf(res: Response): Promise<string[][]> {
    expect(res.status, await res.clone().text().catch(() => '')).toBe(200);
    return parseCsv(await res.text());
  }

  const exportsAudited = () =>
    h.db.select().from(auditLog).where(inArray(auditLog.action, ['table.export', 'audit.export'])).orderBy(asc(auditLog.id));

  async function seedTraffic() {
    await insertRollups(h.db, [
      { at: '2026-11-23T12:10:00Z', src: 'web/gateway', dst: 'shop/cart', tokenId: 'tok_a', n: 9, durationMs: 12, sensitive: [{ class: 'email', direction: 'response', count: 2 }] },
      { at: '2026-11-23T12:11:00Z', src: 'web/gateway', dst: 'shop/cart', n: 1, status: 502, durationMs: 900 },
      { at: '2026-11-23T12:12:00Z', src: HOSTILE_SVC, dst: 'shop/pay', tokenId: '@tok_b', n: 3, durationMs: 40, sensitive: [{ class: 'card_number', direction: 'request', count: 1 }, { class: 'email', direction: 'request', count: 1 }] },
      { at: '2026-11-23T12:13:00Z', src: 'shop/cart', dst: 'shop/pay', n: 4, durationMs: 20, sensitive: [{ class: 'card_number', direction: 'response', count: 5 }] },
      // outside the hour: in no file of `range`
      { at: '2026-11-23T09:00:00Z', src: 'old/svc', dst: 'shop/cart', tokenId: 'tok_old', n: 2, sensitive: [{ class: 'email', direction: 'request', count: 1 }] },
    ]);
  }

  it('answer 401 without a session, 403 to roles without the permission (auditor included), 404 for no such table, before any byte', async () => {
    for (const name of Object.keys(CSV_EXPORTS)) {
      const none = await get(name, null);
      expect(none.status, name).toBe(401);
      expect(await none.json()).toEqual({ error: 'Sign in to continue' });
    }
    const refs = Object.fromEntries(await Promise.all(ROLES.map(async (r) => [r, await signIn(who(r))] as const))) as Record<Role, SessionRef>;
    const allowed: Record<CsvExportName, Role[]> = {
      flows: ['analyst', 'admin'], 'top-edges': ['analyst', 'admin'], 'top-services': ['analyst', 'admin'], 'top-tokens': ['analyst', 'admin'],
      endpoints: ['analyst', 'admin'], 'fleet-proxies': ['analyst', 'admin'], 'fleet-tokens': ['analyst', 'admin'], 'audit-log': ['admin', 'auditor'],
    };
    for (const [name, roles] of Object.entries(allowed)) {
      for (const role of ROLES) {
        const input = name === 'fleet-tokens' || name === 'fleet-proxies' || name === 'audit-log' || name === 'endpoints' ? undefined : { range };
        const res = await get(name, refs[role], input);
        expect(res.status, `${name} as ${role}`).toBe(roles.includes(role) ? 200 : 403);
        if (res.status === 403) {
          expect(res.headers.get('content-disposition')).toBeNull();
          expect(((await res.json()) as { error: string }).error).toMatch(/^This needs the /);
        } else {
          expect(res.headers.get('content-type')).toBe('text/csv; charset=utf-8; header=present');
          await res.text();
        }
      }
    }
    // a download another site started is refused as the search export's is
    const foreign = await get('flows', refs.analyst, { range }, { 'sec-fetch-site': 'cross-site' });
    expect(foreign.status).toBe(403);
    const unknown = await get('passwords', refs.admin);
    expect(unknown.status).toBe(404);
    expect(((await unknown.json()) as { error: string }).error).toMatch(/^No table "passwords" downloads as CSV; these do: flows, /);
    // each successful download audited once, the refused ones not at all
    const entries = await exportsAudited();
    expect(entries).toHaveLength(Object.values(allowed).flat().length);
  });

  it('answer 400 JSON for input to fix, naming the field, before any byte of the file', async () => {
    const ref = await signIn(who('admin'));
    const cases: Array<[string, string, RegExp]> = [
      ['flows', superjson.stringify({ range: { preset: '2y' } }), /^range/],
      ['flows', superjson.stringify({ range, sort: 'password' }), /^sort: /],
      ['endpoints', superjson.stringify({ state: 'deleted' }), /^state: /],
      ['fleet-proxies', superjson.stringify({ health: 'great' }), /^health: /],
      ['audit-log', JSON.stringify({ json: { from: '2026-01-01' } }), /^from: /],
      ['audit-log', '{not json', /^input must be the view's query, as JSON/],
      ['fleet-tokens', superjson.stringify({ secret: true }), /secret/],
    ];
    for (const [name, raw, message] of cases) {
      const res = await exportTableResponse(
        new Request(`http://localhost:3000/api/export/${name}?input=${encodeURIComponent(raw)}`, { headers: { 'sec-fetch-site': 'same-origin' } }),
        name, { db: h.db, session: async () => ref, now: () => NOW },
      );
      expect(res.status, `${name} ${raw}`).toBe(400);
      expect(res.headers.get('content-disposition')).toBeNull();
      expect(((await res.json()) as { error: string }).error).toMatch(message);
    }
    expect(await exportsAudited()).toEqual([]);
  });

  it('flows: the /data table with its class filter, sort and range, every page, as flows answers it; audited', async () => {
    await seedTraffic();
    const ref = await signIn(who('analyst'));
    const input = { range, class: 'card_number', sort: 'matches' as const, dir: 'asc' as const, page: 0, pageSize: 25 };
    const res = await get('flows', ref, input);
    expect(Object.fromEntries(res.headers)).toMatchObject({
      'content-disposition': 'attachment; filename="meshward-flows-20261123T113400Z-20261123T123500Z.csv"',
      'cache-control': 'no-store',
      'x-content-type-options': 'nosniff',
    });
    const file = await csvOf(res);
    const { rows, total } = await api('viewer').dataflow.flows(input);
    expect(total).toBe(2);
    expect(file).toEqual([
      ['src', 'dst', 'class', 'direction', 'matches', 'events'],
      ...rows.map((r) => [cell(r.src), r.dst, r.class, r.direction, cell(r.matches), cell(r.events)]),
    ]);
    expect(file[1]).toEqual([`'${HOSTILE_SVC}`, 'shop/pay', 'card_number', 'request', '3', '3']);
    expect(file[2][0]).toBe('shop/cart');

    // no filter: every flow of the hour, not the one outside it
    const all = await csvOf(await get('flows', ref, { range }));
    expect(all.length - 1).toBe((await api('viewer').dataflow.flows({ range })).total);
    expect(all.some((r) => r[0] === 'old/svc')).toBe(false);

    const [entry, second] = await exportsAudited();
    expect(entry).toMatchObject({ action: 'table.export', targetType: 'sensitive_flows', actorId: who('analyst').id, requestId: 'req-export' });
    expect(entry.after).toEqual({
      table: 'flows',
      filters: { range: { preset: '1h', resolvedFrom: '2026-11-23T11:34:00.000Z', resolvedTo: '2026-11-23T12:35:00.000Z' }, class: 'card_number', sort: 'matches', dir: 'asc' },
      rows: 2,
      complete: true,
    });
    expect(second.after).toMatchObject({ rows: all.length - 1, complete: true });
  });

  it('top edges, services and tokens: the overview rankings of the range, whole (the page shows the first few)', async () => {
    await seedTraffic();
    const ref = await signIn(who('admin'));
    const talkers = await api('viewer').overview.topTalkers({ range, limit: 50 });
    const tokens = await api('viewer').overview.topTokens({ range, limit: 50 });

    const edges = await csvOf(await get('top-edges', ref, { range, limit: 1 }));
    expect(edges).toEqual([
      ['src', 'dst', 'requests', 'errors', 'clientErrors', 'errorRate', 'bytes', 'p95'],
      ...talkers.edges.map((e) => [cell(e.src), e.dst, cell(e.requests), cell(e.errors), cell(e.clientErrors), cell(e.errorRate), cell(e.bytes), cell(e.p95)]),
    ]);
    expect(edges).toHaveLength(4);

    const services = await csvOf(await get('top-services', ref, { range, limit: 8 }));
    expect(services).toEqual([
      ['service', 'requests', 'errors', 'clientErrors', 'errorRate', 'bytes', 'p95'],
      ...talkers.services.map((s) => [s.service, cell(s.requests), cell(s.errors), cell(s.clientErrors), cell(s.errorRate), cell(s.bytes), cell(s.p95)]),
    ]);

    const toks = await csvOf(await get('top-tokens', ref, { range, limit: 7 }));
    expect(toks).toEqual([
      ['tokenId', 'classes', 'matches', 'events', 'requests'],
      ...tokens.map((t) => [cell(t.tokenId), t.classes.join(';'), cell(t.matches), cell(t.events), cell(t.requests)]),
    ]);
    expect(toks.map((r) => r[0])).toEqual(['tokenId', 'tok_a', "'@tok_b"]);

    const entries = await exportsAudited();
    expect(entries.map((e) => [e.targetType, (e.after as { rows: number }).rows])).toEqual([['top_edges', 3], ['top_services', 2], ['top_tokens', 2]]);
  });

  it('endpoints: the /apis list with its filters, all pages, as apis.list answers it', async () => {
    const base = { method: 'GET', state: 'learned' as const, createdAt: new Date('2026-11-20T00:00:00Z') };
    await h.db.insert(endpoints).values([
      { ...base, id: 'ep_1', service: 'shop/users', template: '/users/{id}', templateKey: '/users/{}', params: [{ name: 'id', type: 'integer', examples: [] }], sensitive: [{ class: 'email', field: 'email', location: 'response' } as never], callers: { 'web/gateway': 3 }, calls: 3 },
      { ...base, id: 'ep_2', service: 'shop/users', template: '/users', templateKey: '/users', state: 'approved', reviewedBy: 'ana@example.test', reviewedAt: NOW },
      { ...base, id: 'ep_3', service: 'shop/users', method: 'POST', template: '=HYPERLINK("x"),evil', templateKey: '=evil' },
      { ...base, id: 'ep_4', service: 'shop/cart', template: '/cart', templateKey: '/cart' },
    ]);
    const ref = await signIn(who('analyst'));
    const input = { service: 'shop/users', offset: 50, limit: 1 };
    const file = await csvOf(await get('endpoints', ref, input));
    const listed = await api('viewer').apis.list({ service: 'shop/users', limit: 200 });
    expect(listed.total).toBe(3);
    expect(file[0]).toEqual(['id', 'service', 'method', 'template', 'state', 'changed', 'changedReason', 'changedAt', 'origin', 'params', 'sensitiveClasses', 'callers', 'calls', 'firstSeenAt', 'lastSeenAt', 'createdAt', 'reviewedBy', 'reviewedAt']);
    expect(file.slice(1)).toEqual(listed.rows.map((r) => [
      r.id, r.service, r.method, cell(r.template), r.state, String(r.changed), cell(r.changedReason), cell(r.changedAt), r.origin,
      r.params.map((p) => `${p.name}:${p.type}`).join(';'), r.sensitiveClasses.join(';'), cell(r.callers), cell(r.calls),
      cell(r.firstSeenAt), cell(r.lastSeenAt), cell(r.createdAt), cell(r.reviewedBy), cell(r.reviewedAt),
    ]));
    expect(file.find((r) => r[0] === 'ep_3')?.[3]).toBe('\'=HYPERLINK("x"),evil');

    const approved = await csvOf(await get('endpoints', ref, { state: 'approved' }));
    expect(approved.slice(1).map((r) => r[0])).toEqual(['ep_2']);
    const [entry] = await exportsAudited();
    expect(entry).toMatchObject({ action: 'table.export', targetType: 'endpoints' });
    expect(entry.after).toMatchObject({ filters: { service: 'shop/users', sinceField: 'created', since: null }, rows: 3, complete: true });
  });

  it('fleet: proxies with the page\'s filters and sort, all pages; tokens without any secret', async () => {
    const admin = who('admin');
    await seedAccounts(h.db, admin);
    const ctx = ctxFor(h.db, admin, { now: () => NOW });
    const created = await createProxyToken(ctx, { name: 'eu-1 cluster', services: ['*'] });
    const token = created.token;
    const [row] = await h.db.select({ id: proxyTokens.id }).from(proxyTokens);
    const minutesAgo = (m: number) => new Date(NOW.getTime() - m * 60_000);
    await h.db.insert(proxies).values([
      { id: 'p-a', tokenId: row.id, service: 'shop/cart', cluster: 'eu-1', version: '1.4.2', firstSeenAt: minutesAgo(60), lastSeenAt: minutesAgo(1) },
      { id: 'p-b', tokenId: row.id, service: 'shop/pay', cluster: 'eu-1', version: '1.10.0', firstSeenAt: minutesAgo(60), lastSeenAt: minutesAgo(2) },
      { id: 'p-c', tokenId: row.id, service: 'shop/users', cluster: 'us-1', version: '1.4.2', firstSeenAt: minutesAgo(60), lastSeenAt: minutesAgo(30) },
    ]);
    const ref = await signIn(who('analyst'));
    const input = { cluster: 'eu-1', sort: 'version' as const, dir: 'desc' as const, page: 3, pageSize: 25 as const };
    const file = await csvOf(await get('fleet-proxies', ref, input));
    const listed = await api('viewer').fleet.proxies({ ...input, page: 0 });
    expect(file[0]).toEqual(['id', 'service', 'cluster', 'node', 'version', 'policyRevision', 'rollout', 'silent', 'intervalS', 'eventsPerMin', 'firstSeenAt', 'lastSeenAt', 'lastHeartbeatAt', 'lastEventAt', 'tokenName', 'tokenRevoked']);
    expect(file.slice(1)).toEqual(listed.rows.map((r) => [
      r.id, cell(r.service), cell(r.cluster), cell(r.node), cell(r.version), cell(r.policyRevision), r.rollout, String(r.silent), cell(r.intervalS), cell(r.eventsPerMin),
      cell(r.firstSeenAt), cell(r.lastSeenAt), cell(r.lastHeartbeatAt), cell(r.lastEventAt), cell(r.tokenName), String(r.tokenRevoked),
    ]));
    expect(file.slice(1).map((r) => r[0])).toEqual(['p-b', 'p-a']);
    expect((await csvOf(await get('fleet-proxies', ref))).length).toBe(4);

    const tokens = await get('fleet-tokens', ref);
    const text = await tokens.clone().text();
    const tfile = await csvOf(tokens);
    const [listedToken] = await api('viewer').fleet.tokens();
    expect(tfile).toEqual([
      ['id', 'name', 'prefix', 'status', 'services', 'createdAt', 'createdBy', 'lastUsedAt', 'revokedAt', 'proxies'],
      [listedToken.id, 'eu-1 cluster', listedToken.prefix, 'active', '*', cell(listedToken.createdAt), cell(listedToken.createdBy), '', '', '3'],
    ]);
    // the token's value was shown once, at creation: it is in no file (nor its hash)
    expect(token.length).toBeGreaterThan(20);
    expect(text).not.toContain(token);
    const [stored] = await h.db.select().from(proxyTokens);
    for (const [k, v] of Object.entries(stored)) if (/hash/i.test(k) && typeof v === 'string') expect(text).not.toContain(v);

    const entries = await exportsAudited();
    expect(entries.map((e) => e.targetType)).toEqual(['proxies', 'proxies', 'proxy_tokens']);
    expect(entries[0].after).toEqual({ table: 'fleet-proxies', filters: { cluster: 'eu-1', sort: 'version', dir: 'desc' }, rows: 2, complete: true });
  });

  it('audit log: for admins and auditors, with the page\'s filters, targets named, every entry; the download itself audited', async () => {
    const admin = who('admin');
    const auditor = who('auditor');
    const ctx = ctxFor(h.db, admin, { now: () => NOW });
    await seedAccounts(h.db, admin);
    await createProxyToken(ctx, { name: 'eu-1', services: ['*'] });
    for (let i = 0; i < 5; i++) {
      await audited(ctx, async (_tx, audit) => audit({ action: 'test.thing', targetType: 'thing', targetId: `t${i}`, reason: i === 2 ? '=cmd|"x",\r\nnext' : null, after: { i } }));
    }
    const ref = await signIn(auditor);
    const input = { action: 'test.', limit: 2, from: new Date('2026-01-01T00:00:00Z') };
    const res = await get('audit-log', ref, input);
    expect(res.headers.get('content-disposition')).toBe('attachment; filename="meshward-audit-log-20260101T000000Z-20261123T123456Z.csv"');
    const file = await csvOf(res);
    const page = await api('auditor').audit.list({ ...input, limit: 200 });
    expect(file[0]).toEqual(['id', 'ts', 'actorEmail', 'actorRole', 'action', 'targetType', 'targetId', 'targets', 'reason', 'sourceIp', 'requestId', 'before', 'after', 'hash', 'prevHash']);
    expect(file.slice(1)).toEqual(page.items.map((e) => [
      String(e.id), cell(e.ts), cell(e.actorEmail), cell(e.actorRole), e.action, e.targetType, cell(e.targetId), e.targets.map((t) => t.label ?? t.id).join(';'),
      cell(e.reason), cell(e.sourceIp), cell(e.requestId), e.before === null ? '' : JSON.stringify(e.before), JSON.stringify(e.after), e.hash, e.prevHash,
    ]));
    expect(file.slice(1).map((r) => r[6])).toEqual(['t4', 't3', 't2', 't1', 't0']);
    expect(file.find((r) => r[6] === 't2')?.[8]).toBe('\'=cmd|"x",\r\nnext');

    // unfiltered: the token's creation too, its target named
    const all = await csvOf(await get('audit-log', await signIn(admin)));
    const creation = all.find((r) => r[4] === 'proxy_token.create');
    expect(creation?.[7]).toBe('eu-1');

    const exportsOfLog = await h.db.select().from(auditLog).where(eq(auditLog.action, 'audit.export')).orderBy(asc(auditLog.id));
    expect(exportsOfLog.map((e) => [e.actorId, e.targetType])).toEqual([[auditor.id, 'audit_log'], [admin.id, 'audit_log']]);
    expect(exportsOfLog[0].after).toEqual({
      table: 'audit-log',
      filters: { action: 'test.', from: '2026-01-01T00:00:00.000Z', to: null },
      rows: 5,
      complete: true,
    });
    // the admin's file was read before its own entry was written: the auditor's download is in it
    expect(all.filter((r) => r[4] === 'audit.export').map((r) => r[2])).toEqual([auditor.email]);
  });

  it('reads large tables in pages: the same file whatever the page size (a page past the end, an exact multiple)', async () => {
    await seedTraffic();
    const admin = who('admin');
    await seedAccounts(h.db, admin);
    const ctx = ctxFor(h.db, admin, { now: () => NOW });
    for (let i = 0; i < 5; i++) await audited(ctx, async (_tx, audit) => audit({ action: 'test.thing', targetType: 'thing', targetId: `t${i}` }));
    const at = new Date(NOW.getTime() - 60_000);
    await h.db.insert(proxies).values(['p-1', 'p-2', 'p-3', 'p-4'].map((id) => ({ id, tokenId: 'pt_1', service: 'shop/cart', firstSeenAt: at, lastSeenAt: at })));
    await h.db.insert(endpoints).values(['/a', '/b', '/c', '/d', '/e'].map((t, i) => ({ id: `ep_${i}`, service: 'shop/x', method: 'GET', template: t, templateKey: t })));
    const ref = await signIn(admin);
    const cases: Array<[CsvExportName, unknown, number]> = [
      ['flows', { range, sort: 'edge', dir: 'desc' }, 4],
      ['endpoints', { service: 'shop/x' }, 5],
      ['fleet-proxies', { sort: 'name', dir: 'desc' }, 4],
      ['audit-log', { action: 'test.' }, 5],
    ];
    for (const [name, input, rows] of cases) {
      const whole = await (await get(name, ref, input)).text();
      expect(parseCsv(whole), name).toHaveLength(rows + 1);
      for (const size of [1, 2, 4]) expect(await (await get(name, ref, input, undefined, size)).text(), `${name} by ${size}`).toBe(whole);
    }
    const entries = await exportsAudited();
    expect(entries).toHaveLength(16);
    expect(entries.every((e) => (e.after as { complete: boolean }).complete)).toBe(true);
  });

  it('a download the client cancels stops reading and is audited as incomplete', async () => {
    await seedTraffic();
    const res = await get('flows', await signIn(who('analyst')), { range });
    const reader = res.body!.getReader();
    const first = await reader.read();
    expect(new TextDecoder().decode(first.value)).toMatch(/^src,dst,class,direction,matches,events\r\n/);
    await reader.cancel();
    const [entry] = await exportsAudited();
    expect(entry.after).toMatchObject({ table: 'flows', complete: false });
  });
});
