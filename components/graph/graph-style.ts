import type { StylesheetJson } from 'cytoscape';
import type { ColourMode } from './graph-url';

export interface Theme {
  text: string;
  muted: string;
  faint: string;
  panel: string;
  panel2: string;
  border: string;
  accent: string;
}

/** Cytoscape draws on a canvas: it needs the console's CSS colours as values. */
export function readTheme(el: Element): Theme {
  const css = getComputedStyle(el);
  const v = (name: string, fallback: string) => css.getPropertyValue(name).trim() || fallback;
  return {
    text: v('--text', '#d8e0ea'),
    muted: v('--muted', '#8797ab'),
    faint: v('--faint', '#5d6d82'),
    panel: v('--panel', '#111821'),
    panel2: v('--panel-2', '#17202b'),
    border: v('--border-strong', '#33445a'),
    accent: v('--accent', '#4c8dff'),
  };
}

/** Above this many edges, edges are drawn straight without curves: the frame rate matters more. */
export const LARGE_GRAPH_EDGES = 800;

export function graphStyle(theme: Theme, colour: ColourMode, large: boolean): StylesheetJson {
  const colourOf = colour === 'errors' ? 'data(errColor)' : 'data(dataColor)';
  return [
    {
      selector: 'node.service',
      style: {
        width: 16,
        height: 16,
        'background-color': theme.panel2,
        'border-width': 3,
        'border-color': colourOf,
        label: 'data(label)',
        color: theme.text,
        // 16 model px: a mesh of a few dozen services fits at a zoom of 0.7–1, so 11–16 px on screen.
        'font-size': 16,
        'text-valign': 'bottom',
        'text-margin-y': 2,
        'text-outline-color': theme.panel,
        'text-outline-width': 2,
        // Labels go when they would be unreadable anyway, which also keeps big meshes fast.
        'min-zoomed-font-size': 7,
      },
    },
    {
      selector: 'node.external',
      style: { shape: 'diamond', width: 24, height: 24, 'background-color': theme.accent, 'border-color': theme.text, 'border-width': 2, 'font-weight': 'bold' },
    },
    {
      selector: 'node.namespace',
      style: {
        shape: 'round-rectangle',
        'background-color': theme.panel2,
        'background-opacity': 0.55,
        'border-color': theme.border,
        'border-width': 1,
        padding: '14px',
        label: 'data(label)',
        color: theme.muted,
        'font-size': 12,
        'font-weight': 'bold',
        'text-valign': 'top',
        'text-halign': 'center',
        'text-margin-y': -4,
        'min-zoomed-font-size': 6,
      },
    },
    {
      selector: 'edge',
      style: {
        width: 'data(width)',
        'line-color': colourOf,
        'target-arrow-color': colourOf,
        'target-arrow-shape': large ? 'none' : 'triangle',
        'arrow-scale': 0.8,
        'curve-style': large ? 'haystack' : 'bezier',
        // thousands of edges at full strength are one solid block: faint, with what matters on top
        opacity: large ? 0.12 : 0.75,
      },
    },
    ...(large ? [{ selector: colour === 'errors' ? 'edge[?failing]' : 'edge[?sensitive]', style: { opacity: 0.85, 'z-index': 5 } }] : []),
    {
      // A big mesh's namespace box (see tile-layout.ts): a plain node under the edges, sized
      // to its tile, its label large enough to read with the whole mesh in view.
      selector: 'node.tile',
      style: {
        width: 'data(w)',
        height: 'data(h)',
        padding: '0px',
        'font-size': 30,
        'text-valign': 'top',
        'text-margin-y': 44,
        'z-compound-depth': 'bottom',
        events: 'no',
      },
    },
    { selector: 'edge.mtls-partial', style: { 'line-style': 'dashed', 'line-dash-pattern': [6, 3] } },
    { selector: 'edge.mtls-none', style: { 'line-style': 'dotted' } },
    { selector: '.faded', style: { opacity: 0.12, 'text-opacity': 0.25 } },
    { selector: 'node.namespace.faded', style: { opacity: 0.35 } },
    { selector: 'edge.near', style: { opacity: 1 } },
    {
      selector: 'node.found',
      style: { 'overlay-color': theme.accent, 'overlay-opacity': 0.25, 'overlay-padding': 8, 'font-size': 13, 'font-weight': 'bold', 'z-index': 20 },
    },
    {
      selector: 'node.service:selected',
      style: { 'overlay-color': theme.accent, 'overlay-opacity': 0.3, 'overlay-padding': 6, 'font-weight': 'bold', 'z-index': 30 },
    },
    {
      selector: 'edge:selected',
      style: { 'line-color': theme.accent, 'target-arrow-color': theme.accent, opacity: 1, 'z-index': 30, 'overlay-color': theme.accent, 'overlay-opacity': 0.2, 'overlay-padding': 4 },
    },
  ];
}
