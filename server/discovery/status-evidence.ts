// What a response status says about whether the path is an endpoint. A handler answered 2xx,
// 3xx, a conflict or a validation error (409, 422): the route exists. A gateway, an auth layer
// or the router answers 400, 401, 403, 404, 405 and 429 to any path, scanners' probes and typos
// included: such requests alone are weak evidence, and discovery waits for more of them.

/** 4xx statuses that only a handler behind a real route gives. */
const HANDLER_4XX = new Set([409, 410, 412, 415, 422]);
/** 5xx statuses a proxy gives when it cannot reach anything: they say nothing about the path. */
const GATEWAY_5XX = new Set([502, 503, 504]);

/** Whether a request answered `status` leaves it open that the path exists (no status: unknown, not refused). */
export function isRefused(status: number | undefined): boolean {
  if (status === undefined) return false;
  if (status >= 400 && status < 500) return !HANDLER_4XX.has(status);
  return GATEWAY_5XX.has(status);
}

/**
 * Requests a path answered only with refusals needs before it counts as consistent evidence
 * (an endpoint that always refuses this client, not a probe or a typo sent once or twice).
 */
export const REFUSED_UNTIL = 8;

/** Whether the nodes' requests (all of them refused, and few) leave their path unconfirmed. */
export function unconfirmed(count: number, refused: number): boolean {
  return refused === count && count < REFUSED_UNTIL;
}
