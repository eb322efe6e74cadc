// Evidence about the children of one tree position, across the URLs seen below them: how
// alike their sub-trees are (Jaccard, containment of child sets), how their words are shared,
// how plural or API-styled their names are. merge-decision.ts weighs it.
import { isVocabulary, partlyVocabulary } from './api-vocabulary';
import { isCamelCase, type SegmentFeatures } from './segment-features';

export const SIMILAR = 0.5;

export interface Candidate {
  key: string;
  /** literal suffix of the segment (`.json`, `:cancel`) */
  ext: string;
  features: SegmentFeatures;
  count: number;
  /** child keys (identifiers as `{}`) plus `$METHOD` for requests ending here */
  shape: Set<string>;
  /** literal words a few levels below */
  words: Set<string>;
  /** requests per child key and method, kept for well-sampled candidates only */
  profile?: Map<string, number>;
}

export interface Position {
  /** only API prefixes above (`/api/v1/…`), no parameter: where `/v1`, `/1`, `/2010-04-01` live */
  versionPosition: boolean;
  /** shape of the folded parameter children, if there are any */
  paramShape: Set<string> | null;
  /** literal words below the folded parameter children */
  paramWords: Set<string>;
  /** the literal segment above, if any */
  parent: string | null;
  /** distinct values the folded parameter children have taken (estimated) */
  paramValues?: number;
  /** whether more names came here than the tree keeps literal: names without bound are values */
  overflow?: boolean;
  /** the service's API namespaces (apiNamespaces): names qualified by one are never values */
  namespaces?: Set<string>;
  /** the names here that are APIs or API groups (apiAreas), when the caller has them already */
  apiAreas?: Set<string>;
}

export function jaccard(a: Set<string>, b: Set<string>): number {
  if (a.size === 0 && b.size === 0) return 1;
  let inter = 0;
  for (const x of a) if (b.has(x)) inter++;
  return inter / (a.size + b.size - inter);
}

/** Share of a's elements that b also has: a sparse sample of the values' shape still fits. */
export function containment(a: Set<string>, b: Set<string>): number {
  if (a.size === 0) return 1;
  let inter = 0;
  for (const x of a) if (b.has(x)) inter++;
  return inter / a.size;
}

export function withoutMethods(a: Set<string>): Set<string> {
  const out = new Set<string>();
  for (const x of a) if (x[0] !== '$') out.add(x);
  return out;
}

/** `Folders` under `Recordings`: a word in the API's own PascalCase style is one of its literals. */
export function inParentStyle(key: string, parent: string | null): boolean {
  return parent !== null && /^[A-Z][a-z]/.test(parent) && /^[A-Z][a-z]/.test(key);
}

/**
 * Whether a child's sub-tree looks like the parameter's. Its words below are compared first
 * (values under values differ, the suffixes they lead to do not); a leaf compares its shape.
 */
export function sharesSubtree(c: Candidate, groupShape: Set<string>, groupWords: Set<string>): boolean {
  if (c.words.size > 0) {
    let n = 0;
    for (const w of c.words) if (groupWords.has(w)) n++;
    return n >= 2 || n * 2 >= c.words.size;
  }
  // methods are sampled thinly (a value seen once shows one method): compare sub-trees
  return containment(withoutMethods(c.shape), groupShape) >= SIMILAR;
}

export function underCollection(pos: Position): boolean {
  return pos.parent !== null && /[a-z][^s]s$/.test(pos.parent);
}

/** `/gene/{id}/…`: a word whose children are only identifiers names a collection. */
export function leadsOnlyToIds(c: Candidate): boolean {
  let ids = 0;
  for (const s of c.shape) {
    if (s[0] === '$') continue;
    if (!s.startsWith('{}')) return false;
    ids++;
  }
  return ids > 0;
}

/**
 * Where API versions and areas sit, only an identifier by structure counts (`rbac.k8s.io` is
 * host-shaped, yet an API group there).
 */
export function isStructuralId(c: Candidate): boolean {
  return isStructural(c.features);
}

