// Walks one service's tree top-down, merging the children that decide-params picks into the
// parameter at each position (their sub-trees are walked together from then on), and emits the
// endpoint templates. The raw tree is not modified, so learning can go on afterwards.
import { isVocabulary } from './api-vocabulary';
import { decideParams, type Candidate, type Position } from './merge-decision';
import { keptReason, ownSubtreeTest, ParamTally, type KeptContext } from './evidence-tally';
import { apiAreas, apiNamespaces, FEW_NAMES, WELL_SAMPLED } from './merge-evidence';
import { paramName } from './param-naming';
import { redact, typeOf, widenType, type ParamType } from './param-typing';
import { EndpointStats, type PathNode } from './path-tree';
import { splitExtension } from './path-normalize';
import type { QueryParam } from './query-params';
import { isReserved, segmentFeatures as rawFeatures, type SegmentFeatures } from './segment-features';
import { childrenOf, confirmedNames, emptyFolded, setStraysAside, unfoldLoneValue, type Folded } from './position-children';
import type { JoinRule, SegmentEvidence } from '@/lib/segment-evidence';

export interface PathParam {
  name: string;
  type: ParamType;
  /** redacted */
  examples: string[];
}

export interface Endpoint {
  service: string;
  method: string;
  template: string;
  count: number;
  params: PathParam[];
  /** why each segment with siblings is a parameter or a literal (segment-evidence.ts) */
  evidence?: SegmentEvidence[];
  query: QueryParam[];
  /** everything else the learner kept about the requests that reached this template */
  stats: EndpointStats;
}

/** how deep below a child its words are collected: far enough to reach past one value level */
const DESCENT = 3;

// Clustering looks at the same keys many times (shapes, descendant words): classify each once.
const featureCache = new Map<string, SegmentFeatures>();
function segmentFeatures(s: string): SegmentFeatures {
  let f = featureCache.get(s);
  if (!f) {
    if (featureCache.size > 200_000) featureCache.clear();
    f = rawFeatures(s);
    featureCache.set(s, f);
  }
  return f;
}

/** In a shape, any identifier stands for the parameter it will become. */
function isIdLike(f: SegmentFeatures): boolean {
  return f.idScore >= 0.8;
}

/** `api`, `v1`, `1`, `2010-04-01`: segments that name the API, not a resource. */
function isApiPrefix(seg: string): boolean {
  const f = segmentFeatures(seg);
  return isReserved(seg) || f.cls === 'version' || f.cls === 'date' || (f.cls === 'integer' && f.length <= 2);
}

interface Walk {
  service: string;
  out: Endpoint[];
  /** literal segments the service's confirmed requests use anywhere (collected when first asked) */
  names: () => Set<string>;
  /** the service's API namespaces (collected when first asked) */
  namespaces: () => Set<string>;
  /** numbered families (`page-` before `.atom`) the service shows somewhere in full (collected when first asked) */
  families: () => Set<string>;
}

function shapeOf(nodes: PathNode[]): Set<string> {
  const shape = new Set<string>();
  for (const n of nodes) {
    for (const k of n.children.keys()) {
      const { stem, ext } = splitExtension(k);
      shape.add(isIdLike(segmentFeatures(stem)) ? '{}' + ext : k);
    }
    for (const ext of n.params.keys()) shape.add('{}' + ext);
    for (const m of n.methods.keys()) shape.add('$' + m);
  }
  return shape;
}

/** How the requests below the nodes spread over their children (identifiers as `{}`) and methods. */
function profileOf(nodes: PathNode[]): Map<string, number> {
  const profile = new Map<string, number>();
  const add = (k: string, n: number) => profile.set(k, (profile.get(k) ?? 0) + n);
  for (const n of nodes) {
    for (const [k, c] of n.children) {
      const { stem, ext } = splitExtension(k);
      add(isIdLike(segmentFeatures(stem)) ? '{}' + ext : k, c.count);
    }
    for (const [ext, p] of n.params) add('{}' + ext, p.node.count);
    for (const [m, st] of n.methods) add('$' + m, st.count);
  }
  return profile;
}

/** Literal words below the nodes (a few levels deep): the suffix vocabulary that values share. */
function descendantWords(nodes: PathNode[], depth: number, into: Set<string> = new Set()): Set<string> {
  if (depth === 0) return into;
  for (const n of nodes) {
    for (const [k, c] of n.children) {
      const f = segmentFeatures(splitExtension(k).stem);
      if (f.idScore < 0.8 && f.cls !== 'version') into.add(k);
      descendantWords([c], depth - 1, into);
    }
    for (const p of n.params.values()) descendantWords([p.node], depth - 1, into);
  }
  return into;
}

