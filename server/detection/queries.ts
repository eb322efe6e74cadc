// Reading detections for `/detections`, its detail page and the overview: the filtered, paged
// queue; one incident with its evidence and triage history; its actors page by page; open
// incidents by severity.
import { and, asc, count, desc, eq, gte, inArray, isNull, lte, sql, type SQL } from 'drizzle-orm';
import { detectionActors, detections, detectionSuppressions, detectionTriage } from '@/db/schema/detections';
import { users } from '@/db/schema/users';
import { escapeLike } from '@/db/like';
import { SEVERITIES, type Severity } from '@/lib/enums';
import { rolesWith } from '@/lib/permissions';
import type { Ctx } from '@/server/context';
import { DomainError } from '@/server/errors';
import { resolveRange } from '@/server/traffic/time-range';
import type { ActorsInput, ListInput } from './schemas';
import { thresholdsFor } from './screen';
import { loadThresholds } from './thresholds';

const likePrefix = (s: string) => `${escapeLike(s)}%`;

function rangeOf(ctx: Ctx, input: { range: ListInput['range'] }) {
  const { from, to } = resolveRange(input.range, ctx.now());
  return { from, to };
}

function listWhere(input: ListInput, from: Date, to: Date): SQL | undefined {
  // an incident is in the range when any part of it is
  const where: (SQL | undefined)[] = [gte(detections.endAt, from), lte(detections.startAt, to)];
  if (input.states?.length) where.push(inArray(detections.state, input.states));
  if (input.severities?.length) where.push(inArray(detections.severity, input.severities));
  if (input.kind) where.push(eq(detections.kind, input.kind));
  if (input.service) where.push(eq(detections.service, input.service));
  if (input.actor) {
    where.push(sql`exists (select 1 from ${detectionActors} a where a.detection_id = ${detections.id} and a.actor_id like ${likePrefix(input.actor)})`);
  }
  return and(...where);
}

const assignee = { id: users.id, email: users.email, name: users.name };

export async function listDetections(ctx: Ctx, input: ListInput) {
  const { from, to } = rangeOf(ctx, input);
  const where = listWhere(input, from, to);
  const [rows, [total]] = await Promise.all([
    ctx.db.select({
      id: detections.id, kind: detections.kind, service: detections.service, startAt: detections.startAt, endAt: detections.endAt,
      score: detections.score, severity: detections.severity, state: detections.state, actorCount: detections.actorCount,
      topActors: detections.topActors, mitigated: sql<boolean>`${detections.mitigation} is not null`, updatedAt: detections.updatedAt,
      assignee,
    }).from(detections).leftJoin(users, eq(users.id, detections.assigneeId)).where(where)
      .orderBy(desc(detections.endAt), desc(detections.id)).limit(input.limit).offset(input.offset),
    ctx.db.select({ n: count() }).from(detections).where(where),
  ]);
  return {
    rows: rows.map((r) => ({ ...r, mitigated: Boolean(r.mitigated), assignee: r.assignee?.id ? r.assignee : null })),
    total: Number(total?.n ?? 0),
    range: { from, to },
  };
}

export async function getDetection(ctx: Ctx, id: string) {
  const [d] = await ctx.db.select({ d: detections, assignee }).from(detections).leftJoin(users, eq(users.id, detections.assigneeId)).where(eq(detections.id, id)).limit(1);
  if (!d) throw new DomainError('NOT_FOUND', 'No such detection');
  const [history, suppressions, thresholds] = await Promise.all([
    ctx.db.select().from(detectionTriage).where(eq(detectionTriage.detectionId, id)).orderBy(desc(detectionTriage.at), desc(detectionTriage.id)).limit(200),
    ctx.db.select().from(detectionSuppressions).where(and(eq(detectionSuppressions.detectionId, id), isNull(detectionSuppressions.liftedAt))),
    loadThresholds(ctx.db),
  ]);
  const t = thresholdsFor(thresholds, d.d.service);
  return {
    ...d.d,
    assignee: d.assignee?.id ? d.assignee : null,
    history,
    suppressions: suppressions.map((s) => ({ ...s, active: s.expiresAt > ctx.now() })),
    thresholds: { alert: t.alert, mitigate: t.mitigate, own: d.d.service !== null && d.d.service in thresholds.services },
  };
}

export async function listActors(ctx: Ctx, input: ActorsInput) {
  const [rows, [total]] = await Promise.all([
    ctx.db.select({ type: detectionActors.actorType, id: detectionActors.actorId, rank: detectionActors.rank }).from(detectionActors)
      .where(eq(detectionActors.detectionId, input.id)).orderBy(asc(detectionActors.rank)).limit(input.limit).offset(input.offset),
    ctx.db.select({ n: count() }).from(detectionActors).where(eq(detectionActors.detectionId, input.id)),
  ]);
  return { rows, total: Number(total?.n ?? 0) };
}

/** Open incidents active in the range, by severity, for the overview. */
export async function openBySeverity(ctx: Ctx, input: { range: ListInput['range'] }) {
  const { from, to } = rangeOf(ctx, input);
  const rows = await ctx.db.select({ severity: detections.severity, n: count() }).from(detections)
    .where(and(eq(detections.state, 'open'), gte(detections.endAt, from), lte(detections.startAt, to)))
    .groupBy(detections.severity);
  const bySeverity = Object.fromEntries(SEVERITIES.map((s) => [s, 0])) as Record<Severity, number>;
  for (const r of rows) if (r.severity in bySeverity) bySeverity[r.severity] = Number(r.n);
  return { bySeverity, total: Object.values(bySeverity).reduce((a, b) => a + b, 0) };
}

/** Who a detection can be assigned to: enabled accounts that may triage (analysts and admins). */
export function listAssignees(ctx: Ctx) {
  return ctx.db.select({ id: users.id, email: users.email, name: users.name }).from(users)
    .where(and(isNull(users.disabledAt), inArray(users.role, [...rolesWith('analyse')]))).orderBy(asc(users.email));
}

/** The suppressions in force, for the thresholds page. */
export function listSuppressions(ctx: Ctx) {
  return ctx.db.select().from(detectionSuppressions)
    .where(and(isNull(detectionSuppressions.liftedAt), gte(detectionSuppressions.expiresAt, ctx.now())))
    .orderBy(asc(detectionSuppressions.expiresAt)).limit(500);
}
