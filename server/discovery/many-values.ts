// Where many names stand side by side, how they are used tells more than how they are spelled.
// Values of one parameter are many names, each requested rarely, whose sub-trees are samples of
// one shared sub-tree (`/teams/{team}/reviews/…`, `/resourceGroups/{group}/providers/…`);
// literal areas of an API each have sub-resources of their own (`/apis/apps/v1/deployments`
// beside `/apis/batch/v1/jobs`). This holds whatever the values look like: person names,
// PascalCase words or slugs, which the name-shape rules in merge-decision.ts keep literal when
// they are few.
import { isVocabulary, partlyVocabulary } from './api-vocabulary';
import { commonFrame, distinctProfiles, isHot, leadsOnlyToIds, median, mostlyPlural, namedInApiWords, valueFrame, WELL_SAMPLED, type Candidate } from './merge-evidence';

/** Names with a shared sub-tree needed before they are values whatever they look like. */
export const MANY_NAMES = 8;
/** Names that each lead only to an identifier needed before they are values and not collections. */
export const MANY_COLLECTION_NAMES = 24;

/** Siblings (one in this many, at least three) that must share a sub-resource word for it to be common. */
export const COMMON_SHARE = 8;
/** Names per request, at least, among values: each value is requested a few times, an API area often. */
export const SPREAD = 0.1;

/**
 * Whether most words below `c` are ones its siblings (or the parameter here) have too. A name
 * requested rarely shows only a sample of its sub-tree, and below values of a parameter not
 * merged yet most words are values themselves (`/build/{project}/{repo}/…`): for it, two shared
 * words are enough. A well-sampled name shows its sub-tree whole: most of it must be shared.
 */
function sharesWords(c: Candidate, df: Map<string, number>, groupWords: Set<string>, common: number): boolean {
  let n = 0;
  let sub = false;
  for (const w of c.words) {
    const k = df.get(w) ?? 0;
    if (k > 1 || groupWords.has(w)) n++;
    // one sub-resource many of them lead to (`providers`, `reviews`) is needed: words that only
    // two or three siblings share may be values further down, drawn from one pool
    // (`/api2/json/parseName/{first}/{last}` beside `/api2/json/genderFull/{first}/{last}`)
    if (k >= common || groupWords.has(w)) sub = true;
  }
  return sub && ((n >= 2 && c.count < WELL_SAMPLED) || n * 2 >= c.words.size);
}

/** Whether most of the requests below `c` go on to an identifier (`/elements/{id}/…`). */
function leadsToIds(c: Candidate): boolean {
  if (leadsOnlyToIds(c)) return true;
  if (!c.profile) return false;
  let ids = 0;
  let all = 0;
  for (const [k, n] of c.profile) {
    all += n;
    if (k.startsWith('{}')) ids += n;
  }
  return ids * 2 > all;
}

/**
 * The names among `open` (candidates with a sub-tree) that are values of one parameter: at least
 * MANY_NAMES of them, each sharing most of its sub-tree's words with its siblings, with traffic
 * mixes that agree. A name far busier than the values and written in API words (`me`,
 * `current`) stays an endpoint of its own.
 */
export function manyValues(open: Candidate[], groupWords: Set<string>): Candidate[] {
  const inner = open.filter((c) => c.words.size > 0);
  if (inner.length < MANY_NAMES) return [];
  const df = new Map<string, number>();
  for (const c of inner) for (const w of c.words) df.set(w, (df.get(w) ?? 0) + 1);
  const common = Math.max(3, inner.length / COMMON_SHARE);
  // camelCase made of API words names an endpoint (`PlayerSeasonStats`): such names are values
  // only when nearly all of them lead to one sub-resource, not merely to values from one pool
  const half = inner.length / 2;
  const commonSub = (c: Candidate) => {
    for (const w of c.words) if ((df.get(w) ?? 0) >= half || groupWords.has(w)) return true;
    return false;
  };
  let values = inner.filter((c) => sharesWords(c, df, groupWords, common) && (!namedInApiWords(c.key) || commonSub(c)));
  // REST alternates collection and item: names that lead (mostly) to identifiers are collections,
  // unless there are very many of them (`/apis/{owner}/{api}`); and collections are plural nouns.
  const collections = values.filter(leadsToIds);
  if (collections.length < MANY_COLLECTION_NAMES) values = values.filter((c) => !leadsToIds(c));
  if (values.length < MANY_NAMES || mostlyPlural(values) || distinctProfiles(values)) return [];
  // An API area gathers the traffic of many endpoints; values spread it over many names.
  if (!spreadThin(values, SPREAD)) return [];
  const typical = median(values.map((c) => c.count));
  return values.filter((c) => !(isHot(c, typical) && isVocabulary(c.key)));
}

/** Leaves needed before they are values whatever they look like. */
export const MANY_LEAVES = 16;
const WRITES = new Set(['$PUT', '$PATCH', '$DELETE']);
/** Names per request, at least, among leaves that are only read or posted to. */
export const READ_ONLY_SPREAD = 0.25;

