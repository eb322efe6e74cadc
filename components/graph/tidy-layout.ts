import type { Core, NodeSingular } from 'cytoscape';
import { separateBoxes, type Box } from './separate-boxes';

/** Most a force layout is stretched towards the canvas's shape; more and the picture distorts. */
export const MAX_STRETCH = 1.5;

/**
 * After fcose: stretch the picture towards the canvas's aspect (fcose has no notion of it and
 * tends to portrait or square), then push apart namespace boxes that ended up over each
 * other, moving each box's services with it. Services outside a namespace count as boxes too.
 */
export function tidyLayout(cy: Core, aspect: number): void {
  const services = cy.nodes('.service');
  if (services.length < 2) return;
  const bb = services.boundingBox({ includeLabels: false, includeOverlays: false });
  const ratio = bb.w / Math.max(bb.h, 1);
  const sx = ratio < aspect ? Math.min(aspect / ratio, MAX_STRETCH) : 1;
  const sy = ratio > aspect ? Math.min(ratio / aspect, MAX_STRETCH) : 1;
  const cx = (bb.x1 + bb.x2) / 2;
  const cyy = (bb.y1 + bb.y2) / 2;
  if (sx !== 1 || sy !== 1) {
    services.positions((n: NodeSingular) => ({ x: cx + (n.position('x') - cx) * sx, y: cyy + (n.position('y') - cyy) * sy }));
  }

  const units = [...cy.nodes('.namespace').toArray(), ...services.orphans().toArray()] as NodeSingular[];
  const boxes: Box[] = units.map((n) => {
    const b = n.boundingBox({ includeLabels: true, includeOverlays: false });
    return { id: n.id(), x1: b.x1, y1: b.y1, x2: b.x2, y2: b.y2 };
  });
  const moved = separateBoxes(boxes, 16, aspect);
  cy.batch(() => {
    for (const unit of units) {
      const m = moved.get(unit.id())!;
      if (!m.x && !m.y) continue;
      const members = unit.isParent() ? unit.children() : unit;
      members.positions((n: NodeSingular) => ({ x: n.position('x') + m.x, y: n.position('y') + m.y }));
    }
  });
}
