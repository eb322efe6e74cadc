import { sql } from 'drizzle-orm';
import { bigserial, check, doublePrecision, index, integer, jsonb, pgTable, primaryKey, text, timestamp, uniqueIndex } from 'drizzle-orm/pg-core';
import type { ActorType, DetectionKind, Severity, TriageState } from '@/lib/enums';
import { users } from './users';

/**
 * A detection's evidence as stored: the shape of `Detection['evidence']` in
 * server/detection/types.ts (checked there at compile time), declared here so db/ depends on
 * nothing in server/. Everything in it came from telemetry: the UI renders it as text only.
 */
export interface StoredDetectionEvidence {
  features: { feature: string; window: string | null; value: number; baseline: number | null; deviation: number | null; text: string }[];
  transitions: { from: string; to: string; probability: number; count: number }[];
  windows: string[];
  examples: { requestId: string; ts: number; method: string; path: string; status: number; actor: { type: ActorType; id: string } }[];
  timeline: { t: number; requests: number; errors: number }[];
}

/** What "deny this actor" put into a policy draft, for the detection's page to link to. */
export interface StoredMitigation {
  service: string;
  policyId: string;
  revision: number;
  kind: 'token' | 'user' | 'ip';
  value: string;
  expiresAt: string;
  by: string;
  at: string;
}

/**
 * An incident (SPEC "detection"): one attack, however many actors it used. The engine keeps an
 * id per incident while it grows (`detection_engine_ids` maps each to the row); triage state and
 * assignee belong to people and the engine never changes them, except that a resolved incident
 * that goes on is opened again.
 */
export const detections = pgTable(
  'detections',
  {
    id: text('id').primaryKey(),
    /** the engine's id of the incident when it was first stored */
    engineId: text('engine_id').notNull(),
    kind: text('kind').$type<DetectionKind>().notNull(),
    service: text('service'),
    startAt: timestamp('start_at', { withTimezone: true }).notNull(),
    endAt: timestamp('end_at', { withTimezone: true }).notNull(),
    score: doublePrecision('score').notNull(),
    severity: text('severity').$type<Severity>().notNull(),
    state: text('state').$type<TriageState>().notNull().default('open'),
    assigneeId: text('assignee_id').references(() => users.id, { onDelete: 'set null' }),
    evidence: jsonb('evidence').$type<StoredDetectionEvidence>().notNull(),
    actorCount: integer('actor_count').notNull().default(0),
    /** the first few actors, most implicated first, for the queue (all of them are in detection_actors) */
    topActors: jsonb('top_actors').$type<{ type: ActorType; id: string }[]>().notNull().default([]),
    mitigation: jsonb('mitigation').$type<StoredMitigation>(),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    index('detections_state_end').on(t.state, t.endAt),
    index('detections_end').on(t.endAt),
    // finding the stored incident an engine's new id continues (after a restart, on another replica)
    index('detections_kind_service_end').on(t.kind, t.service, t.endAt),
    check('detections_state_check', sql`${t.state} in ('open', 'acknowledged', 'resolved', 'false_positive')`),
    check('detections_severity_check', sql`${t.severity} in ('low', 'medium', 'high', 'critical')`),
    check('detections_score_check', sql`${t.score} >= 0 and ${t.score} <= 100`),
  ],
);

/** Every engine id that names a stored incident (one per engine run that saw it). */
export const detectionEngineIds = pgTable('detection_engine_ids', {
  engineId: text('engine_id').primaryKey(),
  detectionId: text('detection_id').notNull().references(() => detections.id, { onDelete: 'cascade' }),
});

/** The actors of each detection, searchable by type and id; `rank` 0 is the most implicated. */
export const detectionActors = pgTable(
  'detection_actors',
  {
    detectionId: text('detection_id').notNull().references(() => detections.id, { onDelete: 'cascade' }),
    actorType: text('actor_type').$type<ActorType>().notNull(),
    actorId: text('actor_id').notNull(),
    rank: integer('rank').notNull(),
  },
  (t) => [
    primaryKey({ columns: [t.detectionId, t.actorType, t.actorId] }),
    index('detection_actors_rank').on(t.detectionId, t.rank),
    // exact and prefix search (`203.0.113.`) across detections
    index('detection_actors_actor').on(t.actorId.op('text_pattern_ops'), t.actorType),
  ],
);

