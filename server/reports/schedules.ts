// Reports on a cadence: daily, weekly (Monday to Monday) or monthly, at UTC boundaries; each run
// covers the period that just ended. The console's maintenance loop calls runDueSchedules.
import { and, asc, desc, eq, lte } from 'drizzle-orm';
import { z } from 'zod';
import { reportSchedules, users } from '@/db/schema';
import { audited } from '@/server/audit/append';
import type { Ctx } from '@/server/context';
import { DomainError } from '@/server/errors';
import { newId } from '@/server/ids';
import { log } from '@/server/log';
import { frameworkSchema, generateReport } from './generate';
import { describeScope, reportScopeSchema } from './scope';
import { EMPTY_SCOPE, type ReportFramework, type ReportScope } from './types';

export const CADENCES = ['daily', 'weekly', 'monthly'] as const;
export type Cadence = (typeof CADENCES)[number];

/** A claimed run that has not finished by then (its console died) is tried again. */
export const CLAIM_MS = 30 * 60_000;
/** after a failure, the next try waits this long, doubling per failure up to RETRY_MAX_MS */
export const RETRY_MS = 5 * 60_000;
export const RETRY_MAX_MS = 6 * 3600_000;
/** schedules looked at per run of the job */
const BATCH = 20;

const DAY = 86_400_000;

/** The start of the period `at` falls in (UTC): midnight, Monday midnight, the 1st at midnight. */
export function periodStart(cadence: Cadence, at: Date): Date {
  const d = new Date(Date.UTC(at.getUTCFullYear(), at.getUTCMonth(), at.getUTCDate()));
  if (cadence === 'daily') return d;
  if (cadence === 'weekly') return new Date(d.getTime() - ((d.getUTCDay() + 6) % 7) * DAY);
  return new Date(Date.UTC(at.getUTCFullYear(), at.getUTCMonth(), 1));
}

/** The period after the one starting at `start`. */
export function nextPeriod(cadence: Cadence, start: Date): Date {
  if (cadence === 'daily') return new Date(start.getTime() + DAY);
  if (cadence === 'weekly') return new Date(start.getTime() + 7 * DAY);
  return new Date(Date.UTC(start.getUTCFullYear(), start.getUTCMonth() + 1, 1));
}

/** The period a schedule reports next: the one after its last report, or the one it was created in. */
export function duePeriod(s: { cadence: Cadence; lastPeriodEnd: Date | null; createdAt: Date }): { from: Date; to: Date } {
  const from = s.lastPeriodEnd ?? periodStart(s.cadence, s.createdAt);
  return { from, to: nextPeriod(s.cadence, from) };
}

export const createScheduleInput = z.object({
  framework: frameworkSchema,
  scope: reportScopeSchema.default(EMPTY_SCOPE),
  cadence: z.enum(CADENCES),
});
export type CreateScheduleInput = z.input<typeof createScheduleInput>;

export const scheduleBrief = z.object({
  id: z.string(),
  framework: frameworkSchema,
  scope: z.object({ services: z.array(z.string()), namespaces: z.array(z.string()), clusters: z.array(z.string()) }),
  scopeText: z.string(),
  cadence: z.enum(CADENCES),
  lastPeriodEnd: z.date().nullable(),
  nextRunAt: z.date(),
  createdBy: z.object({ id: z.string(), email: z.string() }).nullable(),
  createdAt: z.date(),
  failures: z.number(),
  lastError: z.string().nullable(),
});
export type ScheduleBrief = z.infer<typeof scheduleBrief>;

type ScheduleRow = typeof reportSchedules.$inferSelect;

function toBrief(r: ScheduleRow, email: string | null): ScheduleBrief {
  return {
    id: r.id, framework: r.framework, scope: r.scope, scopeText: describeScope(r.scope), cadence: r.cadence, lastPeriodEnd: r.lastPeriodEnd,
    nextRunAt: r.nextRunAt, createdBy: r.createdBy && email ? { id: r.createdBy, email } : null, createdAt: r.createdAt,
    failures: r.failures, lastError: r.lastError,
  };
}

const auditView = (r: Pick<ScheduleRow, 'framework' | 'scope' | 'cadence'>) => ({ framework: r.framework, scope: r.scope, cadence: r.cadence });

/** A schedule whose first report covers the period now running, generated when it ends. */
export async function createSchedule(ctx: Ctx, raw: CreateScheduleInput): Promise<ScheduleBrief> {
  const input = createScheduleInput.parse(raw);
  if (!ctx.actor) throw new DomainError('FORBIDDEN', 'Sign in to schedule reports');
  const now = ctx.now();
  const row: ScheduleRow = {
    id: newId('rsch'), framework: input.framework as ReportFramework, scope: input.scope as ReportScope, cadence: input.cadence,
    lastPeriodEnd: null, nextRunAt: nextPeriod(input.cadence, periodStart(input.cadence, now)), createdBy: ctx.actor.id, createdAt: now,
    failures: 0, lastError: null,
  };
  await audited(ctx, async (tx, audit) => {
    await tx.insert(reportSchedules).values(row);
    audit({ action: 'report_schedule.create', targetType: 'report_schedule', targetId: row.id, after: auditView(row) });
  });
  return toBrief(row, ctx.actor.email);
}