export function isStructural(f: SegmentFeatures): boolean {
  return f.cls === 'integer' || f.cls === 'uuid' || f.cls === 'hex' || f.cls === 'email' || (f.cls === 'token' && f.digits >= 3);
}

/** Whether the candidates' sub-trees agree: each shares half its shape with the common core. */
export function alike(cs: Candidate[]): boolean {
  const freq = new Map<string, number>();
  for (const c of cs) for (const s of c.shape) freq.set(s, (freq.get(s) ?? 0) + 1);
  const core = new Set<string>();
  for (const [s, n] of freq) if (n * 2 >= cs.length) core.add(s);
  return cs.every((c) => containment(c.shape, core) >= SIMILAR);
}

/** A version carries an API below it: several different children, not one or two. */
export function richSubtree(c: Candidate, min = 3): boolean {
  let n = 0;
  for (const s of c.shape) if (s[0] !== '$') n++;
  return n >= min;
}

export function median(xs: number[]): number {
  if (xs.length === 0) return 0;
  const s = [...xs].sort((a, b) => a - b);
  return s[s.length >> 1];
}

/** Collections are plural nouns; a position whose words are mostly plurals lists collections. */
export function mostlyPlural(cs: Candidate[]): boolean {
  const plural = cs.filter((c) => /[a-z]s$/.test(c.key)).length;
  return plural * 2 >= cs.length;
}

/** Requests a candidate needs before its traffic profile counts as evidence. */
export const WELL_SAMPLED = 30;

/** Total variation distance between two count profiles, each normalised: 0 = same mix, 1 = disjoint. */
export function profileDistance(a: Map<string, number>, b: Map<string, number>): number {
  let na = 0;
  let nb = 0;
  for (const n of a.values()) na += n;
  for (const n of b.values()) nb += n;
  if (na === 0 || nb === 0) return 0;
  let d = 0;
  for (const [k, n] of a) d += Math.abs(n / na - (b.get(k) ?? 0) / nb);
  for (const [k, n] of b) if (!a.has(k)) d += n / nb;
  return d / 2;
}

/**
 * Values of one parameter are exchangeable: each well-sampled value sends its requests to the
 * same suffixes in about the same proportions, and only rarely-hit suffixes are seen below one
 * value alone. Literal resources that merely share verbs (`/msg/snmpv3/group/…`,
 * `/msg/syslog/send`) each have a mix of their own, and sub-resources no sibling has.
 */
export function distinctProfiles(cs: Candidate[]): boolean {
  const sampled = cs.filter((c) => c.profile !== undefined && c.count >= WELL_SAMPLED);
  if (sampled.length < 2) return false;
  // Values below values only where the siblings are as many as values are: a handful of API
  // verbs each followed by values (`/value/eval/{oid}`, `/value/mib/{oid}`) stay distinct.
  const profiles = cs.length >= FOLD_SIBLINGS ? foldValueFanOuts(sampled.map((c) => c.profile!)) : sampled.map((c) => c.profile!);
  const holders = holdersOf(profiles);
  let far = 0;
  let own = 0;
  let total = 0;
  // (a sub-resource counts as its own only when no sibling at all, sampled or not, has it)
  const shapeHolders = new Map<string, number>();
  for (const c of cs) for (const k of c.shape) shapeHolders.set(k, (shapeHolders.get(k) ?? 0) + 1);
  let busyOwn = 0;
  for (let i = 0; i < profiles.length; i++) {
    if (hasBusyOwn(profiles[i], shapeHolders, sampled[i].count)) busyOwn++;
    // compare each with the pooled mix of the others
    const rest = new Map<string, number>();
    for (let j = 0; j < profiles.length; j++) if (j !== i) for (const [k, n] of profiles[j]) rest.set(k, (rest.get(k) ?? 0) + n / sampled[j].count);
    if (profileDistance(profiles[i], rest) > 0.5) far++;
    for (const [k, n] of profiles[i]) {
      if (k[0] === '$') continue;
      total += n;
      if (holders.get(k) === 1) own += n;
    }
  }
  return far * 2 > sampled.length || own > PRIVATE_SHARE * total || busyOwn * BUSY_OWN_SHARE >= sampled.length;
}

