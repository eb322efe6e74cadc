// The clustering decision at one tree position: which literal children are really values of a
// parameter. A single string rarely decides it; the evidence is across URLs: how many distinct
// values the position takes, whether their sub-trees share one shape (Jaccard of child sets),
// and whether a word stands apart from the values next to it. Over-merging widens a whitelist,
// so when the evidence is thin the children stay literal. Where many names stand side by side,
// how they are used decides whatever they look like (many-values.ts); one busy name alone at
// its position is a literal however it looks (busyAmongFew).
import {
  alike,
  busyAmongFew,
  containment,
  distinctProfiles,
  inParentStyle,
  isHot,
  commonFrame,
  valueFrame,
  isStructuralId,
  jaccard,
  leadsOnlyToIds,
  apiAreas,
  inApiNamespace,
  median,
  mostlyPlural,
  richSubtree,
  sharesSubtree,
  SIMILAR,
  underCollection,
  type Candidate,
  type Position,
} from './merge-evidence';
import { isVocabulary, partlyVocabulary } from './api-vocabulary';
import { busyBesideMany, manyLeafValues, manyValues, rareBesideMany } from './many-values';
import { isCamelCase, isProtocolSegment, isReserved } from './segment-features';
import type { JoinRule } from '@/lib/segment-evidence';

export type { Candidate, Position } from './merge-evidence';
export { containment, jaccard } from './merge-evidence';

/** Word-like children needed before a position with no identifiers counts as a parameter. */
export const WORDS_FOR_PARAM_SUBTREE = 5;
export const WORDS_FOR_PARAM_LEAF = 16;
export const LEAVES_NEXT_TO_PARAM = 4;
export const WORDS_FOR_PARAM_AT_ROOT = 8;
/** A sibling with this share of the requests (and at least DOMINANT_MIN of them) is no value. */
export const DOMINANT_SHARE = 0.9;
export const DOMINANT_MIN = 50;
/**
 * Words outside the API's vocabulary, beside each other and sharing their sub-trees, beyond
 * which they are values even when each leads to an identifier (`/apis/{owner}/{api}`): APIs do
 * not list that many collections of unknown names in one place.
 */
export const WORDS_NOT_COLLECTIONS = 24;
/** Randomly cased identifiers at a position before camelCase there no longer marks a name. */
export const CASED_VALUES = 3;
/** Identifiers (integers) beside small numbers before those count as identifiers as well. */
export const SMALL_NUMBERS_BESIDE_IDS = 3;
/** camelCase names made of no API words, beside each other, before case no longer marks an endpoint. */
export const CASED_NAMES = 8;

/**
 * Under a plural collection (`/buckets/…`, `/instanceGroupManagers/…`) the next segment is
 * usually an item: fewer words that lead to the same suffixes are enough there.
 */
function wordsNeeded(n: number, pos: Position): number {
  return underCollection(pos) ? Math.min(n, 4) : n;
}

/** `numericVersions`: how many `1.0`-style children the position has; `siblings`: how many children */
function isVersionLike(c: Candidate, pos: Position, numericVersions: number, siblings: number): boolean {
  const f = c.features;
  if (isReserved(c.key) || isProtocolSegment(c.key)) return true;
  // `v2` is a version anywhere; `2.12.18` is one where API versions sit, or when it is alone
  // and carries an API below it (`/payroll.xro/1.0/…`); otherwise a value (`/versions/2.12.18`).
  // a three-part release number (`5.0.11`, `v2.3.0`) away from the API prefix is a value
  // unless it is a `v` version carrying an API of its own (`/oauth2/v3.1.5/accounts/…`)
  if (f.cls === 'version' && /^v?\d+\.\d+\.\d+/i.test(c.key)) return pos.versionPosition || (/^v/i.test(c.key) && siblings <= 2 && richSubtree(c));
  if (f.cls === 'version') return pos.versionPosition || /^v/i.test(c.key) || (numericVersions <= 2 && richSubtree(c)) || siblings <= 2;
  // A lone date carrying several resources is an API version wherever it sits
  // (`/amazonclouddirectory/2017-01-11/schema/…`).
  if (f.cls === 'date' && siblings <= 2 && richSubtree(c, 2)) return true;
  if (!pos.versionPosition) return false;
  return f.cls === 'date' || (f.cls === 'integer' && f.length <= 2);
}

