'use client';

import type { Core, EdgeSingular, ElementDefinition } from 'cytoscape';
import { BIG_MESH, fcoseOptions } from './fcose-options';
import { useEffect, useRef, useState } from 'react';
import { graphStyle, LARGE_GRAPH_EDGES, readTheme } from './graph-style';
import type { ColourMode, Selection } from './graph-url';
import { loadLayout, saveLayout, type Positions } from './layout-cache';
import { loadCytoscape } from './load-cytoscape';
import { syncElements } from './sync-elements';
import { tidyLayout } from './tidy-layout';
import { tileLayout } from './tile-layout';

/** What the page (and the e2e test and benchmark) can read off the container once drawn. */
export interface DrawnGraph {
  layoutMs: number;
  /** `performance.now()` when the first frame with the graph was painted */
  drawnAt: number;
  fromCache: boolean;
}

/** The container element carries its cytoscape instance, so tests can find where an element is drawn. */
export type GraphContainer = HTMLDivElement & { cy?: Core };

/** Screen px around the fitted picture: each one taken from a small mesh's labels. */
const FIT_PADDING = 20;

const serviceIds = (elements: ElementDefinition[]) =>
  elements.filter((e) => e.group === 'nodes' && String(e.classes).split(' ').includes('service')).map((e) => String(e.data.id));

