// GET /api/search/export (app/api/search/export/route.ts), through the handler it delegates to,
// with a real session record: only reading the Auth.js cookie (shared with tRPC) is left out.
import { asc, eq } from 'drizzle-orm';
import { expect, it } from 'vitest';
import { auditLog, sessions } from '@/db/schema';
import type { SessionRef } from '@/server/auth/actor';
import { startSession } from '@/server/auth/sessions';
import type { Actor } from '@/server/context';
import { event, ingest, principal } from '@/server/rollups/test-events';
import { describeEachEngine, seedAccounts, type Harness } from '@/server/testing/db';
import { exportResponse } from './export';

const T = Date.UTC(2026, 0, 15, 12);
const HOUR = 3_600_000;
const FROM = new Date(T).toISOString();
const TO = new Date(T + HOUR).toISOString();

const ana: Actor = { id: 'usr_ana', email: 'ana@example.test', role: 'analyst' };
const vic: Actor = { id: 'usr_vic', email: 'vic@example.test', role: 'viewer' };
const aud: Actor = { id: 'usr_aud', email: 'aud@example.test', role: 'auditor' };

async function signIn(h: Harness, who: Actor): Promise<SessionRef> {
  await seedAccounts(h.db, who);
  const sessionId = await startSession({ db: h.db, now: () => new Date() }, { userId: who.id, provider: 'credentials', maxAgeS: 3600, userAgent: null, ip: null });
  return { userId: who.id, sessionId, signedInAtMs: Date.now() };
}

function url(params: Record<string, string>): string {
  return `http://localhost:3000/api/search/export?${new URLSearchParams(params).toString()}`;
}

