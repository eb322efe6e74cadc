// Writing the engine's detections: an incident that grows updates its row instead of opening a
// new one. The engine names an incident by an id that is stable within one engine run; after a
// restart (the engine warms again from stored events) or on another console replica the same
// attack may come back under a new id, so an unknown id first looks for a stored incident of
// the same kind on the same service, close in time and sharing an actor, and continues it.
import { and, asc, count, eq, gte, inArray, lte, or, sql } from 'drizzle-orm';
import type { Db } from '@/db/client';
import { detectionActors, detectionEngineIds, detections, detectionTriage, type StoredDetectionEvidence } from '@/db/schema/detections';
import { SEVERITIES, type Severity } from '@/lib/enums';
import { newId } from '@/server/ids';
import type { ActorRef, Detection } from './types';

/** Stored incidents this close to a new one (before or after) may be the same attack going on. */
export const MERGE_GAP_MS = 30 * 60_000;
/** Actors kept per incident; a botnet may name more, the count says how many. */
export const MAX_STORED_ACTORS = 10_000;
const TOP_ACTORS = 5;
/** actors compared when looking for the incident an unknown engine id continues */
const MATCH_ACTORS = 50;
const DETECTION_LOCK = 7_420_030;

export type UpsertOutcome = 'created' | 'updated' | 'unchanged' | 'reopened';

// The engine's evidence must fit what the database stores (checked when this compiles).
const asStored = (e: Detection['evidence']): StoredDetectionEvidence => e;

const clip = (s: string, n: number) => (s.length > n ? `${s.slice(0, n)}…` : s);

/** Evidence bounded in size: it is telemetry-derived and goes into one row. */
export function boundedEvidence(e: Detection['evidence']): StoredDetectionEvidence {
  const stored = asStored(e);
  return {
    features: stored.features.slice(0, 40).map((f) => ({ ...f, feature: clip(f.feature, 100), text: clip(f.text, 300) })),
    transitions: stored.transitions.slice(0, 40).map((t) => ({ ...t, from: clip(t.from, 300), to: clip(t.to, 300) })),
    windows: stored.windows.slice(0, 8),
    examples: stored.examples.slice(0, 50).map((x) => ({ ...x, requestId: clip(x.requestId, 128), path: clip(x.path, 512), actor: { type: x.actor.type, id: clip(x.actor.id, 512) } })),
    timeline: stored.timeline.slice(-2000),
  };
}

const rank = (s: Severity) => SEVERITIES.indexOf(s);
const clampScore = (v: number) => Math.min(100, Math.max(0, v));
const actorKey = (a: ActorRef) => `${a.type}\u0000${a.id}`;

function dedupeActors(list: readonly ActorRef[]): ActorRef[] {
  const seen = new Set<string>();
  const out: ActorRef[] = [];
  for (const a of list) {
    const id = a.id.slice(0, 512);
    const k = actorKey({ type: a.type, id });
    if (seen.has(k)) continue;
    seen.add(k);
    out.push({ type: a.type, id });
    if (out.length >= MAX_STORED_ACTORS) break;
  }
  return out;
}

async function insertActors(tx: Db, detectionId: string, actors: ActorRef[], firstRank: number): Promise<void> {
  for (let i = 0; i < actors.length; i += 1000) {
    const chunk = actors.slice(i, i + 1000).map((a, j) => ({ detectionId, actorType: a.type, actorId: a.id, rank: firstRank + i + j }));
    await tx.insert(detectionActors).values(chunk).onConflictDoNothing();
  }
}

/** The stored incident an unknown engine id continues, if any. */
async function continuedIncident(tx: Db, d: Detection, actors: ActorRef[]): Promise<string | null> {
  const near = await tx.select({ id: detections.id }).from(detections).where(and(
    eq(detections.kind, d.kind),
    d.service === null ? sql`${detections.service} is null` : eq(detections.service, d.service),
    gte(detections.endAt, new Date(d.start - MERGE_GAP_MS)),
    lte(detections.startAt, new Date(d.end + MERGE_GAP_MS)),
  )).orderBy(sql`${detections.endAt} desc`).limit(20);
  if (!near.length) return null;
  if (!actors.length) return near[0].id;
  const probe = actors.slice(0, MATCH_ACTORS);
  const shared = await tx.selectDistinct({ id: detectionActors.detectionId }).from(detectionActors).where(and(
    inArray(detectionActors.detectionId, near.map((n) => n.id)),
    or(...probe.map((a) => and(eq(detectionActors.actorType, a.type), eq(detectionActors.actorId, a.id)))),
  ));
  const ids = new Set(shared.map((s) => s.id));
  return near.find((n) => ids.has(n.id))?.id ?? null;
}

