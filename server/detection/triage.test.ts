import { count, desc, eq } from 'drizzle-orm';
import { expect, it } from 'vitest';
import { auditLog } from '@/db/schema';
import { detections, detectionSuppressions, detectionTriage } from '@/db/schema/detections';
import { users } from '@/db/schema/users';
import type { TriageState } from '@/lib/enums';
import { actor, ctxFor, describeEachEngine, seedAccounts } from '@/server/testing/db';
import { seedDetection } from '@/server/testing/detections';
import { listAssignees } from './queries';
import { loadRules } from './rules';
import { falsePositiveInput } from './schemas';
import { screenDetection } from './screen';
import { assignDetection, liftSuppression, markFalsePositive, NEXT_STATES, triageDetection } from './triage';

const analyst = actor('analyst');
const days = (n: number) => new Date(Date.now() + n * 86_400_000);

describeEachEngine('triage', (h) => {
  const ctx = (who = analyst) => ctxFor(h.db, who);
  const audits = async () => Number((await h.db.select({ n: count() }).from(auditLog))[0].n);
  const last = async () => (await h.db.select().from(auditLog).orderBy(desc(auditLog.id)).limit(1))[0];
  const stateOf = async (id: string) => (await h.db.select().from(detections).where(eq(detections.id, id)))[0];

  it('walks open → acknowledged → resolved → open, one audit entry and one history line per step; acknowledging takes an unassigned detection', async () => {
    await seedAccounts(h.db, analyst);
    const { id } = await seedDetection(h.db);
    const before = await audits();
    await triageDetection(ctx(), { id, to: 'acknowledged', reason: 'looking at it' });
    expect(await stateOf(id)).toMatchObject({ state: 'acknowledged', assigneeId: analyst.id });
    expect(await last()).toMatchObject({ action: 'detection.triage', targetId: id, before: { state: 'open', assigneeId: null }, after: { state: 'acknowledged', assigneeId: analyst.id }, reason: 'looking at it' });
    await triageDetection(ctx(), { id, to: 'resolved', reason: 'blocked at the edge' });
    await triageDetection(ctx(), { id, to: 'open', reason: 'it came back' });
    expect(await audits()).toBe(before + 3);
    const history = await h.db.select().from(detectionTriage).where(eq(detectionTriage.detectionId, id)).orderBy(detectionTriage.id);
    expect(history.map((x) => [x.action, x.fromState, x.toState, x.actorEmail])).toEqual([
      ['acknowledge', 'open', 'acknowledged', analyst.email], ['resolve', 'acknowledged', 'resolved', analyst.email], ['reopen', 'resolved', 'open', analyst.email],
    ]);
    expect(history[0].detail).toBe(`assigned to ${analyst.email}`);
  });

  it('refuses steps the triage states do not allow, writing nothing', async () => {
    const { id } = await seedDetection(h.db);
    const before = await audits();
    await expect(triageDetection(ctx(), { id, to: 'resolved', reason: 'skip ahead' })).rejects.toMatchObject({ code: 'CONFLICT', message: expect.stringContaining('acknowledge it first') });
    await expect(triageDetection(ctx(), { id, to: 'open', reason: 'already' })).rejects.toMatchObject({ code: 'CONFLICT', message: expect.stringContaining('open already') });
    await expect(triageDetection(ctx(), { id: 'det_missing', to: 'acknowledged', reason: 'x-x' })).rejects.toMatchObject({ code: 'NOT_FOUND' });
    expect(await audits()).toBe(before);
    // the table is what the UI offers: every state reachable, every closed state reopenable
    const reachable = new Set<TriageState>(['open', ...Object.values(NEXT_STATES).flat()]);
    expect([...reachable].sort()).toEqual(['acknowledged', 'false_positive', 'open', 'resolved']);
  });

  it('marks a false positive and suppresses the actor for this kind on this service until it expires; the live screen then drops that actor', async () => {
    const { id, detection } = await seedDetection(h.db, { actors: [{ type: 'ip', id: '100.64.0.9' }, { type: 'ip', id: '203.0.113.7' }] });
    const r = await markFalsePositive(ctx(), falsePositiveInput.parse({ id, scope: 'actor', actor: { type: 'ip', id: '100.64.0.9' }, expiresAt: days(30), reason: 'carrier-grade NAT of a mobile network' }));
    expect(r.detection.state).toBe('false_positive');
    expect(r.suppression).toMatchObject({ scope: 'actor', kind: 'brute_force', service: 'shop/login', actorType: 'ip', actorId: '100.64.0.9', createdBy: analyst.email, detectionId: id });
    expect(await last()).toMatchObject({ action: 'detection.false_positive', after: { state: 'false_positive', suppression: { scope: 'actor', actorId: '100.64.0.9' } } });
    const rules = await loadRules(h.db, new Date());
    const again = screenDetection({ ...detection, id: 'next' }, rules);
    expect('kept' in again && again.kept.actors).toEqual([{ type: 'ip', id: '203.0.113.7' }]);
    // once expired it no longer applies
    expect((await loadRules(h.db, days(31))).suppressions).toEqual([]);
  });

  it('suppresses a whole rule (kind on service), requires an expiry within 90 days and an actor of the detection', async () => {
    const { id } = await seedDetection(h.db);
    expect(falsePositiveInput.safeParse({ id, scope: 'rule', reason: 'cron job' }).error?.issues[0].message).toMatch(/expiry/);
    expect(falsePositiveInput.safeParse({ id, scope: 'actor', expiresAt: days(1), reason: 'cron job' }).error?.issues[0].message).toMatch(/actor/);
    await expect(markFalsePositive(ctx(), falsePositiveInput.parse({ id, scope: 'rule', expiresAt: days(91), reason: 'forever' }))).rejects.toMatchObject({ code: 'BAD_REQUEST', message: expect.stringContaining('allow-list') });
    await expect(markFalsePositive(ctx(), falsePositiveInput.parse({ id, scope: 'rule', expiresAt: days(-1), reason: 'past' }))).rejects.toMatchObject({ code: 'BAD_REQUEST' });
    await expect(markFalsePositive(ctx(), falsePositiveInput.parse({ id, scope: 'actor', actor: { type: 'ip', id: '192.0.2.1' }, expiresAt: days(1), reason: 'not in it' })))
      .rejects.toMatchObject({ code: 'BAD_REQUEST', message: expect.stringContaining('not one of this detection') });
    expect(await h.db.select().from(detectionSuppressions)).toEqual([]);
    await markFalsePositive(ctx(), falsePositiveInput.parse({ id, scope: 'rule', expiresAt: days(7), reason: 'the nightly job' }));
    expect((await loadRules(h.db, new Date())).suppressions).toEqual([{ scope: 'rule', kind: 'brute_force', service: 'shop/login', actorType: null, actorId: null }]);
    // a false positive without a suppression is just the state
    const other = await seedDetection(h.db, { kind: 'scraping' });
    expect((await markFalsePositive(ctx(), falsePositiveInput.parse({ id: other.id, scope: 'detection', reason: 'one-off' }))).suppression).toBeNull();
  });

  it('reopening a false positive lifts its suppressions; a suppression can also be lifted on its own, audited', async () => {
    const { id, detection } = await seedDetection(h.db);
    const r = await markFalsePositive(ctx(), falsePositiveInput.parse({ id, scope: 'actor', actor: detection.actors[0], expiresAt: days(7), reason: 'looked benign' }));
    await triageDetection(ctx(), { id, to: 'open', reason: 'it was not benign' });
    expect(await last()).toMatchObject({ action: 'detection.triage', after: { state: 'open', liftedSuppressions: [r.suppression!.id] } });
    expect((await loadRules(h.db, new Date())).suppressions).toEqual([]);

    const second = await markFalsePositive(ctx(), falsePositiveInput.parse({ id, scope: 'rule', expiresAt: days(7), reason: 'benign after all' }));
    await liftSuppression(ctx(), { id: second.suppression!.id, reason: 'too broad' });
    expect(await last()).toMatchObject({ action: 'detection.suppression.lift', targetId: second.suppression!.id, reason: 'too broad' });
    await expect(liftSuppression(ctx(), { id: second.suppression!.id, reason: 'again' })).rejects.toMatchObject({ code: 'NOT_FOUND' });
  });

  it('assigns to enabled analysts and admins only (not viewers, not auditors), audited; the same assignee again is no change', async () => {
    const { id } = await seedDetection(h.db);
    await seedAccounts(
      h.db,
      { id: 'usr_a2', email: 'a2@example.test', role: 'analyst' },
      { id: 'usr_v', email: 'v@example.test', role: 'viewer' },
      { id: 'usr_aud', email: 'aud@example.test', role: 'auditor' },
      { id: 'usr_off', email: 'off@example.test', role: 'admin' },
    );
    await h.db.update(users).set({ disabledAt: new Date() }).where(eq(users.id, 'usr_off'));
    await assignDetection(ctx(), { id, assigneeId: 'usr_a2', reason: 'on call' });
    expect(await last()).toMatchObject({ action: 'detection.assign', before: { assigneeId: null }, after: { assigneeId: 'usr_a2', assignee: 'a2@example.test' } });
    const n = await audits();
    await assignDetection(ctx(), { id, assigneeId: 'usr_a2' });
    expect(await audits()).toBe(n);
    await expect(assignDetection(ctx(), { id, assigneeId: 'usr_v' })).rejects.toMatchObject({ code: 'BAD_REQUEST' });
    await expect(assignDetection(ctx(), { id, assigneeId: 'usr_aud' })).rejects.toMatchObject({ code: 'BAD_REQUEST' });
    expect((await listAssignees(ctx())).map((u) => u.id)).toEqual(['usr_a2']);
    await expect(assignDetection(ctx(), { id, assigneeId: 'usr_off' })).rejects.toMatchObject({ code: 'BAD_REQUEST' });
    await assignDetection(ctx(), { id, assigneeId: null });
    expect((await stateOf(id)).assigneeId).toBeNull();
  });
});