export async function listSchedules(ctx: Ctx): Promise<ScheduleBrief[]> {
  const found = await ctx.db.select({ s: reportSchedules, email: users.email }).from(reportSchedules)
    .leftJoin(users, eq(users.id, reportSchedules.createdBy)).orderBy(desc(reportSchedules.createdAt), desc(reportSchedules.id));
  return found.map((r) => toBrief(r.s, r.email));
}

export const deleteScheduleInput = z.object({ id: z.string().min(1).max(100), reason: z.string().trim().max(500).optional() });

/** Deletes a schedule: its creator, or an admin. Reports it generated stay. */
export async function deleteSchedule(ctx: Ctx, raw: z.input<typeof deleteScheduleInput>): Promise<{ id: string }> {
  const { id, reason } = deleteScheduleInput.parse(raw);
  const who = ctx.actor;
  if (!who) throw new DomainError('FORBIDDEN', 'Sign in to delete report schedules');
  return audited(ctx, async (tx, audit) => {
    const [s] = await tx.select().from(reportSchedules).where(eq(reportSchedules.id, id)).for('update');
    if (!s) throw new DomainError('NOT_FOUND', `Report schedule ${id.slice(0, 100)} does not exist`);
    if (who.role !== 'admin' && s.createdBy !== who.id) throw new DomainError('FORBIDDEN', 'Only the person who created this schedule, or an admin, may delete it');
    await tx.delete(reportSchedules).where(eq(reportSchedules.id, id));
    audit({ action: 'report_schedule.delete', targetType: 'report_schedule', targetId: id, before: auditView(s), reason: reason ?? null });
    return { id };
  });
}

export interface RunOptions {
  retentionDays?: number;
}

export interface RunResult {
  generated: { scheduleId: string; reportId: string; from: Date; to: Date }[];
  failed: { scheduleId: string; error: string }[];
}

/**
 * Generates the reports of due schedules, one period per schedule per run (a console that was
 * down catches up a period per run, oldest first). A run claims a schedule by moving its
 * next_run_at forward only if nobody else has (so replicas do not both generate it); a failure
 * is recorded on the schedule and retried later with a growing wait, and never stops the others.
 */
export async function runDueSchedules(ctx: Ctx, now: Date, opts: RunOptions = {}): Promise<RunResult> {
  const result: RunResult = { generated: [], failed: [] };
  const due = await ctx.db.select().from(reportSchedules).where(lte(reportSchedules.nextRunAt, now))
    .orderBy(asc(reportSchedules.nextRunAt)).limit(BATCH);
  for (const s of due) {
    const period = duePeriod(s);
    if (period.to > now) {
      // not over yet (a retry time or claim passed before the period ended): wait for its end
      await ctx.db.update(reportSchedules).set({ nextRunAt: period.to })
        .where(and(eq(reportSchedules.id, s.id), eq(reportSchedules.nextRunAt, s.nextRunAt)));
      continue;
    }
    const [claimed] = await ctx.db.update(reportSchedules).set({ nextRunAt: new Date(now.getTime() + CLAIM_MS) })
      .where(and(eq(reportSchedules.id, s.id), eq(reportSchedules.nextRunAt, s.nextRunAt))).returning({ id: reportSchedules.id });
    if (!claimed) continue; // another console took it
    try {
      const runCtx: Ctx = { ...ctx, actor: null, now: () => now, requestId: `schedule-${s.id}` };
      const report = await generateReport(runCtx, { framework: s.framework, scope: s.scope, from: period.from, to: period.to }, {
        retentionDays: opts.retentionDays, scheduleId: s.id,
      });
      const following = nextPeriod(s.cadence, period.to);
      // still behind (the console was down): the next run takes the next period
      await ctx.db.update(reportSchedules).set({ lastPeriodEnd: period.to, nextRunAt: following <= now ? now : following, failures: 0, lastError: null })
        .where(eq(reportSchedules.id, s.id));
      result.generated.push({ scheduleId: s.id, reportId: report.id, from: period.from, to: period.to });
    } catch (e) {
      const error = (e instanceof Error ? e.message : String(e)).slice(0, 1000);
      const failures = s.failures + 1;
      const wait = Math.min(RETRY_MAX_MS, RETRY_MS * 2 ** Math.min(failures - 1, 16));
      await ctx.db.update(reportSchedules).set({ failures, lastError: error, nextRunAt: new Date(now.getTime() + wait) })
        .where(eq(reportSchedules.id, s.id)).catch((err: unknown) => log.error({ err, scheduleId: s.id }, 'report schedule failure not recorded'));
      log.warn({ scheduleId: s.id, err: error }, 'scheduled report failed');
      result.failed.push({ scheduleId: s.id, error });
    }
  }
  return result;
}
