// Precision and recall per class, by class × path × count against the planted truth.
import type { ScanResult } from '@/server/dataclass';
import { CORPUS_CLASSES } from './generate';

export interface ClassScore {
  class: string;
  planted: number;
  found: number;
  tp: number;
  fp: number;
  fn: number;
  precision: number;
  recall: number;
}

export type Tally = Record<string, { tp: number; fp: number; fn: number; planted: number; found: number }>;

export function newTally(): Tally {
  const t: Tally = {};
  for (const c of CORPUS_CLASSES) t[c] = { tp: 0, fp: 0, fn: 0, planted: 0, found: 0 };
  return t;
}

/** The result as `class\tpath` → count, the truth's shape. */
export function observed(result: ScanResult): Record<string, number> {
  const out: Record<string, number> = {};
  for (const c of result.classes) {
    for (const p of c.paths) out[`${c.class}\t${p.path === null ? 'null' : p.path}`] = p.count;
    if (c.otherPathsCount > 0) out[`${c.class}\t(other paths)`] = c.otherPathsCount;
  }
  return out;
}

/** Adds one body's comparison to the tally; returns the keys that differ (for diagnostics). */
export function score(tally: Tally, truth: Record<string, number>, seen: Record<string, number>): string[] {
  const diffs: string[] = [];
  const keys = new Set([...Object.keys(truth), ...Object.keys(seen)]);
  for (const k of keys) {
    const cls = k.slice(0, k.indexOf('\t'));
    const t = tally[cls] ?? (tally[cls] = { tp: 0, fp: 0, fn: 0, planted: 0, found: 0 });
    const want = truth[k] ?? 0;
    const got = seen[k] ?? 0;
    t.planted += want;
    t.found += got;
    t.tp += Math.min(want, got);
    t.fp += Math.max(0, got - want);
    t.fn += Math.max(0, want - got);
    if (want !== got) diffs.push(`${k}: planted ${want}, found ${got}`);
  }
  return diffs;
}

export function summarise(tally: Tally): ClassScore[] {
  return Object.keys(tally).map((c) => {
    const t = tally[c];
    return {
      class: c, planted: t.planted, found: t.found, tp: t.tp, fp: t.fp, fn: t.fn,
      precision: t.tp + t.fp === 0 ? 1 : t.tp / (t.tp + t.fp),
      recall: t.tp + t.fn === 0 ? 1 : t.tp / (t.tp + t.fn),
    };
  });
}