/** Google-style custom methods (`{name}:cancel`) follow a resource name. */
function customMethodTargets(open: Candidate[]): string[] {
  const verbs = new Map<string, Set<string>>();
  for (const c of open) {
    if (!c.ext.startsWith(':')) continue;
    const stems = verbs.get(c.ext) ?? new Set<string>();
    stems.add(c.key.slice(0, c.key.length - c.ext.length));
    verbs.set(c.ext, stems);
  }
  const out: string[] = [];
  for (const c of open) {
    if (!c.ext.startsWith(':')) continue;
    // `evaluations:search`, `flexTemplates:launch`: collections have custom methods too
    const stem = c.key.slice(0, c.key.length - c.ext.length);
    if (/[a-z]s$/.test(stem) || isCamelCase(stem)) continue;
    if (c.features.idScore >= 0.3 || verbs.get(c.ext)!.size >= 4) out.push(c.key);
  }
  return out;
}

/**
 * Only leaves (or only parameters below): fan-out alone must be large and alike, and plural
 * nouns are collections, not values.
 */
function manyAlikeLeaves(pool: Candidate[]): string[] {
  const bare = pool.filter((c) => c.words.size === 0);
  if (bare.length < WORDS_FOR_PARAM_LEAF || mostlyPlural(bare)) return [];
  // many of them followed by an identifier: a list of collections (`/user/{id}/card/{id}`,
  // `/user/{id}/invoice/{id}`), not values
  if (bare.filter(leadsOnlyToIds).length * 4 >= bare.length) return [];
  const freq = new Map<string, number>();
  for (const c of bare) for (const s of c.shape) freq.set(s, (freq.get(s) ?? 0) + 1);
  const core = new Set<string>();
  for (const [s, n] of freq) if (n * 2 >= bare.length) core.add(s);
  const members = bare.filter((c) => jaccard(c.shape, core) >= SIMILAR);
  return members.length * 4 >= bare.length * 3 && members.length >= WORDS_FOR_PARAM_LEAF ? members.map((c) => c.key) : [];
}

/** Alike siblings outside the API's vocabulary needed before they count as items of a collection. */
export const ITEMS_UNDER_COLLECTION = 3;

/**
 * Under a collection (`/diskTypes/pine`, `/diskTypes/tango`, `/diskTypes/amber`), siblings whose
 * names are not API vocabulary and that answer the same methods and sub-resources are its
 * items; `search`, `count` or `export` next to them stay endpoints of their own.
 */
function collectionItems(pool: Candidate[]): string[] {
  // leaves and inner nodes are judged apart: an item's sub-tree is compared with its peers'
  const out = itemsAmong(pool.filter((c) => c.words.size === 0));
  for (const key of itemsAmong(pool.filter((c) => c.words.size > 0))) out.push(key);
  return out;
}

function itemsAmong(peers: Candidate[]): string[] {
  // Items are singular names; plurals (`genders`, `datastores`) list collections of their own.
  const items = peers.filter((c) => !isVocabulary(c.key) && !/[a-z]s$/.test(c.key));
  if (items.length < ITEMS_UNDER_COLLECTION || !alike(items) || distinctProfiles(items)) return [];
  // Where vocabulary words and plurals stand beside them, the unknown words are literals the
  // vocabulary lacks (`heavy-equipment` next to `uk`, `car`).
  if ((peers.length - items.length) * 3 > items.length) return [];
  // Values spread their traffic; one sibling with most of it is an endpoint among endpoints.
  let total = 0;
  let hottest = 0;
  for (const c of peers) {
    total += c.count;
    hottest = Math.max(hottest, c.count);
  }
  if (hottest >= 20 && hottest * 2 > total) return [];
  const typical = median(items.map((c) => c.count));
  // Values are skewed (a few hot ids): a busy sibling framed like the rest (`SKU-DIIF` among
  // `SKU-NPXG`, `SKU-OYXO`, …) is one of them, not an endpoint of its own.
  const cool = items.filter((c) => !isHot(c, typical));
  const frame = commonFrame(cool);
  return items.filter((c) => !isHot(c, typical) || (frame !== null && valueFrame(c.key) === frame && c.words.size === 0)).map((c) => c.key);
}

