import { eq } from 'drizzle-orm';
import { expect, it } from 'vitest';
import { auditLog, reportSchedules, reports } from '@/db/schema';
import { systemCtx } from '@/server/context';
import { actor, ctxFor, describeEachEngine, seedAccounts } from '@/server/testing/db';
import { createSchedule, deleteSchedule, listSchedules, runDueSchedules, RETRY_MS } from './schedules';

const H = 3_600_000;
const DAY = 24 * H;
const T0 = Date.UTC(2026, 0, 15);
const analyst = actor('analyst');
const other = actor('analyst', 'usr_other_analyst');
const admin = actor('admin');

describeEachEngine('report schedules', (h) => {
  const as = (who = analyst, ms = T0 + 3 * H) => ctxFor(h.db, who, { now: () => new Date(ms) });
  const run = (ms: number) => runDueSchedules(systemCtx(h.db, 'test', () => new Date(ms)), new Date(ms), { retentionDays: 90 });
  const periods = async () => (await h.db.select({ from: reports.rangeFrom, to: reports.rangeTo, scheduleId: reports.scheduleId, by: reports.generatedBy }).from(reports))
    .sort((a, b) => a.from.getTime() - b.from.getTime());

  it('generates exactly one report per period that has ended, catching up one period per run', async () => {
    await seedAccounts(h.db, analyst);
    const s = await createSchedule(as(), { framework: 'pci_dss_v4', cadence: 'daily', scope: { namespaces: ['shop'] } });
    expect(s).toMatchObject({ cadence: 'daily', nextRunAt: new Date(T0 + DAY), lastPeriodEnd: null, createdBy: { id: analyst.id, email: analyst.email }, failures: 0 });
    const [created] = await h.db.select().from(auditLog).where(eq(auditLog.action, 'report_schedule.create'));
    expect(created).toMatchObject({ actorEmail: analyst.email, targetId: s.id });

    expect((await run(T0 + 12 * H)).generated).toEqual([]); // the day is not over
    const first = await run(T0 + DAY + 5 * 60_000);
    expect(first.generated).toEqual([{ scheduleId: s.id, reportId: expect.any(String), from: new Date(T0), to: new Date(T0 + DAY) }]);
    expect((await run(T0 + DAY + 6 * 60_000)).generated).toEqual([]); // the same period is not reported twice

    // the console was down for three days: one period per run, oldest first, then nothing
    const later = T0 + 4 * DAY + 60_000;
    for (let i = 1; i <= 3; i++) {
      const r = await run(later);
      expect(r.generated.map((g) => [g.from.getTime(), g.to.getTime()])).toEqual([[T0 + i * DAY, T0 + (i + 1) * DAY]]);
    }
    expect((await run(later)).generated).toEqual([]);
    const all = await periods();
    expect(all.map((p) => (p.from.getTime() - T0) / DAY)).toEqual([0, 1, 2, 3]);
    expect(all.every((p) => p.scheduleId === s.id && p.by === null)).toBe(true);
    const [after] = await listSchedules(as());
    expect(after).toMatchObject({ lastPeriodEnd: new Date(T0 + 4 * DAY), nextRunAt: new Date(T0 + 5 * DAY), failures: 0, lastError: null });
    const generated = await h.db.select().from(auditLog).where(eq(auditLog.action, 'report.generate'));
    expect(generated).toHaveLength(4);
    expect(generated[0]).toMatchObject({ actorEmail: null, after: expect.objectContaining({ scheduleId: s.id }) });
  });

  it('records a failing schedule, retries it later and goes on with the others', async () => {
    await seedAccounts(h.db, analyst);
    const good = await createSchedule(as(), { framework: 'soc2', cadence: 'weekly' });
    // a row whose scope this console cannot read
    await h.db.insert(reportSchedules).values({
      id: 'rsch_broken', framework: 'pci_dss_v4', scope: { services: 'not a list' } as never, cadence: 'weekly', nextRunAt: new Date(T0 - 3 * DAY),
      createdAt: new Date(T0 - 10 * DAY), createdBy: analyst.id,
    });
    const now = T0 + 5 * DAY; // Tuesday 20th: the week of the 12th is over
    const r = await run(now);
    expect(r.generated.map((g) => g.scheduleId)).toEqual([good.id]);
    expect(r.failed).toEqual([{ scheduleId: 'rsch_broken', error: expect.any(String) }]);
    const [broken] = await h.db.select().from(reportSchedules).where(eq(reportSchedules.id, 'rsch_broken'));
    expect(broken).toMatchObject({ failures: 1, nextRunAt: new Date(now + RETRY_MS), lastPeriodEnd: null });
    expect(broken.lastError).toBeTruthy();
    expect((await run(now + 60_000)).failed).toEqual([]); // waits before trying again
    const again = await run(now + RETRY_MS);
    expect(again.failed).toHaveLength(1);
    const [twice] = await h.db.select().from(reportSchedules).where(eq(reportSchedules.id, 'rsch_broken'));
    expect(twice).toMatchObject({ failures: 2, nextRunAt: new Date(now + RETRY_MS + 2 * RETRY_MS) });
  });

  it('lets the creator or an admin delete a schedule, audited', async () => {
    await seedAccounts(h.db, analyst, other, admin);
    const a = await createSchedule(as(), { framework: 'pci_dss_v4', cadence: 'monthly' });
    const b = await createSchedule(as(), { framework: 'pci_dss_v4', cadence: 'daily' });
    expect(a.nextRunAt).toEqual(new Date(Date.UTC(2026, 1, 1)));
    await expect(deleteSchedule(as(other), { id: a.id })).rejects.toMatchObject({ code: 'FORBIDDEN' });
    await expect(deleteSchedule(as(other), { id: 'rsch_none' })).rejects.toMatchObject({ code: 'NOT_FOUND' });
    expect(await deleteSchedule(as(analyst), { id: a.id })).toEqual({ id: a.id });
    expect(await deleteSchedule(as(admin), { id: b.id, reason: 'replaced' })).toEqual({ id: b.id });
    expect(await listSchedules(as())).toEqual([]);
    const deleted = await h.db.select().from(auditLog).where(eq(auditLog.action, 'report_schedule.delete'));
    expect(deleted.map((e) => [e.actorEmail, e.targetId, e.reason])).toEqual([[analyst.email, a.id, null], [admin.email, b.id, 'replaced']]);
  });
});
