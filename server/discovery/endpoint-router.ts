// Finds the stored endpoint a request belongs to, the way the scorer and API gateways route:
// segment by segment, a literal beats a parameter inside a segment, which beats a whole-segment
// parameter; when the specific branch dead-ends the next one is tried. Built once from the
// endpoint table and swapped whole when it changes, so lookups on the ingest path take no lock.
import { normalizePath } from './path-normalize';
import { parseTemplate, segmentMatches, type Segment } from './template';

export interface RoutedEndpoint {
  id: string;
  template: string;
}

class Node {
  literals = new Map<string, Node>();
  mixed: { seg: Segment; node: Node }[] = [];
  param: Node | null = null;
  endpoint: RoutedEndpoint | null = null;
}

export class EndpointRouter {
  private trees = new Map<string, Node>();
  readonly size: number;

  constructor(endpoints: Iterable<RoutedEndpoint & { service: string; method: string }>) {
    let n = 0;
    for (const e of endpoints) {
      const k = treeKey(e.service, e.method);
      let node = this.trees.get(k);
      if (!node) this.trees.set(k, (node = new Node()));
      for (const seg of parseTemplate(e.template)) node = child(node, seg);
      node.endpoint = { id: e.id, template: e.template };
      n++;
    }
    this.size = n;
  }

  /** The endpoint of `service` that `method path` reaches, or null. `path` may carry a query. */
  match(service: string, method: string, path: string): RoutedEndpoint | null {
    if (this.size === 0) return null;
    const root = this.trees.get(treeKey(service, method.toUpperCase()));
    if (!root) return null;
    return find(root, normalizePath(path).segments, 0);
  }
}

function treeKey(service: string, method: string): string {
  return `${service}\u0000${method}`;
}

function child(node: Node, seg: Segment): Node {
  if (seg.kind === 'literal') {
    let c = node.literals.get(seg.text);
    if (!c) node.literals.set(seg.text, (c = new Node()));
    return c;
  }
  if (seg.kind === 'param') return (node.param ??= new Node());
  const same = node.mixed.find((m) => m.seg.kind === 'mixed' && m.seg.prefix === seg.prefix && m.seg.suffix === seg.suffix);
  if (same) return same.node;
  const c = new Node();
  node.mixed.push({ seg, node: c });
  // more literal characters first
  node.mixed.sort((a, b) => frame(b.seg) - frame(a.seg));
  return c;
}

function frame(s: Segment): number {
  return s.kind === 'mixed' ? s.prefix.length + s.suffix.length : 0;
}

function find(node: Node, segs: string[], i: number): RoutedEndpoint | null {
  if (i === segs.length) return node.endpoint;
  const v = segs[i];
  const lit = node.literals.get(v);
  if (lit) {
    const r = find(lit, segs, i + 1);
    if (r) return r;
  }
  for (const m of node.mixed) {
    if (!segmentMatches(m.seg, v)) continue;
    const r = find(m.node, segs, i + 1);
    if (r) return r;
  }
  if (node.param && v !== '') return find(node.param, segs, i + 1);
  return null;
}
