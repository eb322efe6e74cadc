import { describe, expect, it } from 'vitest';
import { separateBoxes, type Box } from './separate-boxes';

const box = (id: string, x1: number, y1: number, w: number, h: number): Box => ({ id, x1, y1, x2: x1 + w, y2: y1 + h });
const apart = (a: Box, b: Box, margin: number) =>
  a.x2 + margin <= b.x1 + 1e-6 || b.x2 + margin <= a.x1 + 1e-6 || a.y2 + margin <= b.y1 + 1e-6 || b.y2 + margin <= a.y1 + 1e-6;
const movedBoxes = (boxes: Box[], margin = 16) => {
  const moved = separateBoxes(boxes, margin);
  return boxes.map((b) => {
    const m = moved.get(b.id)!;
    return { ...b, x1: b.x1 + m.x, x2: b.x2 + m.x, y1: b.y1 + m.y, y2: b.y2 + m.y };
  });
};

describe('separateBoxes', () => {
  it('leaves boxes that are already apart where they are', () => {
    const moved = separateBoxes([box('a', 0, 0, 100, 100), box('b', 200, 0, 100, 100)]);
    expect([...moved.values()]).toEqual([{ x: 0, y: 0 }, { x: 0, y: 0 }]);
  });

  it('pushes a small box off a big one along the shorter overlap, half each way', () => {
    // `edge` sits over the right edge of `shop`: 40 across, 80 down; across is cheaper.
    const [shop, edge] = movedBoxes([box('shop', 0, 0, 200, 300), box('edge', 160, 100, 60, 80)], 0);
    expect(apart(shop, edge, 0)).toBe(true);
    expect(shop.x1).toBeCloseTo(-20);
    expect(edge.x1).toBeCloseTo(180);
    expect(shop.y1).toBe(0);
    expect(edge.y1).toBe(100);
  });

  it('separates a crowd, identical boxes included, keeping the margin', () => {
    const boxes = [box('a', 0, 0, 100, 60), box('b', 0, 0, 100, 60), box('c', 50, 30, 80, 80), box('d', 20, 10, 40, 40), box('e', 300, 0, 50, 50)];
    const out = movedBoxes(boxes, 10);
    for (let i = 0; i < out.length; i++) for (let j = i + 1; j < out.length; j++) expect(apart(out[i], out[j], 10), `${out[i].id} / ${out[j].id}`).toBe(true);
  });

  it('on a landscape canvas, pushes sideways even when the way down is a little shorter', () => {
    // 60 across, 50 down: square prefers down, 1.6 prefers across.
    const square = movedBoxes([box('a', 0, 0, 100, 100), box('b', 40, 50, 100, 100)], 0);
    expect(square[1].x1).toBe(40);
    const wide = separateBoxes([box('a', 0, 0, 100, 100), box('b', 40, 50, 100, 100)], 0, 1.6);
    expect(wide.get('b')).toEqual({ x: 30, y: 0 });
  });

  it('answers no boxes with no moves', () => {
    expect(separateBoxes([]).size).toBe(0);
  });
});
