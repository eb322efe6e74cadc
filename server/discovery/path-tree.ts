// The per-service tree of path segments that the learner grows from traffic. Each node keeps
// its literal children up to a cap; unambiguous identifiers (UUIDs, long integers…) and
// anything past the cap fold into a parameter child per suffix, counted with a sketch, so memory
// stays bounded on unbounded traffic. Whether a literal child is really a value is decided
// later, across all URLs, by merge-decision.ts.
import { DistinctSketch, hash32 } from './distinct-sketch';
import { typeOf, widenType, type ParamType, redact } from './param-typing';
import { EndpointStats, type Observation } from './endpoint-stats';
import { looksStrongId } from './segment-features';
import { splitExtension } from './path-normalize';
import { isRefused } from './status-evidence';

export const DEFAULT_CHILD_CAP = 256;
const MAX_EXAMPLES = 3;

export { EndpointStats };

// Most nodes are leaves or have one kind of child: they share these empty maps until the first
// write (insertPath swaps in a map of their own), which saves most of the allocation.
const NO_CHILDREN: Map<string, PathNode> = new Map();
const NO_PARAMS: Map<string, ParamChild> = new Map();
const NO_METHODS: Map<string, EndpointStats> = new Map();

export class PathNode {
  count = 0;
  /** requests below answered with a refusal any path gets (status-evidence.ts) */
  refused = 0;
  /** literal children by their raw segment */
  children = NO_CHILDREN;
  /** folded parameter children by suffix ('' or '.json') */
  params = NO_PARAMS;
  /** the one without a suffix, also in `params`: the common case, one step nearer */
  plainParam: ParamChild | null = null;
  /** requests ending here, per method */
  methods = NO_METHODS;
  /** a literal child's own segment (its key among its parent's children); '' for the others */
  seg = '';
  /** the literal child insertPath stepped to last: the same segment again skips the map */
  lastChild: PathNode | null = null;
  /** the method (and its stats) insertPath counted last here: a repeat skips the map */
  lastMethod = '';
  lastStats: EndpointStats | null = null;
}

export class ParamChild {
  node = new PathNode();
  sketch = new DistinctSketch();
  type: ParamType | null = null;
  examples: string[] = [];
  /** values folded here because the position already had `cap` literal children */
  overflow = 0;
  /** the first value, as it came, and how often it came: a position that (nearly) only ever
   * sees one value is a literal after all */
  first = '';
  firstCount = 0;
  private firstHash = 0;

  private seen = 0;
  /** the sketch's own limit, kept here so that a value it cannot take costs no further lookup */
  private limit = 0x100000000;

  add(stem: string): void {
    const h = hash32(stem);
    if (this.seen === 0) {
      this.first = stem;
      this.firstHash = h;
    }
    // the hash first: a different value rarely needs the stored one's text
    if (h === this.firstHash && stem === this.first) this.firstCount++;
    if (h < this.limit) {
      this.sketch.addHash(h);
      this.limit = this.sketch.limit;
    }
    // Typing every value of a hot position costs more than it tells: type a sample.
    if (this.seen++ >= 16 && (this.seen & 255) !== 0) return;
    const t = typeOf(stem);
    this.type = this.type === null ? t : widenType(this.type, t);
    if (this.examples.length < MAX_EXAMPLES) {
      const r = redact(stem);
      if (!this.examples.includes(r)) this.examples.push(r);
    }
  }
}

export function insertPath(
  root: PathNode,
  segments: string[],
  method: string,
  obs: Observation,
  queryKeys: string[],
  queryValues: string[],
  cap: number = DEFAULT_CHILD_CAP,
): void {
  const refused = isRefused(obs.status) ? 1 : 0;
  let node = root;
  node.count++;
  node.refused += refused;
  for (const seg of segments) {
    // the child taken last time from here, when it is the same one: no hashing, no map
    const last = node.lastChild;
    node = last !== null && seg === last.seg ? last : stepTo(node, seg, cap);
    node.count++;
    node.refused += refused;
  }
  countAt(node, method, obs, queryKeys, queryValues);
}

/**
 * `insertPath` for the part of a raw path before `end` that needs no normalising (no escape,
 * query or fragment: the caller checks): its segments are those between slashes, and the ones
 * the previous request through a node also took are matched in place, without cutting a string
 * out of the path.
 */
export function insertRawPath(
  root: PathNode,
  raw: string,
  end: number,
  method: string,
  obs: Observation,
  queryKeys: string[],
  queryValues: string[],
  cap: number = DEFAULT_CHILD_CAP,
): void {
  const refused = isRefused(obs.status) ? 1 : 0;
  let node = root;
  node.count++;
  node.refused += refused;
  let start = 0;
  while (start < end) {
    let slash = raw.indexOf('/', start);
    if (slash === -1 || slash > end) slash = end; // a query may hold slashes too
    if (slash > start) {
      const last = node.lastChild;
      node = last !== null && last.seg.length === slash - start && raw.startsWith(last.seg, start) ? last : stepTo(node, raw.slice(start, slash), cap);
      node.count++;
      node.refused += refused;
    }
    start = slash + 1;
  }
  countAt(node, method, obs, queryKeys, queryValues);
}

/** The child of `node` that `seg` leads to, made when it is new (the counts are the caller's). */
function stepTo(node: PathNode, seg: string, cap: number): PathNode {
  // An identifier never becomes a literal child (the test depends on the segment alone), so
  // it skips the lookup among them: a miss in a large map is the costliest step here.
  const plain = seg.indexOf('.') === -1 && seg.indexOf(':') === -1;
  // the test, once made, also serves below (for a plain segment the stem is the segment)
  let strong: boolean | null = null;
  if (node.children.size !== 0) {
    if (plain) strong = looksStrongId(seg);
    const found = strong === true ? undefined : node.children.get(seg);
    if (found) {
      node.lastChild = found;
      return found;
    }
  }
  // most segments carry no suffix: skip the suffix patterns for them
  let stem = seg;
  let ext = '';
  if (!plain) ({ stem, ext } = splitExtension(seg));
  const full = node.children.size >= cap;
  if (full || (strong ?? looksStrongId(stem))) {
    let p = ext === '' ? node.plainParam : node.params.get(ext);
    if (!p) {
      p = new ParamChild();
      if (node.params === NO_PARAMS) node.params = new Map();
      node.params.set(ext, p);
      if (ext === '') node.plainParam = p;
    }
    p.add(stem);
    if (full) p.overflow++;
    return p.node;
  }
  const next = new PathNode();
  next.seg = seg;
  if (node.children === NO_CHILDREN) node.children = new Map();
  node.children.set(seg, next);
  node.lastChild = next;
  return next;
}

/** One request ending at `node`, under `method`. */
function countAt(node: PathNode, method: string, obs: Observation, queryKeys: string[], queryValues: string[]): void {
  const last = node.lastStats;
  let stats = last !== null && method === node.lastMethod ? last : node.methods.get(method);
  if (!stats) {
    stats = new EndpointStats();
    if (node.methods === NO_METHODS) node.methods = new Map();
    node.methods.set(method, stats);
  }
  if (last !== stats) {
    node.lastMethod = method;
    node.lastStats = stats;
  }
  stats.add(obs, queryKeys, queryValues);
}