export function GraphCanvas({
  elements, colour, selection, found, onSelect, onDrawn,
}: {
  elements: ElementDefinition[];
  colour: ColourMode;
  selection: Selection;
  found: string[];
  onSelect: (s: Selection) => void;
  onDrawn?: (d: DrawnGraph) => void;
}) {
  const ref = useRef<GraphContainer>(null);
  const [cy, setCy] = useState<Core | null>(null);
  const [drawnKey, setDrawnKey] = useState<string | null>(null);
  const [failed, setFailed] = useState<string | null>(null);
  const select = useRef(onSelect);
  select.current = onSelect;
  const drawn = useRef(onDrawn);
  drawn.current = onDrawn;
  /** Puts what Find matched back in the middle (after the canvas resized). */
  const recentre = useRef<(() => void) | null>(null);
  const large = elements.filter((e) => e.group === 'edges').length > LARGE_GRAPH_EDGES;

  // One instance for the page's life; elements come and go through the effects below.
  useEffect(() => {
    let instance: Core | null = null;
    let cancelled = false;
    const el = ref.current!;
    loadCytoscape()
      .then((cytoscape) => {
        if (cancelled) return;
        instance = cytoscape({
          container: el,
          minZoom: 0.05,
          maxZoom: 3,
          boxSelectionEnabled: false,
          selectionType: 'single',
          autoungrabify: false,
        });
        instance.on('tap', 'node.service', (e) => select.current({ kind: 'node', service: e.target.id() }));
        instance.on('tap', 'edge', (e) => select.current({ kind: 'edge', src: e.target.data('source'), dst: e.target.data('target') }));
        instance.on('tap', (e) => {
          if (e.target === instance) select.current(null);
        });
        el.cy = instance;
        setCy(instance);
      })
      .catch((e: unknown) => setFailed(e instanceof Error ? e.message : String(e)));
    // The side panel opening narrows the canvas: what Find centred stays centred.
    const observer = new ResizeObserver(() => {
      instance?.resize();
      recentre.current?.();
    });
    observer.observe(el);
    return () => {
      cancelled = true;
      observer.disconnect();
      delete el.cy;
      instance?.destroy();
    };
  }, []);

  // Viewport tricks pay off on big meshes only: on small ones they make panning look blurry.
  useEffect(() => {
    if (!cy) return;
    // Init-time options in cytoscape's API; its canvas renderer reads them from these fields on each frame.
    const r = (cy as unknown as { renderer(): { textureOnViewport: boolean; hideEdgesOnViewport: boolean } }).renderer();
    r.textureOnViewport = large;
    r.hideEdgesOnViewport = large;
    cy.style(graphStyle(readTheme(ref.current!), colour, large));
  }, [cy, colour, large]);

  // New elements: the same services keep their places (data refreshes in place); a new set
  // is laid out: a big mesh in namespace tiles, a small one by fcose or from the layout cache.
  useEffect(() => {
    if (!cy) return;
    const el = ref.current!;
    const ids = serviceIds(elements).sort();
    const key = ids.join('\n');
    const tiled = ids.length > BIG_MESH;
    const aspect = el.clientWidth / Math.max(1, el.clientHeight);
    if (key === drawnKey) {
      syncElements(cy, tiled ? tileLayout(elements, aspect) : elements);
      return;
    }
    const started = performance.now();
    el.dataset.state = 'layout';
    // One add of the whole set: element by element costs a collection and a style pass each.
    cy.batch(() => {
      cy.elements().remove();
      cy.add(tiled ? tileLayout(elements, aspect) : elements);
    });
    const finish = (fromCache: boolean) => {
      const layoutMs = performance.now() - started;
      cy.fit(undefined, FIT_PADDING);
      setDrawnKey(key);
      // The next frame is the first one with the graph on screen.
      requestAnimationFrame(() => {
        const drawnAt = performance.now();
        el.dataset.state = 'ready';
        el.dataset.layoutMs = String(Math.round(layoutMs));
        el.dataset.drawnMs = String(Math.round(drawnAt));
        drawn.current?.({ layoutMs, drawnAt, fromCache });
      });
    };
    if (!ids.length || tiled) return finish(false);
    const cached = loadLayout(window.localStorage, ids);
    if (cached) {
      cy.nodes('.service').positions((n) => cached[n.id()]);
      return finish(true);
    }
    const layout = cy.layout(fcoseOptions(ids.length));
    layout.one('layoutstop', () => {
      tidyLayout(cy, aspect);
      const positions: Positions = {};
      cy.nodes('.service').forEach((n) => {
        const p = n.position();
        positions[n.id()] = { x: p.x, y: p.y };
      });
      saveLayout(window.localStorage, ids, positions);
      finish(false);
    });
    layout.run();
    // drawnKey is what this effect sets; it must not re-run for it.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [cy, elements]);

  // Selection: the chosen element, its neighbourhood bright, the rest faded.
  useEffect(() => {
    if (!cy || drawnKey === null) return;
    cy.batch(() => {
      cy.elements().unselect().removeClass('faded near');
      const id = selection ? (selection.kind === 'node' ? selection.service : `${selection.src}->${selection.dst}`) : null;
      if (!id) return;
      const el = cy.getElementById(id);
      if (el.empty()) return;
      el.select();
      const near = el.isNode() ? el.closedNeighborhood() : (el as EdgeSingular).union((el as EdgeSingular).connectedNodes());
      near.addClass('near');
      cy.elements('.service, edge').not(near).addClass('faded');
    });
  }, [cy, selection, drawnKey]);

  // Find: matches ringed and brought into view.
  const foundKey = found.join('\n');
  useEffect(() => {
    if (!cy || drawnKey === null) return;
    cy.nodes('.found').removeClass('found');
    recentre.current = null;
    if (!foundKey) return;
    let hits = cy.collection();
    for (const id of foundKey.split('\n')) hits = hits.union(cy.getElementById(id));
    hits.addClass('found');
    if (hits.empty()) return;
    const zoom = Math.max(cy.zoom(), 1.2);
    recentre.current = hits.length === 1
      // On the node itself (cy.center would centre its box, label included).
      ? () => {
        const p = hits.nodes()[0].position();
        cy.viewport({ zoom, pan: { x: cy.width() / 2 - p.x * zoom, y: cy.height() / 2 - p.y * zoom } });
      }
      : () => cy.fit(hits, 80);
    recentre.current();
    // Once the analyst moves the view, it is theirs.
    const release = () => { recentre.current = null; };
    cy.one('dragpan scrollzoom pinchzoom', release);
    return () => { cy.off('dragpan scrollzoom pinchzoom', release); };
  }, [cy, foundKey, drawnKey]);

  if (failed) {
    return <div className="alert error" role="alert">The graph could not be drawn: {failed}</div>;
  }
  return (
    <div
      ref={ref}
      className="graph-canvas"
      data-testid="graph-canvas"
      data-state="loading"
      role="img"
      aria-label="Service graph: services grouped by namespace, calls as arrows. Select a service or edge to open its details; use Find to select by name."
    />
  );
}
