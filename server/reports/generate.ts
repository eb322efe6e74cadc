// Compliance reports (SPEC page `/reports`): generate one (sections → PDF → evidence bundle, stored
// as generated and audited in the same transaction), list the history, read one, download its
// PDF or bundle (audited).
import { and, desc, eq, lt, or, sql } from 'drizzle-orm';
import { z } from 'zod';
import { reports, users } from '@/db/schema';
import { audited } from '@/server/audit/append';
import type { Ctx } from '@/server/context';
import { DomainError } from '@/server/errors';
import { newId } from '@/server/ids';
import { DEFAULT_RETENTION_DAYS } from '@/server/search/scope';
import { buildBundle, sha256 } from './bundle';
import { buildSections, FRAMEWORKS } from './frameworks';
import { renderReportPdf, type ReportMeta } from './pdf';
import { describeScope, reportScopeSchema } from './scope';
import { EMPTY_SCOPE, type ReportFramework, type ReportScope } from './types';

export const REPORT_FRAMEWORKS = ['pci_dss_v4', 'soc2'] as const satisfies readonly ReportFramework[];
export const frameworkSchema = z.enum(REPORT_FRAMEWORKS);
/** the longest period one report covers */
export const MAX_REPORT_DAYS = 400;
/** a report may end this far past the clock (a request sent as a period ends) */
const CLOCK_SLACK_MS = 60_000;

export const generateInput = z.object({
  framework: frameworkSchema,
  scope: reportScopeSchema.default(EMPTY_SCOPE),
  from: z.coerce.date(),
  to: z.coerce.date(),
});
export type GenerateInput = z.input<typeof generateInput>;

export interface GenerateOptions {
  /** MESHWARD_RETENTION_DAYS in force (the logging section reports it) */
  retentionDays?: number;
  /** set when a schedule runs the report */
  scheduleId?: string | null;
}

export const reportBrief = z.object({
  id: z.string(),
  framework: frameworkSchema,
  title: z.string(),
  scope: z.object({ services: z.array(z.string()), namespaces: z.array(z.string()), clusters: z.array(z.string()) }),
  scopeText: z.string(),
  from: z.date(),
  to: z.date(),
  generatedAt: z.date(),
  /** null when a schedule generated it (or the account is gone) */
  generatedBy: z.object({ id: z.string(), email: z.string() }).nullable(),
  scheduleId: z.string().nullable(),
  pdfSha256: z.string(),
  bundleSha256: z.string(),
  pdfBytes: z.number(),
  bundleBytes: z.number(),
  summary: z.array(z.object({ id: z.string(), title: z.string(), figures: z.record(z.string(), z.union([z.number(), z.string()])) })),
});
export type ReportBrief = z.infer<typeof reportBrief>;

const utcDay = (d: Date) => d.toISOString().slice(0, 10);

function checkPeriod(ctx: Ctx, from: Date, to: Date) {
  if (Number.isNaN(from.getTime()) || Number.isNaN(to.getTime())) throw new DomainError('BAD_REQUEST', 'The report period needs a valid start and end');
  if (from >= to) throw new DomainError('BAD_REQUEST', 'The report period must start before it ends');
  if (to.getTime() > ctx.now().getTime() + CLOCK_SLACK_MS) throw new DomainError('BAD_REQUEST', 'The report period must end by now: a report covers what has happened');
  if (to.getTime() - from.getTime() > MAX_REPORT_DAYS * 86_400_000) {
    throw new DomainError('BAD_REQUEST', `A report covers at most ${MAX_REPORT_DAYS} days: split the period`);
  }
}

export function reportTitle(framework: ReportFramework, scope: ReportScope, from: Date, to: Date): string {
  const whole = scope.services.length + scope.namespaces.length + scope.clusters.length === 0;
  const lastDay = new Date(to.getTime() - 1);
  const period = utcDay(from) === utcDay(lastDay) ? utcDay(from) : `${utcDay(from)} to ${utcDay(lastDay)}`;
  return `${FRAMEWORKS[framework].name} report, ${period}${whole ? '' : ' (scoped)'}`;
}