describeEachEngine('GET /api/search/export', (h) => {
  const get = (ref: SessionRef | null, params: Record<string, string>, init: RequestInit = {}) =>
    exportResponse(new Request(url(params), { headers: { 'sec-fetch-site': 'same-origin', 'x-request-id': 'req-export' }, ...init }), {
      db: h.db,
      session: async () => ref,
      pageSize: 4,
    });
  const exports = () => h.db.select().from(auditLog).where(eq(auditLog.action, 'search.export')).orderBy(asc(auditLog.id));

  async function seed() {
    const events = Array.from({ length: 10 }, (_, i) => event(T + i * 1000, `r${i}`, { path: i === 3 ? '=cmd|"/c calc"!A1' : `/api/users/${i}` }));
    await ingest(h.db, [{ events, principal }], T + HOUR);
  }

  it('answers 401 JSON without a session, or with one that was ended', async () => {
    const none = await get(null, { from: FROM, to: TO });
    expect(none.status).toBe(401);
    expect(none.headers.get('content-type')).toMatch(/^application\/json/);
    expect(await none.json()).toEqual({ error: 'Sign in to continue' });

    const ref = await signIn(h, ana);
    await h.db.update(sessions).set({ revokedAt: new Date() }).where(eq(sessions.id, ref.sessionId));
    expect((await get(ref, { from: FROM, to: TO })).status).toBe(401);
    expect(await exports()).toEqual([]);
  });

  it('answers 403 JSON to a viewer and an auditor (exports are the analyst\'s), and to a request another site started', async () => {
    const viewer = await get(await signIn(h, vic), { from: FROM, to: TO });
    expect(viewer.status).toBe(403);
    expect(await viewer.json()).toEqual({ error: 'This needs the analyst or admin role' });
    const auditor = await get(await signIn(h, aud), { from: FROM, to: TO });
    expect(auditor.status).toBe(403);

    const ref = await signIn(h, ana);
    const foreign = await exportResponse(new Request(url({ from: FROM, to: TO }), { headers: { 'sec-fetch-site': 'cross-site' } }), { db: h.db, session: async () => ref });
    expect(foreign.status).toBe(403);
    expect(await exports()).toEqual([]);
  });

  it('answers 400 JSON with the column for a query to fix, and 400 for bad parameters, before any byte of the file', async () => {
    const ref = await signIn(h, ana);
    const bad = await get(ref, { q: 'status:500 AND (', from: FROM, to: TO });
    expect(bad.status).toBe(400);
    expect(bad.headers.get('content-disposition')).toBeNull();
    expect(await bad.json()).toEqual({ error: expect.stringMatching(/^col 17: /), column: 17 });

    const cases: [Record<string, string>, RegExp][] = [
      [{ from: FROM }, /^to must be a time in ISO 8601/],
      [{ from: 'yesterday', to: TO }, /^from must be a time/],
      [{ from: TO, to: FROM }, /start before it ends/],
      [{ from: FROM, to: TO, format: 'xlsx' }, /^format must be csv or ndjson/],
      [{ from: FROM, to: TO, columns: 'ts,password' }, /^columns: no column "password"/],
      [{ from: FROM, to: TO, q: 'x'.repeat(4001) }, /^q: /],
    ];
    for (const [params, message] of cases) {
      const res = await get(ref, params);
      expect(res.status, JSON.stringify(params).slice(0, 60)).toBe(400);
      expect(((await res.json()) as { error: string }).error).toMatch(message);
    }
    expect(await exports()).toEqual([]);
  });

  it('streams the CSV download with its headers, and audits it', async () => {
    await seed();
    const res = await get(await signIn(h, ana), { q: 'service:shop/users', from: FROM, to: TO, columns: 'requestId,path,status' });
    expect(res.status).toBe(200);
    expect(Object.fromEntries(res.headers)).toMatchObject({
      'content-type': 'text/csv; charset=utf-8; header=present',
      'content-disposition': 'attachment; filename="meshward-search-20260115T120000Z-20260115T130000Z.csv"',
      'cache-control': 'no-store',
    });
    const text = await res.text();
    expect(text.split('\r\n')).toEqual([
      'requestId,path,status', 'r9,/api/users/9,200', 'r8,/api/users/8,200', 'r7,/api/users/7,200', 'r6,/api/users/6,200', 'r5,/api/users/5,200',
      'r4,/api/users/4,200', 'r3,"\'=cmd|""/c calc""!A1",200', 'r2,/api/users/2,200', 'r1,/api/users/1,200', 'r0,/api/users/0,200', '',
    ]);
    const [entry] = await exports();
    expect(entry).toMatchObject({ actorId: ana.id, requestId: 'req-export' });
    expect(entry.after).toEqual({ query: 'service:shop/users', from: FROM, to: TO, format: 'csv', columns: ['requestId', 'path', 'status'], rows: 10, complete: true });
  });

  it('streams NDJSON', async () => {
    await seed();
    const res = await get(await signIn(h, ana), { from: FROM, to: TO, format: 'ndjson' });
    expect(res.headers.get('content-type')).toBe('application/x-ndjson; charset=utf-8');
    expect(res.headers.get('content-disposition')).toMatch(/\.ndjson"$/);
    const lines = (await res.text()).trimEnd().split('\n').map((l) => JSON.parse(l) as { requestId: string; key?: string });
    expect(lines.map((l) => l.requestId)).toEqual(['r9', 'r8', 'r7', 'r6', 'r5', 'r4', 'r3', 'r2', 'r1', 'r0']);
    expect(lines[0].key).toBeUndefined();
  });

  it('reads a page only when the client takes one, and records complete: false when the download is cancelled', async () => {
    await seed();
    const res = await get(await signIn(h, ana), { from: FROM, to: TO, columns: 'requestId' });
    const reader = res.body!.getReader();
    const first = new TextDecoder().decode((await reader.read()).value);
    expect(first).toBe('requestId\r\nr9\r\nr8\r\nr7\r\nr6\r\n');
    await reader.cancel();
    const entries = await exports();
    expect(entries.map((e) => e.after)).toMatchObject([{ complete: false }]);
    // the page handed out, and at most the one read ahead for the stream's buffer
    expect((entries[0].after as { rows: number }).rows).toBeGreaterThanOrEqual(4);
    expect((entries[0].after as { rows: number }).rows).toBeLessThanOrEqual(8);
  });

  it('stops and records complete: false when the request is aborted', async () => {
    await seed();
    const abort = new AbortController();
    const res = await get(await signIn(h, ana), { from: FROM, to: TO, format: 'ndjson' }, { signal: abort.signal });
    const reader = res.body!.getReader();
    await reader.read();
    abort.abort();
    // the stream ends rather than reading on
    for (let r = await reader.read(); !r.done; r = await reader.read());
    await expect.poll(async () => (await exports()).map((e) => e.after)).toMatchObject([{ complete: false }]);
  });
});
