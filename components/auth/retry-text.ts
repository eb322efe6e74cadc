/**
 * The sign-in page's message for a throttled attempt: how long to wait, in seconds while
 * that is short enough to count, then in whole minutes (rounded up, so it is never too early).
 */
export function throttledMessage(retryAfterS: number | undefined): string {
  if (typeof retryAfterS !== 'number' || !Number.isFinite(retryAfterS)) return 'Too many sign-in attempts. Try again later.';
  const s = Math.max(1, Math.ceil(retryAfterS));
  const wait = s < 120 ? `${s} s` : `${Math.ceil(s / 60)} min`;
  return `Too many sign-in attempts. Try again in ${wait}.`;
}