async function topActorsOf(tx: Db, id: string): Promise<{ actors: ActorRef[]; total: number }> {
  const top = await tx.select({ type: detectionActors.actorType, id: detectionActors.actorId }).from(detectionActors)
    .where(eq(detectionActors.detectionId, id)).orderBy(asc(detectionActors.rank)).limit(TOP_ACTORS);
  const [{ n }] = await tx.select({ n: count() }).from(detectionActors).where(eq(detectionActors.detectionId, id));
  return { actors: top, total: Number(n) };
}

/** Stores one detection the engine reported (new, grown, or the same as before). */
export async function upsertDetection(db: Db, d: Detection, now: Date): Promise<UpsertOutcome> {
  if (!Number.isFinite(d.score) || !Number.isFinite(d.start) || !Number.isFinite(d.end)) throw new Error(`detection ${d.id.slice(0, 64)} has a non-finite score or time`);
  const actors = dedupeActors(d.actors);
  const score = clampScore(d.score);
  const start = new Date(Math.min(d.start, d.end));
  const end = new Date(Math.max(d.start, d.end));
  return db.transaction(async (tx) => {
    // one writer per kind and service at a time, so two replicas cannot both open the same incident
    await tx.execute(sql`select pg_advisory_xact_lock(${DETECTION_LOCK}, hashtext(${`${d.kind} ${d.service ?? ''}`}))`);
    const [mapped] = await tx.select({ id: detectionEngineIds.detectionId }).from(detectionEngineIds).where(eq(detectionEngineIds.engineId, d.id));
    const storedId = mapped?.id ?? (await continuedIncident(tx, d, actors));
    if (storedId && !mapped) await tx.insert(detectionEngineIds).values({ engineId: d.id, detectionId: storedId }).onConflictDoNothing();

    if (!storedId) {
      const id = newId('det');
      await tx.insert(detections).values({
        id, engineId: d.id, kind: d.kind, service: d.service, startAt: start, endAt: end, score, severity: d.severity, state: 'open',
        evidence: boundedEvidence(d.evidence), actorCount: Math.max(actors.length, d.actors.length), topActors: actors.slice(0, TOP_ACTORS),
        createdAt: now, updatedAt: now,
      });
      await tx.insert(detectionEngineIds).values({ engineId: d.id, detectionId: id }).onConflictDoNothing();
      await insertActors(tx, id, actors, 0);
      return 'created';
    }

    const [s] = await tx.select().from(detections).where(eq(detections.id, storedId)).for('update');
    const [{ max }] = await tx.select({ max: sql<number | null>`max(${detectionActors.rank})` }).from(detectionActors).where(eq(detectionActors.detectionId, storedId));
    const before = await topActorsOf(tx, storedId);
    await insertActors(tx, storedId, actors.slice(0, Math.max(0, MAX_STORED_ACTORS - before.total)), Number(max ?? -1) + 1);
    const after = await topActorsOf(tx, storedId);
    const takeNew = score > s.score || (score === s.score && rank(d.severity) >= rank(s.severity));
    const grew = end.getTime() > s.endAt.getTime();
    const changed = grew || start.getTime() < s.startAt.getTime() || after.total > before.total || (takeNew && (score !== s.score || d.severity !== s.severity));
    if (!changed) return 'unchanged';
    // a resolved incident that goes on is an incident again; a false positive stays one
    const reopen = s.state === 'resolved' && grew;
    await tx.update(detections).set({
      startAt: start < s.startAt ? start : s.startAt,
      endAt: grew ? end : s.endAt,
      ...(takeNew ? { score, severity: d.severity, evidence: boundedEvidence(d.evidence) } : {}),
      actorCount: Math.max(after.total, s.actorCount, d.actors.length),
      topActors: after.actors,
      ...(reopen ? { state: 'open' as const } : {}),
      updatedAt: now,
    }).where(eq(detections.id, storedId));
    if (reopen) {
      await tx.insert(detectionTriage).values({
        detectionId: storedId, at: now, actorEmail: null, action: 'reopened', fromState: 'resolved', toState: 'open',
        detail: 'the activity went on after the incident was resolved',
      });
      return 'reopened';
    }
    return 'updated';
  });
}
