import { desc } from 'drizzle-orm';
import { afterEach, beforeEach, expect, it } from 'vitest';
import type { Database } from '@/db/client';
import { auditLog, proxies } from '@/db/schema';
import { recordHeartbeat } from '@/server/fleet/heartbeat';
import { createProxyToken } from '@/server/fleet/tokens';
import { handleBundle, handleSigningKey } from '@/server/policy/http';
import { verifyBundle } from '@/server/policy/signing';
import type { Runtime } from '@/server/runtime';
import { actor, ctxFor, describeEachEngine, type Harness } from '@/server/testing/db';
import { testRuntime } from '@/server/testing/runtime';
import { classifierSetSchema, DEFAULT_CLASSIFIER_SET, type ClassifierSet } from './model';
import { classifierHistory, currentClassifiers, NEWEST_REVISION_TTL_MS, newestClassifierRevision, publishClassifiers, republishClassifiers } from './revisions';

const admin = actor('admin');
const redactCards: ClassifierSet = {
  ...DEFAULT_CLASSIFIER_SET,
  custom: [{ name: 'employee_id', pattern: 'EMP-[0-9]{6}', validator: 'none', jsonPathHints: [], ignoreCase: false }],
  rules: [
    { class: 'credit_card', direction: 'response', action: 'redact', services: ['shop/*'], exceptCallers: ['shop/billing'] },
    { class: 'employee_id', direction: 'both', action: 'report', services: ['hr/*'], exceptCallers: [] },
  ],
};
const lastAudit = async (h: Harness) => (await h.db.select().from(auditLog).orderBy(desc(auditLog.id)).limit(1))[0];

describeEachEngine('classifier sets', (h) => {
  const ctx = () => ctxFor(h.db, admin);

  it('starts at the built-in revision 0; a publication is the next revision, audited, based on the one in force', async () => {
    expect(await currentClassifiers(h.db)).toMatchObject({ revision: 0, document: DEFAULT_CLASSIFIER_SET, publishedBy: null });
    const r1 = await publishClassifiers(ctx(), { document: redactCards, basedOn: 0, reason: 'redact cards to the shop' });
    expect(r1).toMatchObject({ revision: 1, publishedBy: admin.email, reason: 'redact cards to the shop' });
    expect(await lastAudit(h)).toMatchObject({ action: 'classifiers.publish', targetId: '1', reason: 'redact cards to the shop', before: { revision: 0 }, after: { revision: 1 } });
    // a second admin who started from revision 0 does not overwrite it
    await expect(publishClassifiers(ctx(), { document: DEFAULT_CLASSIFIER_SET, basedOn: 0, reason: 'stale' })).rejects.toMatchObject({ code: 'CONFLICT', message: expect.stringMatching(/Revision 1 was published by .* since you started from 0/) });
    const r2 = await publishClassifiers(ctx(), { document: DEFAULT_CLASSIFIER_SET, basedOn: 1, reason: 'back to reporting only' });
    const r3 = await republishClassifiers(ctx(), { revision: 1, basedOn: 2, reason: 'redaction again' });
    expect(r3).toMatchObject({ revision: 3, republishOf: 1, document: r1.document, sha256: r1.sha256 });
    expect(r2.sha256).not.toBe(r1.sha256);
    const history = await classifierHistory(ctx(), { offset: 0, limit: 2 });
    expect(history.rows.map((r) => r.revision)).toEqual([3, 2]);
    expect(history.total).toBe(4);
    expect((await classifierHistory(ctx(), { offset: 2, limit: 2 })).rows.map((r) => r.revision)).toEqual([1, 0]);
    await expect(republishClassifiers(ctx(), { revision: 9, basedOn: 3, reason: 'x' + 'yz' })).rejects.toMatchObject({ code: 'NOT_FOUND' });
  });

  it('shares the newest revision number among long polls for a moment, then reads it again', async () => {
    const t = 1_000_000;
    const first = newestClassifierRevision(h.db, t);
    expect(newestClassifierRevision(h.db, t + 500)).toBe(first);
    const before = await first;
    await publishClassifiers(ctx(), { document: redactCards, basedOn: before, reason: 'a new revision while proxies wait' });
    expect(await newestClassifierRevision(h.db, t + NEWEST_REVISION_TTL_MS - 1)).toBe(before);
    expect(await newestClassifierRevision(h.db, t + NEWEST_REVISION_TTL_MS)).toBe(before + 1);
  });

  it('refuses sets a proxy could not run, naming what is wrong', () => {
    const bad = (over: Partial<ClassifierSet>) => {
      const r = classifierSetSchema.safeParse({ ...DEFAULT_CLASSIFIER_SET, ...over });
      return r.success ? null : r.error.issues.map((i) => i.message).join('; ');
    };
    expect(bad({})).toBeNull();
    expect(bad({ custom: [{ name: 'pan', pattern: '[0-9]+', validator: 'luhn', jsonPathHints: [], ignoreCase: false }] })).toMatch(/Custom class 1 \("pan"\): .*unbounded repetition/);
    expect(bad({ custom: [{ name: 'credit_card', pattern: 'x{1,3}', validator: 'none', jsonPathHints: [], ignoreCase: false }] })).toMatch(/Custom class 1/);
    expect(bad({ rules: [{ class: 'nope', direction: 'response', action: 'redact', services: ['*'], exceptCallers: [] }] })).toMatch(/Rule 1: class "nope" is neither/);
    expect(bad({ builtins: ['email'], rules: [{ class: 'credit_card', direction: 'response', action: 'block', services: ['*'], exceptCallers: [] }] })).toMatch(/Rule 1/);
    expect(bad({ rules: [{ class: 'email', direction: 'response', action: 'redact', services: ['shop\nx'], exceptCallers: [] }] })).toMatch(/service pattern/);
    expect(bad({ rules: [{ class: 'email', direction: 'response', action: 'redact', services: ['*'], exceptCallers: ['a b'] }] })).toMatch(/Each caller is/);
    expect(bad({ maxBodyBytes: 10 })).not.toBeNull();
  });
});

