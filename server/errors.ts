export type DomainErrorCode = 'BAD_REQUEST' | 'NOT_FOUND' | 'CONFLICT' | 'FORBIDDEN' | 'TOO_MANY_REQUESTS';

/**
 * A failure a person can act on. tRPC maps `code` to its error code and shows `message`
 * as is; anything else reaching the client becomes a generic internal error.
 */
export class DomainError extends Error {
  readonly isDomainError = true;
  constructor(
    readonly code: DomainErrorCode,
    message: string,
    /** where in the person's input the trouble is (1-based), so a form can put the caret there */
    readonly column: number | null = null,
  ) {
    super(message);
  }
}

export function isDomainError(e: unknown): e is DomainError {
  return typeof e === 'object' && e !== null && (e as { isDomainError?: unknown }).isDomainError === true;
}
