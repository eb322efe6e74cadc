// The children of one tree position as clustering sees them, across the raw nodes merged
// there: literal children by name, folded parameter children by suffix, and the evidence that
// sets some of them aside or back before merge-decision.ts weighs the rest: children only a few
// refused requests reached are strays (status-evidence.ts); a folded value that is the only one
// at its position goes back among the literals.
import { DOMINANT_SHARE } from './merge-decision';
import { BUSY_NAME, FEW_NAMES, isStructural } from './merge-evidence';
import { widenType, type ParamType } from './param-typing';
import { splitExtension } from './path-normalize';
import type { PathNode } from './path-tree';
import { classifySegment } from './segment-features';
import { unconfirmed } from './status-evidence';

export interface Folded {
  nodes: PathNode[];
  type: ParamType | null;
  examples: string[];
  /** distinct values the tree folded here (estimated) */
  values: number;
  /** values folded here because the position had more names than the tree keeps */
  overflow: number;
  /** the first value folded here, as it came, and its requests */
  first: string;
  firstCount: number;
}

export function emptyFolded(): Folded {
  return { nodes: [], type: null, examples: [], values: 0, overflow: 0, first: '', firstCount: 0 };
}

/** The literal and folded children of the nodes, by name and by suffix. */
export function childrenOf(nodes: PathNode[]): { literals: Map<string, PathNode[]>; folded: Map<string, Folded> } {
  const literals = new Map<string, PathNode[]>();
  const folded = new Map<string, Folded>();
  for (const n of nodes) {
    for (const [k, c] of n.children) {
      const list = literals.get(k);
      if (list) list.push(c);
      else literals.set(k, [c]);
    }
    for (const [ext, p] of n.params) {
      let f = folded.get(ext);
      if (!f) {
        f = { nodes: [], type: null, examples: [], values: 0, overflow: 0, first: p.first, firstCount: p.firstCount };
        folded.set(ext, f);
      }
      f.nodes.push(p.node);
      f.values += p.sketch.estimate();
      f.overflow += p.overflow;
      if (p.type) f.type = f.type === null ? p.type : widenType(f.type, p.type);
      for (const e of p.examples) if (f.examples.length < 3 && !f.examples.includes(e)) f.examples.push(e);
    }
  }
  return { literals, folded };
}

function allRefused(nodes: PathNode[]): boolean {
  return nodes.every((n) => n.refused === n.count);
}

/** Whether only a few refused requests reached the nodes: a probe or a typo, no endpoint yet. */
function strays(nodes: PathNode[]): boolean {
  let count = 0;
  let refused = 0;
  for (const n of nodes) {
    count += n.count;
    refused += n.refused;
  }
  return unconfirmed(count, refused);
}

/**
 * Takes out of `literals` and `folded` the children only a few refused requests reached: no
 * endpoints, nor evidence for a parameter. A word stays when the API uses it where requests
 * succeed: then it is one more call into the API (`/users/{id}/orders` answered 403), not a
 * probe (`/.env`) or a typo (`/odrers`, `/2s`); a number seen elsewhere (`/core/6/…` beside
 * `/issues/6`) vouches for nothing. Returns them by suffix.
 */
export function setStraysAside(names: () => Set<string>, literals: Map<string, PathNode[]>, folded: Map<string, Folded>): Map<string, PathNode[]> {
  const stray = new Map<string, PathNode[]>();
  const add = (ext: string, list: PathNode[]) => {
    const s = stray.get(ext);
    if (s) s.push(...list);
    else stray.set(ext, [...list]);
  };
  for (const [k, list] of literals) {
    if (!strays(list) || (names().has(k) && classifySegment(splitExtension(k).stem).idScore < 0.8)) continue;
    add(splitExtension(k).ext, list);
    literals.delete(k);
  }
  // Values only ever refused, beside one answered name that has nearly all the traffic, are probes
  // of it (`/svc/2029-03/…`, `/svc/2054-03/…` beside `/svc/2024-03/…`), however many there are.
  let total = 0;
  let busiestAnswered = 0;
  for (const list of literals.values()) {
    let answered = 0;
    for (const n of list) {
      total += n.count;
      answered += n.count - n.refused;
    }
    busiestAnswered = Math.max(busiestAnswered, answered);
  }
  for (const f of folded.values()) for (const n of f.nodes) total += n.count;
  const probesOfOne = busiestAnswered >= DOMINANT_SHARE * total;
  for (const [ext, f] of folded) {
    if (!strays(f.nodes) && !(probesOfOne && allRefused(f.nodes))) continue;
    add(ext, f.nodes);
    folded.delete(ext);
  }
  return stray;
}

/**
 * A position that only ever saw one value, folded for its shape (`bot123456`, `2025`), yet
 * requested often with a sub-tree below it, is a literal of the base path: an identifier
 * position shows many values. It goes back among the literals, where merge-decision.ts keeps
 * it literal (busyAmongFew, or as an API area).
 */
export function unfoldLoneValue(literals: Map<string, PathNode[]>, folded: Map<string, Folded>, versionPosition: boolean): void {
  if (folded.size !== 1) return;
  const [[ext, f]] = folded;
  if (f.nodes.length !== 1 || f.first === '') return;
  const node = f.nodes[0];
  // Where API areas sit, only an identifier by structure is one: a lone `commit-graph-v1`
  // folded for its letters and digits is an area like the others.
  const area = versionPosition && f.values <= 1 && !isStructural(classifySegment(f.first));
  // (a stray request or two with another value, `bot123456x`, may have come to the same place)
  const busy = literals.size < FEW_NAMES && f.firstCount >= BUSY_NAME && f.firstCount >= DOMINANT_SHARE * node.count && (node.children.size > 0 || node.params.size > 0);
  if (!area && !busy) return;
  const key = f.first + ext;
  if (literals.has(key)) return;
  literals.set(key, [node]);
  folded.delete(ext);
}

/** The literal segments of the tree below `node` that confirmed requests reached. */
export function confirmedNames(node: PathNode, into: Set<string>): Set<string> {
  for (const [k, c] of node.children) {
    if (c.refused === c.count) continue;
    into.add(k);
    confirmedNames(c, into);
  }
  for (const p of node.params.values()) confirmedNames(p.node, into);
  return into;
}
