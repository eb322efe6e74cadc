// How a discovery engine does on the hard cases, from any benchmark's truth, traffic and
// the engine's predicted templates (apidisc's files or apidisc2's): nothing here depends on how
// the traffic was made. Routing is the scorer's.
//
// - literal siblings: true templates with 20+ requests that have a literal where the same method
//   also has a parameter (`/orders/upcoming` beside `/orders/{id}`), whose requests went to a
//   predicted template with a parameter there;
// - versions: true templates with a version-like literal (`v2`, `2`, `1.0`, `2015-03-31`) whose
//   requests went to a predicted template with a parameter there;
// - word-like identifiers: true parameters seen with 2+ distinct values, most of them shaped like
//   words (PascalCase names, slugs, single words, prefixed ids, short upper-case codes, mixed
//   case), that some predicted template kept as a literal — by shape;
// - noise: requests that match no true template but do match a predicted one (a whitelist built
//   from the prediction would let them through), and predicted templates only noise reached.
//
// `npx tsx scripts/apidisc2/hard-cases.ts --truth DIR/truth.json --pred PRED.json [--traffic FILE] [--examples N]`
import path from 'node:path';
import { isVersionLike } from './noise';
import { buildRouter, normPath, normTemplate, readPred, readTraffic, readTruth, route, type Router } from './scorer';

export type ValueClass = 'pascal' | 'slug' | 'word' | 'prefixed' | 'upper' | 'mixed' | 'digits' | 'opaque';
export const WORDLIKE_CLASSES: readonly ValueClass[] = ['pascal', 'slug', 'word', 'prefixed', 'upper', 'mixed'];

/** The shape class of one (decoded) path value. */
export function valueClass(v: string): ValueClass {
  if (/^\d+$/.test(v)) return 'digits';
  if (/^[A-Z][A-Z0-9]{1,3}$/.test(v)) return 'upper';
  if (/^[A-Z][a-z]+(?:[A-Z][a-z]*)+$/.test(v)) return 'pascal';
  if (/^[a-z]{2,5}[_-][A-Za-z0-9]{8,}$/.test(v) && /[A-Z0-9]/.test(v.slice(v.search(/[_-]/)))) return 'prefixed';
  if (/^[a-z]+(?:[-_.][a-z]+)+$/i.test(v)) return 'slug';
  if (/^[A-Za-z]{8,}$/.test(v) && /[A-Z]/.test(v.slice(1)) && /[a-z]/.test(v)) return 'mixed';
  if (/^[A-Za-z]+$/.test(v)) return 'word';
  return 'opaque';
}

interface Entry {
  service: string;
  method: string;
  template: string;
}

export interface HardCaseReport {
  literalSiblings: { merged: number; total: number; examples: string[] };
  versions: { generalised: number; total: number; examples: string[] };
  wordlike: Record<string, { keptLiteral: number; total: number }>;
  wordlikeExamples: string[];
  noise: { accepted: number; total: number; onlyNoiseTemplates: number };
}

const key = (service: string, method: string) => `${service}\u0001${method.toUpperCase()}`;

function routersOf(list: readonly Entry[]): Map<string, Router> {
  const sets = new Map<string, Set<string>>();
  for (const e of list) {
    const k = key(e.service, e.method);
    if (!sets.has(k)) sets.set(k, new Set());
    sets.get(k)!.add(normTemplate(e.template));
  }
  return new Map([...sets].map(([k, s]) => [k, buildRouter(s)]));
}

const decode = (s: string) => {
  try {
    return decodeURIComponent(s);
  } catch {
    return s;
  }
};

