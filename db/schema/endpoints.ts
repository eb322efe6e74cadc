import { sql } from 'drizzle-orm';
import { bigint, boolean, check, index, jsonb, pgTable, text, timestamp, uniqueIndex } from 'drizzle-orm/pg-core';

import type { EndpointState } from '@/lib/enums';
import type { SegmentEvidence } from '@/lib/segment-evidence';


export type ParamType = 'integer' | 'uuid' | 'hex' | 'date' | 'email' | 'slug' | 'string';
export interface EndpointParam {
  name: string;
  type: ParamType;
  /** redacted (`88**`) */
  examples: string[];
}
export interface EndpointQueryParam {
  name: string;
  count: number;
  type: ParamType;
}
export interface EndpointSensitiveField {
  class: string;
  direction: 'request' | 'response';
  path: string;
  count: number;
}
/** requests per status class */
export type StatusMix = Partial<Record<'1xx' | '2xx' | '3xx' | '4xx' | '5xx', number>>;

/**
 * A learned API operation of a service (SPEC "endpoint"): method + path template, what the
 * learner saw of it, and its review state. `template_key` is the template with parameter names
 * blanked (`/users/{}`): renaming a parameter keeps the endpoint. `routes` are the route strings
 * the rollups filed its traffic under (its template now and before a rename or merge, and the
 * coarse route used before it was learned).
 */
export const endpoints = pgTable(
  'endpoints',
  {
    id: text('id').primaryKey(),
    service: text('service').notNull(),
    method: text('method').notNull(),
    template: text('template').notNull(),
    templateKey: text('template_key').notNull(),
    state: text('state').$type<EndpointState>().notNull().default('learned'),
    /** new evidence merged or split this endpoint after it was reviewed */
    changed: boolean('changed').notNull().default(false),
    changedReason: text('changed_reason'),
    changedAt: timestamp('changed_at', { withTimezone: true }),
    /** `manual`: made by an analyst's merge or split; the learner does not replace it */
    origin: text('origin').$type<'learned' | 'manual'>().notNull().default('learned'),
    params: jsonb('params').$type<EndpointParam[]>().notNull().default([]),
    /**
     * why the learner made each segment with siblings a parameter or a literal
     * (server/discovery/segment-evidence.ts); null when learned before it was kept, or made by an analyst
     */
    evidence: jsonb('evidence').$type<SegmentEvidence[]>(),
    queryParams: jsonb('query_params').$type<EndpointQueryParam[]>().notNull().default([]),
    /** JSON Schema of the sampled, redacted bodies proxies sent (`meshward.sample`), sensitive fields marked */
    bodySchema: jsonb('body_schema'),
    sensitive: jsonb('sensitive').$type<EndpointSensitiveField[]>().notNull().default([]),
    statusMix: jsonb('status_mix').$type<StatusMix>().notNull().default({}),
    /** calls per calling service (`external` for the internet) */
    callers: jsonb('callers').$type<Record<string, number>>().notNull().default({}),
    routes: text('routes').array().notNull().default(sql`'{}'::text[]`),
    calls: bigint('calls', { mode: 'number' }).notNull().default(0),
    firstSeenAt: timestamp('first_seen_at', { withTimezone: true }),
    lastSeenAt: timestamp('last_seen_at', { withTimezone: true }),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
    reviewedBy: text('reviewed_by'),
    reviewedAt: timestamp('reviewed_at', { withTimezone: true }),
    reviewReason: text('review_reason'),
  },
  (t) => [
    uniqueIndex('endpoints_key').on(t.service, t.method, t.templateKey),
    index('endpoints_state').on(t.state, t.service),
    index('endpoints_created').on(t.createdAt),
    check('endpoints_state_check', sql`${t.state} in ('learned', 'approved', 'rejected')`),
  ],
);
