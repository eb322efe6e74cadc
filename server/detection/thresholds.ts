// Suspicion thresholds (SPEC): a global row (`*`) and per-service rows that replace it for their
// service. Admins set them after a backtest; every change is audited with before and after.
import { asc, eq } from 'drizzle-orm';
import type { Db } from '@/db/client';
import { detectionThresholds } from '@/db/schema/detections';
import { audited } from '@/server/audit/append';
import type { Ctx } from '@/server/context';
import { DomainError } from '@/server/errors';
import { GLOBAL, type RemoveThresholdsInput, type SetThresholdsInput } from './schemas';
import { DEFAULT_THRESHOLDS, WINDOWS, type ThresholdSet, type Thresholds } from './types';

type Row = typeof detectionThresholds.$inferSelect;

/** A stored row as thresholds: a window missing from it (written by an older version) takes the default. */
function valueOf(r: Row): Thresholds {
  const windows = { ...DEFAULT_THRESHOLDS.windows };
  for (const w of WINDOWS) {
    const v = r.windows[w];
    if (typeof v === 'number' && Number.isFinite(v) && v > 0) windows[w] = v;
  }
  return { alert: r.alert, mitigate: r.mitigate, windows };
}

export async function loadThresholds(db: Db): Promise<ThresholdSet> {
  const rows = await db.select().from(detectionThresholds);
  const g = rows.find((r) => r.service === GLOBAL);
  return {
    global: g ? valueOf(g) : DEFAULT_THRESHOLDS,
    services: Object.fromEntries(rows.filter((r) => r.service !== GLOBAL).map((r) => [r.service, valueOf(r)])),
  };
}

export interface ThresholdRow {
  service: string;
  thresholds: Thresholds;
  /** null: the built-in defaults, never changed */
  updatedBy: string | null;
  updatedAt: Date | null;
}

/** For `/settings/thresholds`: the global row (the defaults until someone sets it) and the services' own. */
export async function listThresholds(ctx: Ctx): Promise<{ global: ThresholdRow; services: ThresholdRow[]; defaults: Thresholds }> {
  const rows = await ctx.db.select().from(detectionThresholds).orderBy(asc(detectionThresholds.service));
  const asRow = (r: Row): ThresholdRow => ({ service: r.service, thresholds: valueOf(r), updatedBy: r.updatedBy, updatedAt: r.updatedAt });
  const g = rows.find((r) => r.service === GLOBAL);
  return {
    global: g ? asRow(g) : { service: GLOBAL, thresholds: DEFAULT_THRESHOLDS, updatedBy: null, updatedAt: null },
    services: rows.filter((r) => r.service !== GLOBAL).map(asRow),
    defaults: DEFAULT_THRESHOLDS,
  };
}

export async function setThresholds(ctx: Ctx, input: SetThresholdsInput): Promise<ThresholdRow> {
  const by = ctx.actor?.email;
  if (!by) throw new DomainError('FORBIDDEN', 'Sign in to change thresholds');
  return audited(ctx, async (tx, audit) => {
    const [before] = await tx.select().from(detectionThresholds).where(eq(detectionThresholds.service, input.service)).for('update');
    const value = { alert: input.thresholds.alert, mitigate: input.thresholds.mitigate, windows: input.thresholds.windows };
    const [row] = await tx.insert(detectionThresholds).values({ service: input.service, ...value, updatedBy: by, updatedAt: ctx.now() })
      .onConflictDoUpdate({ target: detectionThresholds.service, set: { ...value, updatedBy: by, updatedAt: ctx.now() } })
      .returning();
    audit({
      action: 'detection.thresholds.set', targetType: 'detection_thresholds', targetId: input.service,
      before: before ? valueOf(before) : input.service === GLOBAL ? { defaults: DEFAULT_THRESHOLDS } : null, after: value, reason: input.reason,
    });
    return { service: row.service, thresholds: valueOf(row), updatedBy: row.updatedBy, updatedAt: row.updatedAt };
  });
}

/** A service goes back to the global thresholds. */
export async function removeThresholds(ctx: Ctx, input: RemoveThresholdsInput): Promise<{ service: string }> {
  return audited(ctx, async (tx, audit) => {
    const [before] = await tx.delete(detectionThresholds).where(eq(detectionThresholds.service, input.service)).returning();
    if (!before) throw new DomainError('NOT_FOUND', `${input.service} has no thresholds of its own: it uses the global ones`);
    audit({ action: 'detection.thresholds.remove', targetType: 'detection_thresholds', targetId: input.service, before: valueOf(before), after: null, reason: input.reason });
    return { service: input.service };
  });
}
