import type { ElementDefinition } from 'cytoscape';

/**
 * The layout of a big mesh: each namespace a tile, its services on a grid inside (busiest
 * first), tiles shelf-packed to the canvas's aspect. A force layout of 1,000 services and
 * 5,000 edges costs seconds and draws a hairball; this costs milliseconds and keeps every
 * service findable by namespace. Namespace boxes become plain nodes sized to their tile
 * rather than compound parents: cytoscape's compound bookkeeping doubles its style and
 * bounds work on a graph this size.
 */

export const CELL_W = 120;
export const CELL_H = 56;
/** Room above a tile's first row for the namespace label. */
export const TILE_HEAD = 64;
export const TILE_GAP = 90;

interface Tile {
  id: string | null;
  services: string[];
  cols: number;
  w: number;
  h: number;
  x: number;
  y: number;
}

export function tileLayout(elements: readonly ElementDefinition[], aspect: number): ElementDefinition[] {
  const degree = new Map<string, number>();
  for (const e of elements) {
    if (e.group !== 'edges') continue;
    for (const end of [String(e.data.source), String(e.data.target)]) degree.set(end, (degree.get(end) ?? 0) + 1);
  }
  const members = new Map<string | null, string[]>();
  for (const e of elements) {
    if (e.group !== 'nodes' || String(e.classes).includes('namespace')) continue;
    const parent = e.data.parent ? String(e.data.parent) : null;
    const list = members.get(parent) ?? [];
    list.push(String(e.data.id));
    members.set(parent, list);
  }
  // Services outside any namespace (`external`) come first, in a tile without a box.
  const order = [...members.keys()].sort((a, b) => (a === null ? -1 : b === null ? 1 : a.localeCompare(b)));
  const tiles: Tile[] = order.map((id) => {
    const services = members.get(id)!.sort((a, b) => (degree.get(b) ?? 0) - (degree.get(a) ?? 0) || a.localeCompare(b));
    // Columns so the tile is about as wide as tall on screen.
    const cols = Math.max(1, Math.round(Math.sqrt((services.length * CELL_H) / CELL_W)));
    const rows = Math.ceil(services.length / cols);
    return { id, services, cols, w: cols * CELL_W, h: TILE_HEAD + rows * CELL_H, x: 0, y: 0 };
  });

  // Shelf packing: rows of tiles as wide as the canvas's aspect asks for the total area.
  const area = tiles.reduce((a, t) => a + (t.w + TILE_GAP) * (t.h + TILE_GAP), 0);
  const width = Math.max(Math.sqrt(area * Math.max(aspect, 0.2)), ...tiles.map((t) => t.w));
  let x = 0;
  let y = 0;
  let shelf = 0;
  for (const t of tiles) {
    if (x > 0 && x + t.w > width) {
      x = 0;
      y += shelf + TILE_GAP;
      shelf = 0;
    }
    t.x = x;
    t.y = y;
    x += t.w + TILE_GAP;
    shelf = Math.max(shelf, t.h);
  }

  const position = new Map<string, { x: number; y: number }>();
  for (const t of tiles) {
    t.services.forEach((id, i) => {
      position.set(id, { x: t.x + ((i % t.cols) + 0.5) * CELL_W, y: t.y + TILE_HEAD + (Math.floor(i / t.cols) + 0.5) * CELL_H - 8 });
    });
  }
  const box = new Map(tiles.filter((t) => t.id !== null).map((t) => [t.id!, t]));

  return elements.map((e) => {
    if (e.group === 'edges') return e;
    const id = String(e.data.id);
    const t = box.get(id);
    if (t) {
      return { ...e, classes: `${e.classes ?? ''} tile`, data: { ...e.data, w: t.w, h: t.h }, position: { x: t.x + t.w / 2, y: t.y + t.h / 2 } };
    }
    const { parent: _parent, ...data } = e.data;
    return { ...e, data, position: position.get(id) };
  });
}
