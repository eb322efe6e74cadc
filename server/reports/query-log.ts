import type { SQL } from 'drizzle-orm';
import { PgDialect } from 'drizzle-orm/pg-core';
import { rows, type Db } from '@/db/client';

const dialect = new PgDialect();

function literal(v: unknown): string {
  if (v === null || v === undefined) return 'null';
  if (typeof v === 'number' || typeof v === 'bigint' || typeof v === 'boolean') return String(v);
  if (v instanceof Date) return `'${v.toISOString()}'`;
  const s = typeof v === 'string' ? v : JSON.stringify(v);
  return `'${s.replace(/'/g, "''")}'`;
}

/** The statement as PostgreSQL receives it, with its parameters listed after it. */
export function queryText(label: string, q: SQL): string {
  const { sql, params } = dialect.sqlToQuery(q);
  const text = sql.replace(/\s*\n\s*/g, '\n  ').trim();
  const bound = params.length ? `\n-- ${params.map((p, i) => `$${i + 1} = ${literal(p)}`).join(', ')}` : '';
  return `-- ${label}\n${text};${bound}`;
}

/**
 * Runs the statements behind a section's figures and keeps their text: the report's appendix
 * and sections.json carry each one so that an auditor can run it again.
 */
export class QueryLog {
  readonly texts: string[] = [];

  constructor(private readonly db: Db) {}

  async rows<T>(label: string, q: SQL): Promise<T[]> {
    this.texts.push(queryText(label, q));
    return rows<T>(this.db, q);
  }
}

/** Numbers from either engine (PGlite gives bigint as number, node-postgres as string). */
export const num = (v: unknown): number => (v === null || v === undefined ? 0 : Number(v));

/** A timestamp from either engine as an ISO string (null stays null). */
export function iso(v: unknown): string | null {
  if (v === null || v === undefined) return null;
  const d = v instanceof Date ? v : new Date(String(v));
  return Number.isNaN(d.getTime()) ? String(v) : d.toISOString();
}

export const pct = (part: number, whole: number): number => (whole > 0 ? Math.round((part / whole) * 1000) / 10 : 0);
