import type { Core, ElementDefinition } from 'cytoscape';

/** Fields cytoscape fixes at creation: changing them means a new element, not new data. */
const FIXED = new Set(['id', 'source', 'target', 'parent']);

/**
 * Brings the drawn elements in line with `elements` without redrawing what did not change: the
 * live view refreshes every 30 s, and touching all 6,000 elements of a big mesh (each restyled,
 * its bounds recomputed) would freeze the page each time.
 */
export function syncElements(cy: Core, elements: readonly ElementDefinition[]): void {
  cy.batch(() => {
    const wanted = new Set(elements.map((e) => String(e.data.id)));
    cy.elements().filter((e) => !wanted.has(e.id())).remove();
    const added: ElementDefinition[] = [];
    for (const def of elements) {
      const existing = cy.getElementById(String(def.data.id));
      if (existing.empty()) {
        added.push(def);
        continue;
      }
      const changed: Record<string, unknown> = {};
      let any = false;
      for (const [k, v] of Object.entries(def.data)) {
        if (!FIXED.has(k) && existing.data(k) !== v) {
          changed[k] = v;
          any = true;
        }
      }
      if (any) existing.data(changed);
      const classes = def.classes ?? '';
      if (existing.classes().join(' ') !== String(classes)) existing.classes(classes);
    }
    if (added.length) cy.add(added);
  });
}