/**
 * Builds every section of the framework's report over [from, to), renders the PDF and the
 * evidence bundle, and stores them with the report's `report.generate` audit entry in one
 * transaction. The bytes are kept as generated: a download later is what was reviewed.
 */
export async function generateReport(ctx: Ctx, raw: GenerateInput, opts: GenerateOptions = {}): Promise<ReportBrief> {
  const input = generateInput.parse(raw);
  checkPeriod(ctx, input.from, input.to);
  const scheduleId = opts.scheduleId ?? null;
  if (!ctx.actor && !scheduleId) throw new DomainError('FORBIDDEN', 'Sign in to generate a report');
  const id = newId('rpt');
  const generatedAt = ctx.now();
  const meta: ReportMeta = {
    id,
    framework: input.framework,
    frameworkName: FRAMEWORKS[input.framework].name,
    title: reportTitle(input.framework, input.scope, input.from, input.to),
    scope: input.scope,
    from: input.from,
    to: input.to,
    generatedAt,
    generatedBy: ctx.actor ? ctx.actor.email : `schedule ${scheduleId}`,
  };
  const sections = await buildSections(ctx, input.framework, {
    scope: input.scope, from: input.from, to: input.to, retentionDays: opts.retentionDays ?? DEFAULT_RETENTION_DAYS,
  });
  const pdf = await renderReportPdf(meta, sections);
  const { zip } = buildBundle(meta, sections, pdf);
  const pdfSha256 = sha256(pdf);
  const bundleSha256 = sha256(zip);
  const summary = sections.map((s) => ({ id: s.id, title: s.title, figures: s.figures }));
  await audited(ctx, async (tx, audit) => {
    await tx.insert(reports).values({
      id, framework: input.framework, title: meta.title, scope: input.scope, rangeFrom: input.from, rangeTo: input.to, generatedAt,
      generatedBy: ctx.actor?.id ?? null, scheduleId, pdf, pdfSha256, bundle: zip, bundleSha256, summary,
    });
    audit({
      action: 'report.generate',
      targetType: 'report',
      targetId: id,
      after: {
        framework: input.framework, scope: input.scope, from: input.from.toISOString(), to: input.to.toISOString(), scheduleId,
        pdfSha256, bundleSha256,
      },
    });
  });
  return {
    id, framework: input.framework, title: meta.title, scope: input.scope, scopeText: describeScope(input.scope), from: input.from, to: input.to,
    generatedAt, generatedBy: ctx.actor ? { id: ctx.actor.id, email: ctx.actor.email } : null, scheduleId, pdfSha256, bundleSha256,
    pdfBytes: pdf.byteLength, bundleBytes: zip.byteLength, summary,
  };
}

// ---- history ------------------------------------------------------------------------------

export const listInput = z.object({
  limit: z.number().int().min(1).max(100).default(25),
  /** from the previous page's `nextCursor` */
  cursor: z.string().max(200).optional(),
  framework: frameworkSchema.optional(),
});
export type ListInput = z.input<typeof listInput>;
export const listOutput = z.object({ items: z.array(reportBrief), nextCursor: z.string().nullable() });

const briefColumns = {
  id: reports.id, framework: reports.framework, title: reports.title, scope: reports.scope, from: reports.rangeFrom, to: reports.rangeTo,
  generatedAt: reports.generatedAt, generatedById: reports.generatedBy, generatedByEmail: users.email, scheduleId: reports.scheduleId,
  pdfSha256: reports.pdfSha256, bundleSha256: reports.bundleSha256,
  pdfBytes: sql<number>`octet_length(${reports.pdf})`, bundleBytes: sql<number>`octet_length(${reports.bundle})`, summary: reports.summary,
};
type BriefRow = { [K in keyof typeof briefColumns]: unknown };

function toBrief(r: BriefRow): ReportBrief {
  const scope = r.scope as ReportScope;
  return {
    id: r.id as string, framework: r.framework as ReportFramework, title: r.title as string, scope, scopeText: describeScope(scope),
    from: r.from as Date, to: r.to as Date, generatedAt: r.generatedAt as Date,
    generatedBy: r.generatedById && r.generatedByEmail ? { id: r.generatedById as string, email: r.generatedByEmail as string } : null,
    scheduleId: (r.scheduleId as string | null) ?? null, pdfSha256: r.pdfSha256 as string, bundleSha256: r.bundleSha256 as string,
    pdfBytes: Number(r.pdfBytes), bundleBytes: Number(r.bundleBytes), summary: r.summary as ReportBrief['summary'],
  };
}