function emitEndpoints(w: Walk, nodes: PathNode[], segments: string[], params: PathParam[], evidence: SegmentEvidence[]): void {
  const byMethod = new Map<string, EndpointStats>();
  for (const n of nodes) {
    for (const [m, s] of n.methods) {
      let t = byMethod.get(m);
      if (!t) {
        t = new EndpointStats();
        byMethod.set(m, t);
      }
      s.mergeInto(t);
    }
  }
  const template = '/' + segments.join('/');
  for (const [method, s] of byMethod) {
    w.out.push({ service: w.service, method, template, count: s.count, params, evidence, query: s.query.list(), stats: s });
  }
}

/** File types a parameter was seen with before its suffix counts as part of the value. */
export const FILE_TYPES_FOR_NAME = 3;

/**
 * `{id}.json` next to `{id}.xml` is one resource in two formats, but a parameter seen as
 * `.png`, `.pdf`, `.txt`… is a file name: the suffix is part of the value.
 */
function foldFileTypes(folded: Map<string, Folded>): void {
  const types = [...folded.keys()].filter((ext) => ext.startsWith('.'));
  if (types.length < FILE_TYPES_FOR_NAME) return;
  let f = folded.get('');
  if (!f) {
    f = emptyFolded();
    folded.set('', f);
  }
  for (const ext of types) {
    const g = folded.get(ext)!;
    f.nodes.push(...g.nodes);
    f.type = 'string';
    for (const e of g.examples) if (f.examples.length < 3 && !f.examples.includes(e)) f.examples.push(e);
    folded.delete(ext);
  }
}

/**
 * Where an API's versions and areas sit: right under the API prefix, under any version segment
 * (`/pal/servlet/Payment/v68/…`), or after a bare `v` (`/codeadmin/v/2/…`); below a base path
 * of other names only where no more than a lone value or two was folded (identifiers say it is
 * a collection: `/api/user/{id}`).
 */
function isVersionPosition(segments: string[], prefix: boolean, folded: Map<string, Folded>): boolean {
  let folds = 0;
  for (const f of folded.values()) folds += f.values;
  if (prefix && (folds <= FEW_NAMES || segments.every(isApiPrefix))) return true;
  const last = segments.length > 0 ? segments[segments.length - 1] : null;
  return last !== null && (segmentFeatures(last).cls === 'version' || /^v$/i.test(last));
}

/**
 * `prefix`: only the API's base path is above (`/api/v1`, `/rest/api/2`, or a gateway's own
 * prefix: segments each the one name of their position, `/external/3`), no parameter.
 */
