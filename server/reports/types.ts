import type { ReportFramework, ReportScope } from '@/db/schema/reports';
import type { Ctx } from '@/server/context';

export type { ReportFramework, ReportScope };

/** One value of a table cell: text from telemetry, a number, or nothing. */
export type Cell = string | number | null;

/** A table of evidence: all rows go to the bundle, the first few to the PDF. */
export interface SectionTable {
  /** file-name friendly: `services`, `publish_history` */
  name: string;
  title: string;
  columns: string[];
  rows: Cell[][];
}

/** A bar chart drawn in the PDF with vector operations. */
export interface SectionChart {
  title: string;
  /** one bar per point; `value2`, when given, is drawn over it (e.g. covered of all requests) */
  points: { label: string; value: number; value2?: number }[];
  legend: [string] | [string, string];
}

/**
 * What every section builder returns: headline figures, the tables behind them, the SQL that
 * produced each figure (as run, placeholders and their values shown, so an auditor can rerun
 * it) and a one-paragraph statement for people.
 */
export interface Section {
  id: string;
  title: string;
  /** requirement references of the framework, e.g. `PCI DSS 10.2.1` */
  requirements: string[];
  figures: Record<string, number | string>;
  /** figure key → its label in the PDF (keys are for machines) */
  labels: Record<string, string>;
  tables: SectionTable[];
  charts: SectionChart[];
  queries: string[];
  statement: string;
  /** what each figure means, spelled out (coverage, silence, …) */
  definitions: string[];
}

/** What a section covers. */
export interface SectionParams {
  scope: ReportScope;
  from: Date;
  to: Date;
  /** MESHWARD_RETENTION_DAYS in force */
  retentionDays: number;
  /** sensitive-data classes the data section reports; null = every class */
  dataClasses: string[] | null;
}

export type SectionBuilder = (ctx: Ctx, p: SectionParams) => Promise<Section>;

export const EMPTY_SCOPE: ReportScope = { services: [], namespaces: [], clusters: [] };