describeEachEngine('classifier bundles', (h) => {
  let rt: Runtime;
  let token: string;
  const get = (path: string, headers: Record<string, string> = {}) => handleBundle(new Request(`http://console/api/fleet/v1/bundles/${path}`, { headers: { authorization: `Bearer ${token}`, ...headers } }), rt);

  beforeEach(async () => {
    rt = testRuntime(h.database as Database);
    token = (await createProxyToken(ctxFor(h.db, admin), { name: 'edge', services: ['shop/*'] })).token;
  });
  afterEach(() => rt.shutdown());

  it('serves the set in force signed, with only the service’s rules; 304 to the same ETag; the heartbeat records what was applied', async () => {
    const none = await get('shop/orders?format=classifiers');
    expect(none.status).toBe(404);
    expect(await none.json()).toEqual({ error: expect.stringContaining('built-in classes (revision 0)') });

    await publishClassifiers(ctxFor(h.db, admin), { document: redactCards, basedOn: 0, reason: 'redact cards' });
    const first = await get('shop/orders?format=classifiers');
    expect(first.status).toBe(200);
    const b1 = await first.json();
    expect(b1).toMatchObject({ service: 'shop/orders', revision: 1, format: 'classifiers' });
    const pem = await handleSigningKey(rt).text();
    expect(verifyBundle(pem, b1)).toBe(true);
    expect(verifyBundle(pem, { ...b1, content: b1.content.replace('"redact"', '"report"') })).toBe(false);
    expect((await get('shop/orders?format=classifiers', { 'if-none-match': first.headers.get('etag')! })).status).toBe(304);
    expect(b1.revision).toBe(1);
    const content = JSON.parse(b1.content);
    expect(content.revision).toBe(1);
    expect(content.rules).toEqual([redactCards.rules[0]]);
    expect(content.custom).toEqual(redactCards.custom);
    // the token's scope still holds
    expect((await get('hr/people?format=classifiers')).status).toBe(403);

    await recordHeartbeat(h.db, { tokenId: 'pt', tokenName: 'edge', services: ['*'] } as never, { proxy_id: 'orders-nginx-1', classifier_revision: 1 }, new Date());
    const [p] = await h.db.select().from(proxies);
    expect(p.classifierRevision).toBe(1);
  });

  it('holds a long poll until a newer set is published, then answers it', async () => {
    await publishClassifiers(ctxFor(h.db, admin), { document: redactCards, basedOn: 0, reason: 'redact cards' });
    const etag = (await get('shop/orders?format=classifiers')).headers.get('etag')!;
    // nothing newer: the poll looks again (at the shared revision number) and ends unchanged
    expect((await get('shop/orders?format=classifiers&wait=6', { 'if-none-match': etag })).status).toBe(304);
    const waiting = get('shop/orders?format=classifiers&wait=12', { 'if-none-match': etag });
    await publishClassifiers(ctxFor(h.db, admin), { document: DEFAULT_CLASSIFIER_SET, basedOn: 1, reason: 'report only' });
    const answer = await waiting;
    expect(answer.status).toBe(200);
    expect(await answer.json()).toMatchObject({ revision: 2, format: 'classifiers' });
  }, 20_000);
});
