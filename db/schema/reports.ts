import { sql } from 'drizzle-orm';
import { check, customType, index, integer, jsonb, pgTable, text, timestamp } from 'drizzle-orm/pg-core';
import { users } from './users';

const bytea = customType<{ data: Buffer; driverData: Buffer | Uint8Array }>({
  dataType: () => 'bytea',
  fromDriver: (v) => Buffer.from(v),
});

export type ReportFramework = 'pci_dss_v4' | 'soc2';

/** What a report covers: empty lists mean the whole fleet. */
export interface ReportScope {
  services: string[];
  namespaces: string[];
  clusters: string[];
}

/**
 * A generated compliance report (SPEC page `/reports`): the PDF and the evidence bundle (zip of
 * one CSV/JSON per section and a manifest of SHA-256s) kept as generated, so a download later
 * is byte-for-byte what was reviewed. `scheduleId` is set when a schedule produced it;
 * `generatedBy` is null then.
 */
export const reports = pgTable(
  'reports',
  {
    id: text('id').primaryKey(),
    framework: text('framework').$type<ReportFramework>().notNull(),
    title: text('title').notNull(),
    scope: jsonb('scope').$type<ReportScope>().notNull(),
    rangeFrom: timestamp('range_from', { withTimezone: true }).notNull(),
    rangeTo: timestamp('range_to', { withTimezone: true }).notNull(),
    generatedAt: timestamp('generated_at', { withTimezone: true }).notNull(),
    generatedBy: text('generated_by').references(() => users.id, { onDelete: 'set null' }),
    scheduleId: text('schedule_id'),
    pdf: bytea('pdf').notNull(),
    pdfSha256: text('pdf_sha256').notNull(),
    bundle: bytea('bundle').notNull(),
    bundleSha256: text('bundle_sha256').notNull(),
    /** per section: id, title, headline figures, for the history list */
    summary: jsonb('summary').$type<{ id: string; title: string; figures: Record<string, number | string> }[]>().notNull(),
  },
  (t) => [
    index('reports_generated').on(t.generatedAt),
    check('reports_framework_check', sql`${t.framework} in ('pci_dss_v4', 'soc2')`),
  ],
);

/** A report generated on a cadence; each run covers the period that just ended. */
export const reportSchedules = pgTable(
  'report_schedules',
  {
    id: text('id').primaryKey(),
    framework: text('framework').$type<ReportFramework>().notNull(),
    scope: jsonb('scope').$type<ReportScope>().notNull(),
    cadence: text('cadence').$type<'daily' | 'weekly' | 'monthly'>().notNull(),
    /** the end of the last period a report was generated for; the next covers from here */
    lastPeriodEnd: timestamp('last_period_end', { withTimezone: true }),
    nextRunAt: timestamp('next_run_at', { withTimezone: true }).notNull(),
    createdBy: text('created_by').references(() => users.id, { onDelete: 'set null' }),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
    failures: integer('failures').notNull().default(0),
    lastError: text('last_error'),
  },
  (t) => [
    index('report_schedules_next').on(t.nextRunAt),
    check('report_schedules_cadence_check', sql`${t.cadence} in ('daily', 'weekly', 'monthly')`),
    check('report_schedules_framework_check', sql`${t.framework} in ('pci_dss_v4', 'soc2')`),
  ],
);