/**
 * A leaf's sub-resources all belong to the group's, and one of its methods does (all of them
 * when `everyMethod`).
 */
function leafFits(shape: Set<string>, groupShape: Set<string>, everyMethod: boolean): boolean {
  let method = false;
  for (const s of shape) {
    if (groupShape.has(s)) method ||= s[0] === '$';
    else if (s[0] !== '$' || everyMethod) return false;
  }
  return everyMethod || method;
}

/**
 * Returns the keys that join the parameter at this position; `why`, when given, gets for each
 * the rule of the branch that first added it (segment-evidence.ts): it changes no decision.
 */
export function decideParams(cands: Candidate[], pos: Position, why?: Map<string, JoinRule>): Set<string> {
  const areas = pos.apiAreas ?? apiAreas(cands);
  const join = decideByShapeAndSubtree(cands, pos, areas, why);
  if (pos.versionPosition) return join;
  // Then the stragglers: one more name beside many values, requested as rarely as they are.
  const groupShape = new Set<string>(pos.paramShape ?? []);
  const groupWords = new Set<string>(pos.paramWords);
  const joined = cands.filter((c) => join.has(c.key));
  for (const c of joined) {
    for (const s of c.shape) groupShape.add(s);
    for (const w of c.words) groupWords.add(w);
  }
  const fits = (c: Candidate) => (c.words.size > 0 ? sharesSubtree(c, groupShape, groupWords) : leafFits(c.shape, groupShape, false));
  const rest = cands.filter((c) => !join.has(c.key) && c.features.cls !== 'version' && !isReserved(c.key) && !isProtocolSegment(c.key) && !areas.has(c.key) && !inApiNamespace(c.key, pos.namespaces));
  for (const c of rareBesideMany(rest, joined.length + (pos.paramValues ?? 0), median(joined.map((c) => c.count)), fits)) {
    if (why && !join.has(c.key)) why.set(c.key, 'rare-beside-many');
    join.add(c.key);
  }
  // and a hot value: as busy as an endpoint, with the values' own sub-tree
  const values = joined.length + (pos.paramValues ?? 0);
  for (const c of busyBesideMany(rest.filter((c) => !join.has(c.key)), values, groupWords)) {
    if (why) why.set(c.key, 'busy-value');
    join.add(c.key);
  }
  return join;
}

