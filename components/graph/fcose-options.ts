import type { EdgeSingular, LayoutOptions } from 'cytoscape';

/** Services above which the layout trades quality for time (spectral draft, fewer iterations). */
export const BIG_MESH = 300;

const crossesNamespaces = (e: EdgeSingular) => e.source().data('parent') !== e.target().data('parent');

/**
 * fcose settings for the service graph. Calls across namespaces are long and slack, calls
 * inside one are short and stiff: a hub calling every namespace would otherwise drag the
 * namespace boxes over each other.
 */
export function fcoseOptions(services: number): LayoutOptions {
  const big = services > BIG_MESH;
  return {
    name: 'fcose',
    quality: big ? 'draft' : 'default',
    randomize: true,
    animate: false,
    fit: false,
    nodeDimensionsIncludeLabels: !big,
    uniformNodeDimensions: true,
    packComponents: true,
    tile: true,
    // Compact on purpose: the picture is fitted to the canvas, so slack becomes smaller labels.
    nodeRepulsion: () => 4_500,
    idealEdgeLength: (e: EdgeSingular) => (crossesNamespaces(e) ? 80 : 45),
    edgeElasticity: (e: EdgeSingular) => (crossesNamespaces(e) ? 0.1 : 0.45),
    nestingFactor: 0.1,
    gravity: 0.4,
    gravityCompound: 2,
    gravityRangeCompound: 1.2,
    numIter: big ? 600 : 2500,
    nodeSeparation: 50,
  } as LayoutOptions;
}
