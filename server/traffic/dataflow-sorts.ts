/** How the flows table can be ordered (shared with the client, so no server imports here). */
export const FLOW_SORTS = ['matches', 'events', 'edge', 'class'] as const;
export type FlowSort = (typeof FLOW_SORTS)[number];
