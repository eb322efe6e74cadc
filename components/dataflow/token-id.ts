/** The longest token id the server accepts (`tokenInput`). */
export const TOKEN_ID_MAX = 256;

/**
 * The token id carried by a `/data/tokens/[id]` segment. App Router hands dynamic segments
 * over still percent-encoded, so it is decoded once here; a segment that is not valid
 * percent-encoding is taken as written, so a mistyped link still shows its id.
 */
export function tokenIdFromSegment(segment: string): string {
  try {
    return decodeURIComponent(segment);
  } catch {
    return segment;
  }
}

/** Whether the server could look the id up at all (it refuses blank and over-long ids). */
export const isTokenId = (id: string) => id.trim().length > 0 && id.trim().length <= TOKEN_ID_MAX;
