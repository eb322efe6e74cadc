// Times the view queries round by round and summarises them per query and per page.
import type { Ctx } from '@/server/context';
import type { Page, ViewQuery } from './bench-views-queries';

export interface Timings {
  /** per query (page, name, range): one duration per round, ms */
  perQuery: Map<ViewQuery, number[]>;
  /** per page and range: the sum of its queries in each round, ms */
  perPage: Map<string, number[]>;
}

/** Runs every query once per round, in page order; warm-up rounds are not recorded. */
export async function measure(ctx: Ctx, queries: ViewQuery[], warmup: number, rounds: number, progress: (round: number) => void): Promise<Timings> {
  const perQuery = new Map(queries.map((q) => [q, [] as number[]]));
  const perPage = new Map<string, number[]>();
  for (let round = -warmup; round < rounds; round++) {
    const pageSums = new Map<string, number>();
    for (const q of queries) {
      const t0 = performance.now();
      await q.run(ctx);
      const ms = performance.now() - t0;
      if (round < 0) continue;
      perQuery.get(q)!.push(ms);
      const page = pageKey(q.page, q.range);
      pageSums.set(page, (pageSums.get(page) ?? 0) + ms);
    }
    if (round >= 0) for (const [page, ms] of pageSums) perPage.set(page, [...(perPage.get(page) ?? []), ms]);
    progress(round);
  }
  return { perQuery, perPage };
}

export const pageKey = (page: Page, range: string | null) => `${page} ${range ?? 'now'}`;

/** Nearest-rank percentile of unsorted values. */
export function percentile(values: readonly number[], q: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.max(0, Math.ceil(q * sorted.length) - 1)] ?? Number.NaN;
}

const ms = (v: number) => v.toFixed(1).padStart(8);

/** The report on stdout: per query, per page, and the p95 over every individual timing. */
export function report(t: Timings, targetMs: number): number {
  const out: string[] = [];
  out.push(`${'page'.padEnd(18)} ${'query'.padEnd(26)} ${'range'.padEnd(5)} ${'p50_ms'.padStart(8)} ${'p95_ms'.padStart(8)} ${'max_ms'.padStart(8)}`);
  const all: number[] = [];
  for (const [q, v] of t.perQuery) {
    all.push(...v);
    const flag = percentile(v, 0.95) > targetMs ? '  > target' : '';
    out.push(`${q.page.padEnd(18)} ${q.name.padEnd(26)} ${(q.range ?? 'now').padEnd(5)} ${ms(percentile(v, 0.5))} ${ms(percentile(v, 0.95))} ${ms(Math.max(...v))}${flag}`);
  }
  out.push('');
  out.push('per page and range: the sum of its queries in a round (run one after another; a browser sends them in parallel)');
  for (const [page, v] of t.perPage) out.push(`${page.padEnd(45)} ${ms(percentile(v, 0.5))} ${ms(percentile(v, 0.95))} ${ms(Math.max(...v))}`);
  const p95 = percentile(all, 0.95);
  out.push('');
  out.push(`p95 over all ${all.length} individual query timings: ${p95.toFixed(1)} ms (target ≤ ${targetMs} ms${p95 > targetMs ? ': MISSED' : ''})`);
  out.push(`bench:views p95_ms=${Math.round(p95)}`);
  process.stdout.write(`${out.join('\n')}\n`);
  return p95;
}
