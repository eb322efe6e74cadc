/**
 * Fields whose values repeat enough for a "top values" list to help (autocomplete). Paths,
 * sizes and durations are (nearly) all distinct; detection ids come from the detection queue.
 * Kept apart from values.ts so the browser can import it without the database code.
 */
export const VALUE_FIELDS = [
  'service', 'caller', 'method', 'endpoint', 'status', 'token', 'user', 'client.address', 'user_agent', 'class', 'proxy', 'cluster',
  'namespace',
] as const;
export type ValueField = (typeof VALUE_FIELDS)[number];
