import type { ElementDefinition } from 'cytoscape';
import { describe, expect, it } from 'vitest';
import { CELL_W, tileLayout } from './tile-layout';

const ns = (name: string): ElementDefinition => ({ group: 'nodes', classes: 'namespace', data: { id: `ns:${name}`, label: name } });
const svc = (id: string): ElementDefinition => ({
  group: 'nodes', classes: id === 'external' ? 'service external' : 'service',
  data: id.includes('/') ? { id, label: id, parent: `ns:${id.split('/')[0]}` } : { id, label: id },
});
const edge = (s: string, t: string): ElementDefinition => ({ group: 'edges', data: { id: `${s}->${t}`, source: s, target: t } });

function mesh(namespaces: number, perNamespace: number): ElementDefinition[] {
  const names = Array.from({ length: namespaces }, (_, i) => `ns${i}`);
  const services = names.flatMap((n) => Array.from({ length: perNamespace }, (_, i) => `${n}/s${i}`));
  return [...names.map(ns), svc('external'), ...services.map(svc), ...services.map((s) => edge('external', s)), edge('ns0/s3', 'ns1/s0'), edge('ns0/s3', 'ns2/s0')];
}

const boxOf = (e: ElementDefinition) => ({ x1: e.position!.x - e.data.w / 2, x2: e.position!.x + e.data.w / 2, y1: e.position!.y - e.data.h / 2, y2: e.position!.y + e.data.h / 2 });

describe('tileLayout', () => {
  const out = tileLayout(mesh(6, 12), 1.7);
  const byId = new Map(out.map((e) => [String(e.data.id), e]));

  it('turns namespaces into sized tiles and services into positioned plain nodes', () => {
    const tile = byId.get('ns:ns0')!;
    expect(tile.classes).toContain('tile');
    expect(tile.data.w).toBeGreaterThan(0);
    expect(tile.data.h).toBeGreaterThan(0);
    for (const e of out.filter((x) => String(x.classes).includes('service'))) {
      expect(e.data.parent, String(e.data.id)).toBeUndefined();
      expect(Number.isFinite(e.position!.x) && Number.isFinite(e.position!.y)).toBe(true);
    }
    expect(out.filter((e) => e.group === 'edges')).toHaveLength(6 * 12 + 2);
  });

  it('puts each service inside its namespace tile, the busiest first, and tiles do not overlap', () => {
    const tiles = out.filter((e) => String(e.classes).includes('tile'));
    expect(tiles).toHaveLength(6);
    for (const t of tiles) {
      const b = boxOf(t);
      const name = String(t.data.id).slice(3);
      for (const e of out.filter((x) => x.group === 'nodes' && String(x.data.id).startsWith(`${name}/`))) {
        expect(e.position!.x).toBeGreaterThan(b.x1);
        expect(e.position!.x).toBeLessThan(b.x2);
        expect(e.position!.y).toBeGreaterThan(b.y1);
        expect(e.position!.y).toBeLessThan(b.y2);
      }
    }
    for (let i = 0; i < tiles.length; i++) {
      for (let j = i + 1; j < tiles.length; j++) {
        const a = boxOf(tiles[i]);
        const b = boxOf(tiles[j]);
        expect(a.x2 <= b.x1 || b.x2 <= a.x1 || a.y2 <= b.y1 || b.y2 <= a.y1).toBe(true);
      }
    }
    // ns0/s3 has three edges, the rest one: it takes the first cell.
    const first = byId.get('ns0/s3')!.position!;
    const tile = boxOf(byId.get('ns:ns0')!);
    expect(first.x).toBeCloseTo(tile.x1 + CELL_W / 2);
  });

  it('lays the tiles out wider than tall for a landscape canvas, and taller for a portrait one', () => {
    const extent = (els: ElementDefinition[]) => {
      const tiles = els.filter((e) => String(e.classes).includes('tile')).map(boxOf);
      return { w: Math.max(...tiles.map((b) => b.x2)) - Math.min(...tiles.map((b) => b.x1)), h: Math.max(...tiles.map((b) => b.y2)) - Math.min(...tiles.map((b) => b.y1)) };
    };
    const wide = extent(tileLayout(mesh(25, 40), 1.7));
    const tall = extent(tileLayout(mesh(25, 40), 0.6));
    expect(wide.w / wide.h).toBeGreaterThan(1.2);
    expect(tall.w / tall.h).toBeLessThan(1);
  });

  it('is the same picture every time', () => {
    expect(tileLayout(mesh(6, 12), 1.7)).toEqual(out);
  });
});
