import type cytoscape from 'cytoscape';

let loading: Promise<typeof cytoscape> | null = null;

/** cytoscape with fcose registered, loaded in the browser on first use (neither is needed to render the page shell). */
export function loadCytoscape(): Promise<typeof cytoscape> {
  loading ??= Promise.all([import('cytoscape'), import('cytoscape-fcose')]).then(([cy, fcose]) => {
    cy.default.use(fcose.default);
    return cy.default;
  });
  return loading;
}