/** One in this many well-sampled siblings with a busy sub-resource of its own makes them literals. */
export const BUSY_OWN_SHARE = 3;

/**
 * A busy sub-resource no sibling has (`/msg/snmpv3/usm`, `/msg/mqtt/client`): values of one
 * parameter are exchangeable, and what one busy value asks for, others ask for too.
 */
function hasBusyOwn(profile: Map<string, number>, holders: Map<string, number>, count: number): boolean {
  for (const [k, n] of profile) if (k[0] !== '$' && k[0] !== '{' && holders.get(k) === 1 && n >= 5 && n >= 0.1 * count) return true;
  return false;
}

function holdersOf(profiles: Map<string, number>[]): Map<string, number> {
  const holders = new Map<string, number>();
  for (const p of profiles) for (const k of p.keys()) holders.set(k, (holders.get(k) ?? 0) + 1);
  return holders;
}

/** Siblings needed before thin sub-resource names below them can be values: an API does not list that many names of its own in one place. */
export const FOLD_SIBLINGS = 24;
/** Thin sub-resource names below one sibling before they read as the values of a parameter below it. */
export const FANOUT_NAMES = 5;
/** Names per request at or above which sub-resources are spread thin (about 3 requests each or fewer). */
export const FANOUT_SPREAD = 0.3;

/**
 * Values of a parameter have values of their own below them (`/repos/{owner}/{repo}`): each
 * owner sends its requests to its own mix of repositories, many names a few requests each, so
 * owners look unlike each other name by name. Sub-resources that are few, busy or API words
 * (`/msg/snmpv3/group`) stay as they are; many names outside the API's words, spread thin, are
 * one parameter and are folded into `{}`.
 */
function foldValueFanOuts(profiles: Map<string, number>[]): Map<string, number>[] {
  return profiles.map((p) => {
    let names = 0;
    let requests = 0;
    for (const [k, n] of p) {
      if (!foldable(k)) continue;
      names++;
      requests += n;
    }
    if (names < FANOUT_NAMES || names < FANOUT_SPREAD * requests) return p;
    const folded = new Map<string, number>();
    for (const [k, n] of p) {
      const key = foldable(k) ? '{}' : k;
      folded.set(key, (folded.get(key) ?? 0) + n);
    }
    return folded;
  });
}

function foldable(key: string): boolean {
  // (`OndineHelmet` is a name, `listUsers` an endpoint)
  return key[0] !== '$' && key[0] !== '{' && !isVocabulary(key) && !namedInApiWords(key);
}

/** camelCase written in API words (`listUsers`, `PlayerOwnership`): how an API names an endpoint. */
export function namedInApiWords(key: string): boolean {
  return isCamelCase(key) && partlyVocabulary(key);
}

/** Share of well-sampled siblings' requests going to sub-resources only one of them has, beyond which they are literals. */
export const PRIVATE_SHARE = 0.35;

/** A sibling with most of the position's traffic and far more than the typical one is an endpoint of its own. */
export function isHot(c: Candidate, typical: number): boolean {
  return c.count >= 10 && typical > 0 && c.count > 4 * typical;
}

/**
 * The frame of an identifier with a literal prefix: `SKU-7PS8` → `SKU-|8`, `cus_Nf3k` →
 * `cus_|8`; null for a value without one (`alice`, `me`).
 */
export function valueFrame(key: string): string | null {
  const m = /^([A-Za-z]{2,5}[-_.])[A-Za-z0-9]{3,}$/.exec(key);
  return m ? `${m[1]}|${key.length}` : null;
}

/** The frame three quarters or more of `cs` share (at least three of them), or null. */
export function commonFrame(cs: Candidate[]): string | null {
  const n = new Map<string, number>();
  for (const c of cs) {
    const f = valueFrame(c.key);
    if (f) n.set(f, (n.get(f) ?? 0) + 1);
  }
  for (const [f, k] of n) if (k >= 3 && k * 4 >= cs.length * 3) return f;
  return null;
}

/** Requests a name needs, where the position has few names, before it is a literal whatever its shape. */
export const BUSY_NAME = 20;
/** Distinct names a position may have for a busy one among them to be a literal by traffic alone. */
export const FEW_NAMES = 2;

