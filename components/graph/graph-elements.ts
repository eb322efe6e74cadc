import type { ElementDefinition } from 'cytoscape';
import { classColor } from '@/components/dataflow/class-badge';
import type { Topology } from '@/server/traffic/graph-schemas';

/** Error-rate bands of edges and nodes, as the legend shows them. */
export const ERROR_BANDS = [
  { label: 'under 1 %', below: 0.01, color: '#2fbf71' },
  { label: '1 – 5 %', below: 0.05, color: '#f0a53a' },
  { label: '5 % and over', below: Infinity, color: '#f0524f' },
] as const;
export const NO_DATA_COLOR = '#5d6d82';

export function errorColor(rate: number | null): string {
  if (rate === null) return NO_DATA_COLOR;
  return ERROR_BANDS.find((b) => rate < b.below)!.color;
}

/** How much of an edge's traffic was mutual TLS: drawn as the line style, so colour stays free. */
export type MtlsLevel = 'full' | 'partial' | 'none';
export function mtlsLevel(share: number | null): MtlsLevel {
  if (share === null || share <= 0) return 'none';
  return share >= 0.999 ? 'full' : 'partial';
}

export const MIN_WIDTH = 1;
export const MAX_WIDTH = 9;
/** Width by volume on a log scale: a mesh spans several orders of magnitude. */
export function edgeWidth(requests: number, maxRequests: number): number {
  if (maxRequests <= 0 || requests <= 0) return MIN_WIDTH;
  return MIN_WIDTH + ((MAX_WIDTH - MIN_WIDTH) * Math.log1p(requests)) / Math.log1p(maxRequests);
}

export const edgeId = (src: string, dst: string) => `${src}->${dst}`;
export const groupId = (namespace: string) => `ns:${namespace}`;

/** The part after the namespace, so labels inside a namespace group stay short. */
export function shortName(service: string, namespace: string | null): string {
  if (!namespace) return service;
  const at = service.lastIndexOf(`${namespace}/`);
  return at >= 0 ? service.slice(at + namespace.length + 1).replace(/^sa\//, '') : service;
}

export interface GraphElements {
  elements: ElementDefinition[];
  /** services that were in the answer but hidden by name */
  hiddenCount: number;
}

/**
 * Cytoscape elements for a topology: one compound parent per namespace (labelled with its
 * clusters), services inside, edges carrying both colours (error rate and top data class) so
 * the colour mode switches without rebuilding. Hidden services and their edges are left out.
 */
export function toElements(topology: Topology, hidden: readonly string[]): GraphElements {
  const hide = new Set(hidden);
  const nodes = topology.nodes.filter((n) => !hide.has(n.id));
  const kept = new Set(nodes.map((n) => n.id));
  const edges = topology.edges.filter((e) => kept.has(e.source) && kept.has(e.target));
  // Services left without an edge (their edges went with a hidden service) are noise.
  const linked = new Set(edges.flatMap((e) => [e.source, e.target]));
  const shown = nodes.filter((n) => linked.has(n.id));

  const clustersOf = new Map<string, Set<string>>();
  for (const n of shown) {
    if (!n.namespace) continue;
    const set = clustersOf.get(n.namespace) ?? new Set<string>();
    for (const c of n.clusters) set.add(c);
    clustersOf.set(n.namespace, set);
  }
  const groups: ElementDefinition[] = [...clustersOf.entries()]
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([ns, clusters]) => ({
      group: 'nodes',
      classes: 'namespace',
      data: { id: groupId(ns), label: clusters.size ? `${ns} · ${[...clusters].sort().join(', ')}` : ns, namespace: ns },
    }));

  const maxRequests = edges.reduce((m, e) => Math.max(m, e.requests), 0);
  const services: ElementDefinition[] = shown.map((n) => ({
    group: 'nodes',
    classes: n.external ? 'service external' : 'service',
    data: {
      id: n.id,
      label: shortName(n.id, n.namespace),
      ...(n.namespace ? { parent: groupId(n.namespace) } : {}),
      errColor: n.requestsIn > 0 ? errorColor(n.errorRate) : NO_DATA_COLOR,
      dataColor: n.classes.length ? classColor(n.classes[0]) : NO_DATA_COLOR,
    },
  }));
  const links: ElementDefinition[] = edges.map((e) => ({
    group: 'edges',
    classes: `mtls-${mtlsLevel(e.mtlsShare)}`,
    data: {
      id: edgeId(e.source, e.target),
      source: e.source,
      target: e.target,
      requests: e.requests,
      width: edgeWidth(e.requests, maxRequests),
      errColor: errorColor(e.errorRate),
      dataColor: e.classes.length ? classColor(e.classes[0].dataClass) : NO_DATA_COLOR,
      // what a big mesh still draws boldly among thousands of faint edges
      failing: e.errorRate !== null && e.errorRate >= ERROR_BANDS[0].below,
      sensitive: e.classes.length > 0,
    },
  }));
  return { elements: [...groups, ...services, ...links], hiddenCount: topology.nodes.length - nodes.length };
}

/** The services whose name contains `text` (case-insensitive), for find and hide-by-name. */
export function matching(topology: Topology | undefined, text: string): string[] {
  const t = text.trim().toLowerCase();
  if (!t || !topology) return [];
  return topology.nodes.filter((n) => n.id.toLowerCase().includes(t)).map((n) => n.id);
}