export function hardCases(truth: readonly Entry[], pred: readonly Entry[], traffic: readonly { service: string; method: string; path: string }[], nExamples = 5): HardCaseReport {
  const TR = routersOf(truth), PR = routersOf(pred);
  // prefixes with a `{}` child, per service and method
  const paramAt = new Set<string>();
  for (const e of truth) {
    const segs = normTemplate(e.template).split('/');
    segs.forEach((s, i) => {
      if (s === '{}') paramAt.add(`${key(e.service, e.method)} ${segs.slice(0, i).join('/')}`);
    });
  }
  // per true template: requests, predicted templates reached, values per `{}` position
  interface Seen { requests: number; preds: Set<string>; values: Map<number, Set<string>> }
  const seen = new Map<string, Seen>();
  const predHitByReal = new Set<string>(), predHitByNoise = new Set<string>();
  let noise = 0, accepted = 0;
  for (const r of traffic) {
    const k = key(r.service, r.method);
    const p = normPath(r.path);
    const t = TR.has(k) ? route(TR.get(k)!, p) : null;
    const q = PR.has(k) ? route(PR.get(k)!, p) : null;
    if (!t) {
      noise++;
      if (q) {
        accepted++;
        predHitByNoise.add(`${k} ${q}`);
      }
      continue;
    }
    if (q) predHitByReal.add(`${k} ${q}`);
    const tk = `${k} ${t}`;
    let s = seen.get(tk);
    if (!s) seen.set(tk, (s = { requests: 0, preds: new Set(), values: new Map() }));
    s.requests++;
    s.preds.add(q ?? '');
    const segs = p.split('/');
    t.split('/').forEach((ts, i) => {
      if (ts !== '{}') return;
      if (!s.values.has(i)) s.values.set(i, new Set());
      const vs = s.values.get(i)!;
      if (vs.size < 64) vs.add(decode(segs[i]));
    });
  }

  const report: HardCaseReport = {
    literalSiblings: { merged: 0, total: 0, examples: [] },
    versions: { generalised: 0, total: 0, examples: [] },
    wordlike: Object.fromEntries(WORDLIKE_CLASSES.map((c) => [c, { keptLiteral: 0, total: 0 }])),
    wordlikeExamples: [],
    noise: { accepted, total: noise, onlyNoiseTemplates: [...predHitByNoise].filter((x) => !predHitByReal.has(x)).length },
  };
  const paramIn = (preds: Set<string>, i: number) => [...preds].some((q) => q !== '' && (q.split('/')[i] ?? '').includes('{}'));
  for (const [tk, s] of seen) {
    const cut = tk.lastIndexOf(' ');
    const k = tk.slice(0, cut), t = tk.slice(cut + 1);
    const label = `${k.replace('\u0001', ' ')} ${t}`;
    const segs = t.split('/');
    let sibling = false, version = false, sibMerged = false, verMerged = false;
    segs.forEach((seg, i) => {
      if (i === 0 || seg === '' || seg.includes('{}')) return;
      if (s.requests >= 20 && paramAt.has(`${k} ${segs.slice(0, i).join('/')}`)) {
        sibling = true;
        if (paramIn(s.preds, i)) sibMerged = true;
      }
      if (isVersionLike(seg)) {
        version = true;
        if (paramIn(s.preds, i)) verMerged = true;
      }
    });
    if (sibling) {
      report.literalSiblings.total++;
      if (sibMerged && report.literalSiblings.merged++ < nExamples) report.literalSiblings.examples.push(label);
    }
    if (version) {
      report.versions.total++;
      if (verMerged && report.versions.generalised++ < nExamples) report.versions.examples.push(label);
    }
    for (const [i, values] of s.values) {
      if (values.size < 2) continue;
      const counts = new Map<ValueClass, number>();
      for (const v of values) counts.set(valueClass(v), (counts.get(valueClass(v)) ?? 0) + 1);
      const [top, n] = [...counts].sort((a, b) => b[1] - a[1])[0];
      if (!WORDLIKE_CLASSES.includes(top) || n * 2 <= values.size) continue;
      const bucket = report.wordlike[top];
      bucket.total++;
      const literal = [...s.preds].some((q) => q === '' || !(q.split('/')[i] ?? '').includes('{}'));
      if (literal) {
        bucket.keptLiteral++;
        if (report.wordlikeExamples.length < nExamples) report.wordlikeExamples.push(`${label} [${top}: ${[...values].slice(0, 3).join(', ')}]`);
      }
    }
  }
  return report;
}

/** One line: `literal_siblings_merged=a/b versions_generalised=a/b wordlike_kept_literal=a/b (pascal=a/b …) noise_accepted=x/y noise_only_templates=n`. */
export function formatHardCases(r: HardCaseReport): string {
  const w = Object.values(r.wordlike).reduce((a, b) => ({ keptLiteral: a.keptLiteral + b.keptLiteral, total: a.total + b.total }), { keptLiteral: 0, total: 0 });
  const per = Object.entries(r.wordlike).map(([c, b]) => `${c}=${b.keptLiteral}/${b.total}`).join(' ');
  return `literal_siblings_merged=${r.literalSiblings.merged}/${r.literalSiblings.total} versions_generalised=${r.versions.generalised}/${r.versions.total} wordlike_kept_literal=${w.keptLiteral}/${w.total} (${per}) noise_accepted=${r.noise.accepted}/${r.noise.total} noise_only_templates=${r.noise.onlyNoiseTemplates}`;
}

function main() {
  const arg = (name: string) => {
    const i = process.argv.indexOf(`--${name}`);
    return i === -1 ? undefined : process.argv[i + 1];
  };
  const truthFile = arg('truth'), predFile = arg('pred');
  if (!truthFile || !predFile) {
    console.error('usage: hard-cases.ts --truth DIR/truth.json --pred PRED.json [--traffic FILE] [--examples N]');
    process.exit(2);
  }
  const r = hardCases(readTruth(truthFile), readPred(predFile), readTraffic(arg('traffic') ?? path.join(path.dirname(truthFile), 'traffic.ndjson')), Number(arg('examples') ?? 5));
  for (const [name, list] of [['literal siblings merged', r.literalSiblings.examples], ['versions generalised', r.versions.examples], ['word-like kept literal', r.wordlikeExamples]] as const) {
    if (list.length) console.log(`-- ${name}\n${list.map((x) => '   ' + x).join('\n')}`);
  }
  console.log(`hard-cases ${formatHardCases(r)}`);
}

if (process.argv[1] && path.resolve(process.argv[1]) === import.meta.filename) main();