function walk(w: Walk, nodes: PathNode[], segments: string[], params: PathParam[], evidence: SegmentEvidence[], prefix: boolean, parent: string | null): void {
  emitEndpoints(w, nodes, segments, params, evidence);
  const { literals, folded } = childrenOf(nodes);
  const stray = setStraysAside(w.names, literals, folded);
  const versionPosition = isVersionPosition(segments, prefix, folded);
  unfoldLoneValue(literals, folded, versionPosition);
  if (literals.size === 0 && folded.size === 0) return;

  // `page-32.atom`, `page-74.atom`, `page-9.atom`: a literal prefix before a number
  const numbered = numberedGroups(literals, w.families);
  for (const g of numbered.values()) for (const k of g.keys) literals.delete(k);

  const cands: Candidate[] = [];
  for (const [key, list] of literals) {
    let count = 0;
    for (const c of list) count += c.count;
    const { stem, ext } = splitExtension(key);
    cands.push({ key, ext, features: segmentFeatures(stem), count, shape: shapeOf(list), words: descendantWords(list, DESCENT), profile: count >= WELL_SAMPLED ? profileOf(list) : undefined });
  }
  const paramNodes: PathNode[] = [];
  for (const f of folded.values()) paramNodes.push(...f.nodes);
  let paramValues = 0;
  for (const f of folded.values()) paramValues += f.values;
  const pos: Position = {
    versionPosition,
    paramShape: paramNodes.length > 0 ? shapeOf(paramNodes) : null,
    paramWords: descendantWords(paramNodes, DESCENT),
    parent,
    paramValues,
    overflow: [...folded.values()].some((f) => f.overflow > 0),
    // (only a dotted name can be in a namespace: most positions never need the service's names)
    namespaces: cands.some((c) => c.key.indexOf('.') >= 0) ? w.namespaces() : undefined,
    apiAreas: apiAreas(cands),
  };
  const why = new Map<string, JoinRule>();
  const join = decideParams(cands, pos, why);
  // the evidence of each parameter, from what the tree folded and the names that join it
  const tallies = new Map<string, ParamTally>();
  for (const [ext, f] of folded) {
    const t = new ParamTally();
    t.folded(f.values, requestsOf(f.nodes), f.overflow > 0);
    tallies.set(ext, t);
  }

  for (const key of join) {
    const { stem, ext } = splitExtension(key);
    let f = folded.get(ext);
    if (!f) {
      f = emptyFolded();
      folded.set(ext, f);
    }
    const list = literals.get(key)!;
    f.nodes.push(...list);
    let tally = tallies.get(ext);
    if (!tally) {
      tally = new ParamTally();
      tallies.set(ext, tally);
    }
    tally.joined(requestsOf(list), why.get(key) ?? 'identifier-shape');
    const t = typeOf(stem);
    f.type = f.type === null ? t : widenType(f.type, t);
    const r = redact(stem);
    if (f.examples.length < 3 && !f.examples.includes(r)) f.examples.push(r);
    literals.delete(key);
  }
  // Where the others made a parameter, a stray value is one of its (refused) calls: its sub-tree
  // may show the parameter's other methods and sub-resources.
  for (const [ext, list] of stray) folded.get(ext)?.nodes.push(...list);

  foldFileTypes(folded);
  for (const [ext, t] of tallies) {
    if (folded.has(ext)) continue;
    // folded by foldFileTypes into the parameter without a suffix
    let plain = tallies.get('');
    if (!plain) {
      plain = new ParamTally();
      tallies.set('', plain);
    }
    plain.absorb(t);
    tallies.delete(ext);
  }
  const numberedTallies = new Map<Numbered, ParamTally>();
  for (const g of numbered.values()) {
    const t = new ParamTally();
    for (const n of g.counts) t.joined(n, 'numbered');
    numberedTallies.set(g, t);
  }
  const at = segments.length;
  const kept = literals.size > 0 && (tallies.size > 0 || numberedTallies.size > 0) ? keptLiterals(literals, cands) : [];
  const literalEvidence = keptEvidence(at, cands, literals, pos, join, tallies, numberedTallies, paramValues, parent, params);

  // a name alone at its position, with no parameter beside it, extends the base path
  const sole = literals.size === 1 && folded.size === 0;
  for (const [key, list] of literals) {
    const ev = literalEvidence?.get(key);
    walk(w, list, [...segments, key], params, ev ? [...evidence, ev] : evidence, prefix && (sole || isApiPrefix(key)), key);
  }
  for (const [ext, f] of folded) {
    // names are unique within one template; sibling parameters (`{id}.json`, `{id}.xml`) share theirs
    const name = paramName(parent, new Set(params.map((p) => p.name)));
    const p: PathParam = { name, type: f.type ?? 'string', examples: f.examples };
    const ev = (tallies.get(ext) ?? new ParamTally()).evidence(at, kept, literals.size);
    walk(w, f.nodes, [...segments, `{${name}}${ext}`], [...params, p], [...evidence, ev], false, null);
  }
  for (const g of numbered.values()) {
    const name = paramName(parent, new Set(params.map((p) => p.name)));
    const p: PathParam = { name, type: 'integer', examples: g.examples };
    const ev = numberedTallies.get(g)!.evidence(at, kept, literals.size);
    walk(w, g.nodes, [...segments, `${g.prefix}{${name}}${g.ext}`], [...params, p], [...evidence, ev], false, null);
  }
}

function requestsOf(nodes: PathNode[]): number {
  let n = 0;
  for (const c of nodes) n += c.count;
  return n;
}

/**
 * The names kept literal at a position, busiest first: the "why not these" of its parameter.
 * Names only refused requests reached are left out: they are in no stored template.
 */