/**
 * An identifier position shows many names, each requested rarely; a literal one name requested
 * often. A name with a sub-tree of its own that carries many requests where only one or two
 * names were ever seen (`/external/3/…`, `/gw/2025-06/…`) is an API version or prefix, however
 * much it looks like a number.
 */
export function busyAmongFew(c: Candidate, names: number): boolean {
  if (names > FEW_NAMES || c.count < BUSY_NAME) return false;
  for (const s of c.shape) if (s[0] !== '$') return true;
  return false;
}

const API_VERSION = /^v\d+(?:(?:alpha|beta|preview)\d*)?$/i;

/**
 * A name whose children are mostly API versions (`/apis/storage.k8s.io/v1/…`,
 * `/apis/batch/v1beta1/…`) names an API or API group: values of a parameter do not carry
 * versions of their own, however much the name looks like one (`storage.k8s.io` reads as a
 * host name). Release numbers below a name (`/{package}/1.4.2`) are not API versions: values.
 */
function leadsToApiVersions(c: Candidate): boolean {
  // (a tenant's number or UUID before `/v1/…` is a value all the same)
  const f = c.features.cls;
  if (f === 'integer' || f === 'uuid' || f === 'hex') return false;
  let names = 0;
  let versions = 0;
  for (const s of c.shape) {
    if (s[0] === '$') continue;
    names++;
    if (API_VERSION.test(s)) versions++;
  }
  return versions > 0 && versions * 2 >= names;
}

/** API areas at one position beyond which, spread thin over requests, they are values after all. */
export const MANY_API_AREAS = 8;
/** Names per request at or above which names that lead to versions are values (a few requests each). */
export const AREAS_SPREAD = 0.1;

/**
 * The names at a position that are APIs or API groups: they lead to API versions, and they are
 * few, or gather much traffic each. Many names requested a few times each that lead to versions
 * are values of a registry (`/apis/{owner}/{api}/{version}`: each API's own versions).
 */
export function apiAreas(cands: Candidate[]): Set<string> {
  const areas = cands.filter(leadsToApiVersions);
  let requests = 0;
  for (const c of areas) requests += c.count;
  if (areas.length >= MANY_API_AREAS && areas.length >= AREAS_SPREAD * requests) return new Set();
  return new Set(areas.map((c) => c.key));
}

// `microsoft.graph.user`, `microsoft.graph.getByPath(path='x')`: a dotted namespace of
// lower-case labels, a member name, optionally a call's arguments
const QUALIFIED = /^([a-z][a-z0-9]*(?:\.[a-z][a-z0-9]*)+)\.([A-Za-z_][A-Za-z0-9_]*)(?:\(.*\))?$/;
/** Distinct members a namespace needs, across the service, before it is the API's own. */
export const NAMESPACE_MEMBERS = 8;

/**
 * Namespaces that qualify many different names across one service's paths (OData type casts
 * and bound functions: `/members/microsoft.graph.user`, `/items/{id}/microsoft.graph.delta()`).
 * Names in them are the API's own syntax wherever they appear; a host name (`api.example.com`)
 * qualifies a handful of top-level domains at most.
 */
export function apiNamespaces(names: Iterable<string>): Set<string> {
  const members = new Map<string, Set<string>>();
  for (const name of names) {
    const m = QUALIFIED.exec(name);
    if (!m) continue;
    let set = members.get(m[1]);
    if (!set) members.set(m[1], (set = new Set()));
    if (set.size < NAMESPACE_MEMBERS) set.add(m[2]);
  }
  const out = new Set<string>();
  for (const [ns, set] of members) if (set.size >= NAMESPACE_MEMBERS) out.add(ns);
  return out;
}

/** Whether `key` is a name qualified by one of the API's namespaces. */
export function inApiNamespace(key: string, namespaces: Set<string> | undefined): boolean {
  if (!namespaces || namespaces.size === 0) return false;
  const m = QUALIFIED.exec(key);
  return m !== null && namespaces.has(m[1]);
}