/**
 * Leaves carry less evidence than sub-trees: many names outside the API's vocabulary, each
 * requested a few times, that end there are values. Written to one by one (`PATCH`, `PUT`,
 * `DELETE`: what one does to an item) a few requests each are enough; RPC methods such as
 * `chat.postMessage` are only read and posted to, so read-only names must be rarer still.
 */
export function manyLeafValues(open: Candidate[]): Candidate[] {
  const named = open.filter((c) => c.words.size === 0 && !leadsOnlyToIds(c) && !isVocabulary(c.key));
  const apart = apartFrom(named.map((c) => c.count));
  const leaves = named.filter((c) => c.count < apart);
  if (leaves.length < MANY_LEAVES || mostlyPlural(leaves)) return [];
  let written = 0;
  for (const c of leaves) {
    for (const s of c.shape) {
      if (!WRITES.has(s)) continue;
      written++;
      break;
    }
  }
  // Read-only leaves need their traffic spread thinner: an RPC method list is read as often as
  // each method is called, values are each asked for once or twice.
  if (!spreadThin(leaves, written * 4 >= leaves.length ? SPREAD : READ_ONLY_SPREAD)) return [];
  // a busy name framed like the values (`SKU-DIIF` among `SKU-NPXG`, `SKU-OYXO`) is one of them
  const frame = commonFrame(leaves);
  return frame === null ? leaves : [...leaves, ...named.filter((c) => c.count >= apart && valueFrame(c.key) === frame)];
}

/** Whether the names have at least `min` names per request between them. */
function spreadThin(cs: Candidate[], min: number): boolean {
  let requests = 0;
  for (const c of cs) requests += c.count;
  return cs.length >= min * requests;
}

/**
 * A single name beside many values joins them only when nothing in it reads like an endpoint:
 * not half made of API words (`listUsable`, `withoutCollection`), not a plural (`cultures`).
 */
export function unlikeEndpoint(key: string): boolean {
  return !partlyVocabulary(key) && !/[a-z]s$/.test(key);
}

/**
 * Beside a parameter that has many values already, a name requested no more often than a
 * typical value, outside the API's vocabulary and fitting the values' sub-tree is one more of
 * them, however it is spelled (`jGqUclznvWFeNsti` beside forty folded ones). An endpoint beside
 * identifiers is requested by every client (`/connections/recent`), a value by few.
 */
export function rareBesideMany(open: Candidate[], groupSize: number, typical: number, fits: (c: Candidate) => boolean): Candidate[] {
  if (groupSize < MANY_NAMES) return [];
  const rare = Math.max(2, typical);
  return open.filter((c) => c.count <= rare && unlikeEndpoint(c.key) && fits(c));
}

/** How far above the next name a name must be to stand apart from the values' curve. */
export const GAP = 4;

/**
 * Values' requests are skewed (a few hot ones), yet they lie on one curve, each a couple of
 * times the next; endpoints among values (`/roles/recent`, `/roles/mine` beside
 * `/roles/{role}`) sit above a gap in it. Returns the count from which names stand apart
 * (Infinity when there is no such gap).
 */
export function apartFrom(counts: number[]): number {
  const s = [...counts].sort((a, b) => b - a);
  let from = Infinity;
  for (let i = 0; i + 1 < s.length; i++) if (s[i] >= 10 && s[i] > GAP * s[i + 1]) from = s[i];
  return from;
}

/** Share of a busy name's sub-tree words that must be the parameter's for it to be one more value. */
export const MIRROR_SHARE = 0.75;

/**
 * Values are skewed: one of many may be requested far more than the rest (a big tenant, a test
 * account) and so was kept apart from them. Beside a parameter with many values, a name outside
 * the API's vocabulary whose sub-tree is (nearly) the parameter's own is one more value, however
 * busy: an endpoint beside identifiers leads elsewhere, or nowhere (`/movies/trending`).
 */
export function busyBesideMany(open: Candidate[], groupSize: number, groupWords: Set<string>): Candidate[] {
  if (groupSize < MANY_NAMES) return [];
  return open.filter((c) => {
    // a name followed by identifiers is a collection of its own (`/car/uk/{id}` beside `/car/{id}`)
    if (c.words.size < 2 || isVocabulary(c.key) || !unlikeEndpoint(c.key) || leadsToIds(c)) return false;
    let n = 0;
    for (const w of c.words) if (groupWords.has(w)) n++;
    return (n >= 2 && n >= MIRROR_SHARE * c.words.size) || mirrorsFirstLevel(c, groupWords);
  });
}

/** Sub-resources right below a busy name needed before they alone can show it is one more value. */
export const MIRROR_FIRST_LEVEL = 3;

/**
 * Below values there are often values again (`/orgs/{org}/teams/{team}`): a busy org's team
 * names are its own, so its deeper words do not mirror the parameter's. Its sub-resources right
 * below it still do: several of them, nearly all the parameter's.
 */
function mirrorsFirstLevel(c: Candidate, groupWords: Set<string>): boolean {
  let names = 0;
  let shared = 0;
  for (const s of c.shape) {
    if (s[0] === '$' || s[0] === '{') continue;
    names++;
    if (groupWords.has(s)) shared++;
  }
  return shared >= MIRROR_FIRST_LEVEL && shared >= MIRROR_SHARE * names;
}