function keptLiterals(literals: Map<string, PathNode[]>, cands: Candidate[]): { name: string; requests: number }[] {
  const out: { name: string; requests: number }[] = [];
  for (const c of cands) {
    const list = literals.get(c.key);
    if (!list) continue;
    let refused = 0;
    for (const n of list) refused += n.refused;
    if (refused < c.count) out.push({ name: c.key, requests: c.count });
  }
  return out.sort((a, b) => b.requests - a.requests || (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
}

/**
 * Why each name kept literal at a position with other names stayed one; null where it was the
 * only name. Judged against the parameter beside it with the most values, if any.
 */
function keptEvidence(
  at: number,
  cands: Candidate[],
  literals: Map<string, PathNode[]>,
  pos: Position,
  join: Set<string>,
  tallies: Map<string, ParamTally>,
  numberedTallies: Map<Numbered, ParamTally>,
  paramValues: number,
  parent: string | null,
  params: PathParam[],
): Map<string, SegmentEvidence> | null {
  if (literals.size === 0) return null;
  let numberedKeys = 0;
  for (const g of numberedTallies.keys()) numberedKeys += g.keys.length;
  const names = cands.length + Math.round(paramValues) + numberedKeys;
  if (names <= 1) return null;
  let main: ParamTally | null = null;
  for (const t of [...tallies.values(), ...numberedTallies.values()]) if (!main || t.values > main.values) main = t;
  const median = main ? main.median() : null;
  const ownSubtree = ownSubtreeTest(cands, join, pos.paramShape, pos.paramWords, main !== null);
  const k: KeptContext = { versionPosition: pos.versionPosition, apiAreas: pos.apiAreas ?? apiAreas(cands), namespaces: pos.namespaces, parent, names, paramMedian: median, ownSubtree };
  const beside = main ? { name: paramName(parent, new Set(params.map((p) => p.name))), median: median! } : undefined;
  const out = new Map<string, SegmentEvidence>();
  for (const c of cands) {
    if (!literals.has(c.key)) continue;
    out.set(c.key, { kind: 'literal', at, code: keptReason(c, k), requests: c.count, siblings: names - 1, ...(beside ? { beside } : {}) });
  }
  return out;
}

/** Siblings sharing a prefix before a number that need to be seen before the number is a parameter. */
export const NUMBERED_SIBLINGS = 3;
const NUMBERED = /^([A-Za-z][A-Za-z_]*[-_.])(\d+)$/;

interface Numbered {
  prefix: string;
  ext: string;
  keys: string[];
  nodes: PathNode[];
  examples: string[];
  /** requests per key, for the evidence */
  counts: number[];
}

/** `page-32.atom` → family `page-\u0000.atom` (its key), prefix `page-`, number `32`; null for other names. */
function numberedName(key: string): { family: string; prefix: string; ext: string; number: string } | null {
  const { stem, ext } = splitExtension(key);
  const m = NUMBERED.exec(stem);
  return m ? { family: m[1] + '\u0000' + ext, prefix: m[1], ext, number: m[2] } : null;
}

/**
 * The numbered families of a service's tree: those seen with several distinct numbers side by
 * side somewhere in its confirmed requests.
 */
function numberedFamilies(node: PathNode, into: Set<string>): Set<string> {
  let counts: Map<string, number> | null = null;
  for (const [k, c] of node.children) {
    if (c.refused === c.count) continue;
    const f = numberedName(k)?.family;
    if (f !== undefined) {
      counts ??= new Map();
      counts.set(f, (counts.get(f) ?? 0) + 1);
    }
    numberedFamilies(c, into);
  }
  if (counts) for (const [f, n] of counts) if (n >= NUMBERED_SIBLINGS) into.add(f);
  for (const p of node.params.values()) numberedFamilies(p.node, into);
  return into;
}

/**
 * Literal children that are one word and a number (`page-32`, `series-7.atom`), by word and
 * suffix; only groups of several distinct numbers count, or of one family the service shows
 * in full elsewhere (`/search/page-{page}.atom`, then `/atoz/a/page-2.atom` seen once).
 */
function numberedGroups(literals: Map<string, PathNode[]>, families: () => Set<string>): Map<string, Numbered> {
  const groups = new Map<string, Numbered>();
  for (const [key, list] of literals) {
    const m = numberedName(key);
    if (!m) continue;
    let g = groups.get(m.family);
    if (!g) {
      g = { prefix: m.prefix, ext: m.ext, keys: [], nodes: [], examples: [], counts: [] };
      groups.set(m.family, g);
    }
    g.keys.push(key);
    g.nodes.push(...list);
    g.counts.push(requestsOf(list));
    const r = redact(m.number);
    if (g.examples.length < 3 && !g.examples.includes(r)) g.examples.push(r);
  }
  for (const [k, g] of groups) if (g.keys.length < NUMBERED_SIBLINGS && !families().has(k)) groups.delete(k);
  // Made-up prefixes side by side (`QIC-204`, `XB-31`, beside the same sub-resources) are codes,
  // each one value, not families of pages: they go back to be judged as names.
  const byExt = new Map<string, Numbered[]>();
  for (const g of groups.values()) byExt.set(g.ext, [...(byExt.get(g.ext) ?? []), g]);
  for (const list of byExt.values()) {
    if (list.length < 2 || list.some((g) => isVocabulary(g.prefix.slice(0, -1)))) continue;
    for (const g of list) groups.delete(g.prefix + '\u0000' + g.ext);
  }
  return groups;
}

/** All endpoint templates of one service's tree. */
export function templatesOf(service: string, root: PathNode): Endpoint[] {
  let names: Set<string> | null = null;
  let namespaces: Set<string> | null = null;
  let families: Set<string> | null = null;
  const w: Walk = {
    service,
    out: [],
    names: () => (names ??= confirmedNames(root, new Set())),
    namespaces: () => (namespaces ??= apiNamespaces(w.names())),
    families: () => (families ??= numberedFamilies(root, new Set())),
  };
  walk(w, [root], [], [], [], true, null);
  return w.out;
}