/** The triage history of a detection, for its page (the audit log has the same steps, chained). */
export const detectionTriage = pgTable(
  'detection_triage',
  {
    id: bigserial('id', { mode: 'number' }).primaryKey(),
    detectionId: text('detection_id').notNull().references(() => detections.id, { onDelete: 'cascade' }),
    at: timestamp('at', { withTimezone: true }).notNull(),
    /** null: the detector itself (a resolved incident that went on) */
    actorEmail: text('actor_email'),
    action: text('action').notNull(),
    fromState: text('from_state').$type<TriageState>(),
    toState: text('to_state').$type<TriageState>(),
    detail: text('detail'),
    reason: text('reason'),
  },
  (t) => [index('detection_triage_detection').on(t.detectionId, t.at)],
);

/**
 * False-positive feedback that keeps detections from being raised again, until it expires:
 * `actor` drops one actor from detections of this kind on this service, `rule` drops the kind
 * on the service altogether. Known good clients that should never be scored belong in the
 * allow-list (admins), not here.
 */
export const detectionSuppressions = pgTable(
  'detection_suppressions',
  {
    id: text('id').primaryKey(),
    scope: text('scope').$type<'actor' | 'rule'>().notNull(),
    kind: text('kind').$type<DetectionKind>().notNull(),
    /** null: detections that name no service */
    service: text('service'),
    actorType: text('actor_type').$type<ActorType>(),
    actorId: text('actor_id'),
    reason: text('reason').notNull(),
    /** the detection marked false positive that asked for it */
    detectionId: text('detection_id'),
    createdBy: text('created_by').notNull(),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
    expiresAt: timestamp('expires_at', { withTimezone: true }).notNull(),
    /** lifted by a person before it expired */
    liftedAt: timestamp('lifted_at', { withTimezone: true }),
    liftedBy: text('lifted_by'),
  },
  (t) => [
    index('detection_suppressions_live').on(t.expiresAt).where(sql`${t.liftedAt} is null`),
    check('detection_suppressions_scope_check', sql`(${t.scope} = 'rule' and ${t.actorId} is null) or (${t.scope} = 'actor' and ${t.actorId} is not null and ${t.actorType} is not null)`),
  ],
);

/**
 * Suspicion thresholds (SPEC): `*` is the global row, any other is a service's own. `windows`
 * holds each window's sensitivity in robust deviations (`5m`, `30m`, `4h`, `24h`).
 */
export const detectionThresholds = pgTable(
  'detection_thresholds',
  {
    service: text('service').primaryKey(),
    alert: doublePrecision('alert').notNull(),
    mitigate: doublePrecision('mitigate').notNull(),
    windows: jsonb('windows').$type<Record<string, number>>().notNull(),
    updatedBy: text('updated_by').notNull(),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [check('detection_thresholds_order', sql`${t.alert} >= 0 and ${t.alert} <= ${t.mitigate} and ${t.mitigate} <= 100`)],
);

/** Known good clients, never scored (search-engine bots, monitors, partner aggregators). */
export const detectionAllowList = pgTable(
  'detection_allow_list',
  {
    id: text('id').primaryKey(),
    type: text('type').$type<'ip' | 'cidr' | 'token' | 'user' | 'user_agent' | 'service'>().notNull(),
    value: text('value').notNull(),
    note: text('note').notNull(),
    createdBy: text('created_by').notNull(),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    uniqueIndex('detection_allow_list_value').on(t.type, t.value),
    check('detection_allow_list_type_check', sql`${t.type} in ('ip', 'cidr', 'token', 'user', 'user_agent', 'service')`),
  ],
);
