/**
 * Pushes overlapping boxes apart, each pair along the axis where they overlap least, half
 * each way, until none overlap (or `rounds` run out). fcose keeps compound nodes apart only
 * as well as its forces balance: a hub namespace called by every other one is pulled over
 * its neighbours. Returns how far each box moved; the caller moves the box's contents.
 * `aspect` > 1 favours pushing sideways (a landscape canvas has room there): a pair moves
 * along x unless that is more than `aspect` times the way along y.
 */

export interface Box {
  id: string;
  x1: number;
  y1: number;
  x2: number;
  y2: number;
}

export function separateBoxes(input: readonly Box[], margin = 16, aspect = 1, rounds = 60): Map<string, { x: number; y: number }> {
  const boxes = input.map((b) => ({ ...b }));
  const moved = new Map(boxes.map((b) => [b.id, { x: 0, y: 0 }]));
  const shift = (b: Box, dx: number, dy: number) => {
    b.x1 += dx;
    b.x2 += dx;
    b.y1 += dy;
    b.y2 += dy;
    const m = moved.get(b.id)!;
    m.x += dx;
    m.y += dy;
  };
  for (let round = 0; round < rounds; round++) {
    let overlaps = 0;
    for (let i = 0; i < boxes.length; i++) {
      for (let j = i + 1; j < boxes.length; j++) {
        const a = boxes[i];
        const b = boxes[j];
        const dx = Math.min(a.x2, b.x2) - Math.max(a.x1, b.x1) + margin;
        const dy = Math.min(a.y2, b.y2) - Math.max(a.y1, b.y1) + margin;
        if (dx <= 0 || dy <= 0) continue;
        overlaps++;
        // Ties go by index, so identical boxes still come apart.
        const sign = (d: number) => (d > 0 || (d === 0 && i < j) ? 1 : -1);
        if (dx <= dy * aspect) {
          const s = sign((b.x1 + b.x2) / 2 - (a.x1 + a.x2) / 2);
          shift(a, (-s * dx) / 2, 0);
          shift(b, (s * dx) / 2, 0);
        } else {
          const s = sign((b.y1 + b.y2) / 2 - (a.y1 + a.y2) / 2);
          shift(a, 0, (-s * dy) / 2);
          shift(b, 0, (s * dy) / 2);
        }
      }
    }
    if (!overlaps) break;
  }
  return moved;
}