function decodeCursor(c: string): { at: Date; id: string } {
  const [ms, id] = Buffer.from(c, 'base64url').toString('utf8').split('|');
  const at = new Date(Number(ms));
  if (!id || !/^\d+$/.test(ms ?? '') || Number.isNaN(at.getTime())) throw new DomainError('BAD_REQUEST', 'That page of reports does not exist: reload the list');
  return { at, id };
}
const encodeCursor = (r: ReportBrief) => Buffer.from(`${r.generatedAt.getTime()}|${r.id}`).toString('base64url');

/** The report history, newest first, a page at a time. */
export async function listReports(ctx: Ctx, raw: ListInput = {}): Promise<z.infer<typeof listOutput>> {
  const input = listInput.parse(raw);
  const where = [];
  if (input.framework) where.push(eq(reports.framework, input.framework));
  if (input.cursor) {
    const c = decodeCursor(input.cursor);
    where.push(or(lt(reports.generatedAt, c.at), and(eq(reports.generatedAt, c.at), lt(reports.id, c.id)))!);
  }
  const found = await ctx.db.select(briefColumns).from(reports).leftJoin(users, eq(users.id, reports.generatedBy))
    .where(where.length ? and(...where) : undefined)
    .orderBy(desc(reports.generatedAt), desc(reports.id))
    .limit(input.limit + 1);
  const items = found.slice(0, input.limit).map(toBrief);
  return { items, nextCursor: found.length > input.limit ? encodeCursor(items[items.length - 1]) : null };
}

export const getInput = z.object({ id: z.string().min(1).max(100) });

export async function getReport(ctx: Ctx, raw: z.input<typeof getInput>): Promise<ReportBrief> {
  const { id } = getInput.parse(raw);
  const [r] = await ctx.db.select(briefColumns).from(reports).leftJoin(users, eq(users.id, reports.generatedBy)).where(eq(reports.id, id)).limit(1);
  if (!r) throw new DomainError('NOT_FOUND', `Report ${id.slice(0, 100)} does not exist (it may have been generated on another console's database)`);
  return toBrief(r);
}

// ---- download -----------------------------------------------------------------------------

export const ARTEFACTS = ['pdf', 'bundle'] as const;
export type Artefact = (typeof ARTEFACTS)[number];
export const downloadInput = z.object({ id: z.string().min(1).max(100), artefact: z.enum(ARTEFACTS) });

export interface Download {
  filename: string;
  contentType: string;
  body: Buffer;
  sha256: string;
}

/** A report's PDF or evidence bundle as stored, its reading audited as `report.download`. */
export async function downloadReport(ctx: Ctx, raw: z.input<typeof downloadInput>): Promise<Download> {
  const { id, artefact } = downloadInput.parse(raw);
  if (!ctx.actor) throw new DomainError('FORBIDDEN', 'Sign in to download reports');
  return audited(ctx, async (tx, audit) => {
    const column = artefact === 'pdf' ? reports.pdf : reports.bundle;
    const digest = artefact === 'pdf' ? reports.pdfSha256 : reports.bundleSha256;
    const [r] = await tx.select({ body: column, sha256: digest, framework: reports.framework, from: reports.rangeFrom, to: reports.rangeTo })
      .from(reports).where(eq(reports.id, id)).limit(1);
    if (!r) throw new DomainError('NOT_FOUND', `Report ${id.slice(0, 100)} does not exist`);
    audit({ action: 'report.download', targetType: 'report', targetId: id, after: { artefact, sha256: r.sha256 } });
    const name = `meshward-${r.framework.replace(/_/g, '-')}-${utcDay(r.from)}-${utcDay(new Date(r.to.getTime() - 1))}-${id}`;
    return artefact === 'pdf'
      ? { filename: `${name}.pdf`, contentType: 'application/pdf', body: r.body, sha256: r.sha256 }
      : { filename: `${name}-evidence.zip`, contentType: 'application/zip', body: r.body, sha256: r.sha256 };
  });
}
