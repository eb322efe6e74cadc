/** Where the traffic views send a click, each carrying the view's time range (`range.query`). */

export const dataHref = (rangeQuery: string, dataClass?: string) =>
  `/data?${rangeQuery}${dataClass ? `&class=${encodeURIComponent(dataClass)}` : ''}`;

export const tokenHref = (rangeQuery: string, tokenId: string) => `/data/tokens/${encodeURIComponent(tokenId)}?${rangeQuery}`;

/** The service graph with a service (`select=node:<service>`) or an edge (`select=edge:<src>-><dst>`) selected. */
export function graphHref(rangeQuery: string, focus?: { node: string } | { src: string; dst: string }): string {
  if (!focus) return `/graph?${rangeQuery}`;
  const select = 'node' in focus ? `node:${focus.node}` : `edge:${focus.src}->${focus.dst}`;
  return `/graph?${rangeQuery}&select=${encodeURIComponent(select)}`;
}

/** An absolute window as URL parameters (for "this step" drill-downs from charts). */
export const windowQuery = (fromMs: number, toMs: number) =>
  `from=${encodeURIComponent(new Date(fromMs).toISOString())}&to=${encodeURIComponent(new Date(toMs).toISOString())}`;