function decideByShapeAndSubtree(cands: Candidate[], pos: Position, areas: Set<string>, why?: Map<string, JoinRule>): Set<string> {
  const join = new Set<string>();
  const add = (key: string, rule: JoinRule) => {
    if (why && !join.has(key)) why.set(key, rule);
    join.add(key);
  };
  const open: Candidate[] = [];
  let numericVersions = 0;
  for (const c of cands) if (c.features.cls === 'version' && !/^v/i.test(c.key)) numericVersions++;
  const versions: Candidate[] = [];
  const names = cands.length + (pos.paramValues ?? 0);
  for (const c of cands) {
    if (busyAmongFew(c, names) || isVersionLike(c, pos, numericVersions, cands.length) || areas.has(c.key) || inApiNamespace(c.key, pos.namespaces)) versions.push(c);
    else if (c.features.cls === 'version') add(c.key, 'version-value');
    else if (c.features.idScore >= 0.8 && (!pos.versionPosition || isStructuralId(c))) add(c.key, 'identifier-shape');
    else open.push(c);
  }
  // Many dates or small numbers in one "version" position are values after all.
  const numeric = versions.filter((c) => c.features.cls === 'date' || c.features.cls === 'integer');
  // (`/2015-03-31/functions/…` next to `/2018-10-31/…` are API versions: they carry whole APIs.)
  if (numeric.length >= 3 && alike(numeric)) for (const c of numeric) if (!richSubtree(c)) add(c.key, 'many-numbers');

  for (const key of customMethodTargets(open)) add(key, 'custom-method');

  const groupShape = new Set<string>(pos.paramShape ?? []);
  const groupWords = new Set<string>(pos.paramWords);
  for (const c of cands) {
    if (!join.has(c.key)) continue;
    for (const s of c.shape) groupShape.add(s);
    for (const w of c.words) groupWords.add(w);
  }
  // Small numbers where versions sit are identifiers too when many identifiers of the same
  // shape stand beside them (`/v1/16/backups` next to `/v1/402/backups`, `/v1/966/backups`).
  let integerIds = 0;
  for (const c of cands) if (join.has(c.key) && c.features.cls === 'integer') integerIds++;
  if (integerIds >= SMALL_NUMBERS_BESIDE_IDS)
    for (const c of versions) if (c.features.cls === 'integer' && !join.has(c.key) && sharesSubtree(c, groupShape, groupWords)) add(c.key, 'numbers-beside-ids');
  // More names than the tree keeps at one position: values, whatever they look like, except
  // an API word far busier than the others (`/repos/search` beside thousands of owners).
  if (pos.overflow) {
    const rest = open.filter((c) => !join.has(c.key));
    const typical = median(rest.map((c) => c.count));
    for (const c of rest) if (!(isVocabulary(c.key) && isHot(c, typical))) add(c.key, 'overflow');
  }
  // Many names used alike are values, however they are spelled; the leaves beside them that
  // answer as they do are values too, unless they are far busier (`/mediaservices/favourites`).
  // Without such names, many leaves can be values on their own (many-values.ts).
  const many = manyValues(open.filter((c) => !join.has(c.key)), groupWords);
  if (many.length === 0) {
    for (const c of manyLeafValues(open.filter((c) => !join.has(c.key)))) add(c.key, 'many-leaves');
  } else {
    for (const c of many) {
      add(c.key, 'many-names');
      for (const s of c.shape) groupShape.add(s);
      for (const w of c.words) groupWords.add(w);
    }
    const typical = median(many.map((c) => c.count));
    for (const c of open) if (c.words.size === 0 && !join.has(c.key) && !isVocabulary(c.key) && !isHot(c, typical) && leafFits(c.shape, groupShape, pos.versionPosition)) add(c.key, 'leaf-beside-values');
  }
  const hasGroup = pos.paramShape !== null || join.size > 0;
  // camelCase names an endpoint (`applicationCategories`), unless the values here are cased at
  // random themselves (`N9fF`, `GjWVs`, `p0t1Yr`): then case tells nothing
  const casedValues = cands.filter((c) => join.has(c.key) && c.features.upper > 0 && c.features.upper < c.features.letters).length;
  // nor where many cased names beside each other are made of no API words (`HamishOyelaran`,
  // `ZestyViolin`): names of things, not of endpoints
  const casedNames = open.filter((c) => !join.has(c.key) && isCamelCase(c.key) && !partlyVocabulary(c.key)).length;
  const caseTells = casedValues < CASED_VALUES && casedNames < CASED_NAMES;
  // PascalCase under a collection, each requested once or twice, reads as names of items
  const itemCase = (c: Candidate) => underCollection(pos) && /^[A-Z]/.test(c.key) && c.count <= 2;
  const apiStyle = (c: Candidate) => (caseTells && isCamelCase(c.key)) || inParentStyle(c.key, pos.parent);
  const pool = open.filter((c) => !join.has(c.key) && (!apiStyle(c) || itemCase(c)));

  // Under a collection, a name with a number is an item even when it is the only one seen,
  // unless it is a plural itself (`/tables/int64s`, `/tables/int32s`: sub-collections).
  if (underCollection(pos) && !pos.versionPosition) for (const c of pool) if (c.features.idScore >= 0.4 && !/[a-z\d]s$/.test(c.key)) add(c.key, 'item-with-number');

  if (underCollection(pos) && !pos.versionPosition) for (const key of collectionItems(pool)) add(key, 'collection-items');

  // Collective evidence: values of one parameter lead to the same suffixes
  // (`/apps/{owner}/{app}/releases`), literal siblings to vocabularies of their own. A child's
  // words are "shared" when a sibling or the identifiers next to it have them too.
  const seen = new Map<string, number>();
  for (const c of pool) for (const w of c.words) seen.set(w, (seen.get(w) ?? 0) + 1);
  const sharedWith = (c: Candidate): number => {
    let n = 0;
    for (const w of c.words) if ((seen.get(w) ?? 0) > 1 || groupWords.has(w)) n++;
    return n;
  };
  // API vocabulary (`agent`, `store`, `access` under `/mimic`) shares its sub-resources as
  // often as values do: it joins only next to identifiers, below.
  const informative = pool.filter((c) => c.words.size > 0 && !isVocabulary(c.key));
  const shared = informative.filter((c) => {
    const n = sharedWith(c);
    return n >= 2 || n * 2 >= c.words.size;
  });
  const evidence = informative.length + (hasGroup ? 1 : 0);
  // An API area gathers the traffic of many endpoints; values spread it over many names.
  let requests = 0;
  for (const c of pool) requests += c.count;
  const spread = pool.length / Math.max(1, requests);
  // REST alternates collection and item: words whose children are only identifiers
  // (`/gene/{id}/…`, `/by_id/{id}`) name collections, however alike their sub-trees are.
  const collections = informative.filter(leadsOnlyToIds).length;
  if (
    // Right under the root or a version sit the API's areas: only much evidence makes a value there.
    evidence >= (pos.versionPosition ? WORDS_FOR_PARAM_AT_ROOT : wordsNeeded(WORDS_FOR_PARAM_SUBTREE, pos)) &&
    (!pos.versionPosition || spread >= 0.1) &&
    shared.length * 4 >= informative.length * 3 &&
    informative.length > 0 &&
    !mostlyPlural(open) &&
    (collections * 2 < informative.length || informative.length >= WORDS_NOT_COLLECTIONS) &&
    !distinctProfiles(informative)
  ) {
    for (const c of informative) {
      // nearly all of the position's traffic in one word: an API area beside a few values
      // (`/protocol/msg/…` next to `/protocol/{prot}/get/config`), not the top value of a parameter
      if (sharedWith(c) === 0 || (c.count >= DOMINANT_MIN && c.count > DOMINANT_SHARE * requests)) continue;
      add(c.key, 'shared-subresources');
      for (const s of c.shape) groupShape.add(s);
    }
    // Values seen only on a leaf endpoint carry no suffix words; they join when their shape
    // is part of the group's.
    // (A value seen once or twice shows a method or two: one the group answers is enough,
    // except where the API's areas sit.)
    for (const c of pool) if (c.words.size === 0 && !isVocabulary(c.key) && leafFits(c.shape, groupShape, pos.versionPosition)) add(c.key, 'leaf-fits');
    return join;
  }

  if (pos.versionPosition) return join;

  if (hasGroup) {
    // Next to identifiers, a word stays literal unless several words share the values' shape:
    // a lone `me`, `search` or `count` is an endpoint of its own.
    const joined = cands.filter((c) => join.has(c.key));
    const typical = median(joined.map((c) => c.count));
    // API vocabulary next to identifiers is the literal sibling (`count`, `search`, `me`)
    const alikeWords = pool.filter((c) => !isVocabulary(c.key) && sharesSubtree(c, groupShape, groupWords));
    // a word far more frequent than the values around it is an endpoint (`/users/me`), unless
    // it is framed like them (`SKU-DIIF` among `SKU-NPXG`, `SKU-OYXO`: values are skewed)
    const frame = commonFrame([...joined, ...alikeWords.filter((c) => !isHot(c, typical))]);
    // nor does a word with nearly all of the position's traffic join stray names beside it
    // (`/protocol/msg/…`, 1,866 requests, beside two names requested once)
    let requests = 0;
    for (const c of cands) requests += c.count;
    const dominant = (c: Candidate) => c.count >= DOMINANT_MIN && c.count > DOMINANT_SHARE * requests;
    const similar = alikeWords.filter((c) => !dominant(c) && (!isHot(c, typical) || (frame !== null && valueFrame(c.key) === frame)));
    // Leaves carry little evidence (`/elements/search`, `/items/bulk` are leaves too): more of
    // them are needed than of words that lead to the parameter's suffixes.
    const deep = similar.filter((c) => c.words.size > 0);
    const leaves = similar.filter((c) => c.words.size === 0);
    if (deep.length >= 2 && !mostlyPlural(deep)) for (const c of deep) add(c.key, 'alike-beside-param');
    if (leaves.length >= LEAVES_NEXT_TO_PARAM && !mostlyPlural(leaves)) for (const c of leaves) add(c.key, 'leaves-beside-param');
    for (const c of similar) if (c.features.idScore >= 0.4) add(c.key, 'id-like-beside-param');
    return join;
  }

  if (informative.length * 4 <= pool.length) for (const key of manyAlikeLeaves(pool)) add(key, 'many-alike-leaves');
  return join;
}
