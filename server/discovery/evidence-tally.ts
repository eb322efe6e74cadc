// Fills the segment evidence records (segment-evidence.ts) during the clustering pass: a tally
// per parameter as names join it, and the reason a name with siblings stayed literal.
import { isVocabulary } from './api-vocabulary';
import { busyAmongFew, inApiNamespace, inParentStyle, isHot, sharesSubtree, type Candidate } from './merge-evidence';
import { isCamelCase, isReserved } from './segment-features';
import { KEPT_SHOWN, type JoinRule, type KeepRule, type ParamEvidence } from '@/lib/segment-evidence';

/**
 * The median requests per value where `counts` are single names and `blockValues` folded values
 * share `blockRequests` evenly (merge-evidence.ts `median`: the upper middle).
 */
export function medianPerValue(counts: number[], blockValues: number, blockRequests: number): number {
  const n = Math.max(0, Math.round(blockValues));
  const avg = n > 0 ? blockRequests / n : 0;
  const total = counts.length + n;
  if (total === 0) return 0;
  const s = [...counts].sort((a, b) => a - b);
  const k = total >> 1;
  let below = 0;
  while (below < s.length && s[below] < avg) below++;
  const m = k < below ? s[k] : k < below + n ? avg : s[k - n];
  return Math.round(m * 10) / 10;
}

/** Accumulates one parameter's evidence while names join it. */
export class ParamTally {
  values = 0;
  requests = 0;
  private counts: number[] = [];
  private foldedValues = 0;
  private foldedRequests = 0;
  private rules = new Map<JoinRule, number>();

  /** values the tree folded as traffic came */
  folded(values: number, requests: number, overflow: boolean): void {
    const n = Math.round(values);
    this.values += n;
    this.requests += requests;
    this.foldedValues += n;
    this.foldedRequests += requests;
    if (n > 0) this.rule(overflow ? 'overflow' : 'identifier-shape', n);
  }

  joined(count: number, rule: JoinRule): void {
    this.values++;
    this.requests += count;
    this.counts.push(count);
    this.rule(rule, 1);
  }

  rule(code: JoinRule, keys: number): void {
    this.rules.set(code, (this.rules.get(code) ?? 0) + keys);
  }

  /** another tally folded into this one (`{id}.png`, `{id}.pdf` into `{id}`) */
  absorb(o: ParamTally): void {
    this.values += o.values;
    this.requests += o.requests;
    this.counts.push(...o.counts);
    this.foldedValues += o.foldedValues;
    this.foldedRequests += o.foldedRequests;
    for (const [code, n] of o.rules) this.rule(code, n);
    this.rule('file-names', o.values);
  }

  median(): number {
    return medianPerValue(this.counts, this.foldedValues, this.foldedRequests);
  }

  /** `kept`: the names kept literal beside it that may be listed, busiest first; `keptTotal`: all of them */
  evidence(at: number, kept: { name: string; requests: number }[], keptTotal = kept.length): ParamEvidence {
    const rules = [...this.rules].map(([code, keys]) => ({ code, keys })).sort((a, b) => b.keys - a.keys || a.code.localeCompare(b.code));
    return { kind: 'param', at, values: this.values, requests: this.requests, median: this.median(), rules, literals: kept.slice(0, KEPT_SHOWN), keptLiterals: Math.max(keptTotal, kept.length) };
  }
}

/** What a kept name is judged against: the position and the parameter beside it, if any. */
export interface KeptContext {
  versionPosition: boolean;
  /** names that are APIs or API groups here (merge-evidence.ts apiAreas) */
  apiAreas: Set<string>;
  /** the service's API namespaces (merge-evidence.ts apiNamespaces) */
  namespaces?: Set<string>;
  parent: string | null;
  /** all names at the position (a parameter counts its values) */
  names: number;
  /** the parameter's median requests per value, null without a parameter */
  paramMedian: number | null;
  /**
   * Whether the name's sub-tree is its own: unlike the parameter's (its own and its joined
   * names') where there is one, else shared with no sibling. Asked only for names with words.
   */
  ownSubtree: (c: Candidate) => boolean;
}

/**
 * Why a name stayed literal, read from the same tests the decision uses, most telling first.
 * Explains the outcome; it does not decide it.
 */
/**
 * `ownSubtree` for keptReason, its sets built on first use: most kept names are explained
 * before their sub-tree is looked at.
 */
export function ownSubtreeTest(cands: Candidate[], join: Set<string>, paramShape: Set<string> | null, paramWords: Set<string>, hasParam: boolean): (c: Candidate) => boolean {
  let shape: Set<string> | null = null;
  let words: Set<string> | null = null;
  let df: Map<string, number> | null = null;
  return (c) => {
    if (hasParam) {
      if (!shape || !words) {
        shape = new Set(paramShape ?? []);
        words = new Set(paramWords);
        for (const o of cands) {
          if (!join.has(o.key)) continue;
          for (const s of o.shape) shape.add(s);
          for (const w of o.words) words.add(w);
        }
      }
      return !sharesSubtree(c, shape, words);
    }
    if (!df) {
      df = new Map();
      for (const o of cands) for (const w of o.words) df.set(w, (df.get(w) ?? 0) + 1);
    }
    for (const w of c.words) if ((df.get(w) ?? 0) > 1) return false;
    return true;
  };
}

export function keptReason(c: Candidate, k: KeptContext): KeepRule {
  if (busyAmongFew(c, k.names)) return 'busy-few';
  if (k.apiAreas.has(c.key)) return 'api-versions';
  if (inApiNamespace(c.key, k.namespaces)) return 'qualified-name';
  if (k.versionPosition) return 'version-position';
  if (isReserved(c.key) || c.features.cls === 'version' || c.features.cls === 'date') return 'version-like';
  if (k.paramMedian !== null && isHot(c, k.paramMedian)) return 'busy-beside-param';
  if (isVocabulary(c.key)) return 'vocabulary';
  if (isCamelCase(c.key) || inParentStyle(c.key, k.parent)) return 'api-style';
  if (/[a-z]s$/.test(c.key)) return 'plural';
  if (c.words.size > 0 && k.ownSubtree(c)) return 'own-subresources';
  if (k.paramMedian !== null) return 'unlike-values';
  return 'few-names';
}
