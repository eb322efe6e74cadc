/** Expiry choices for suppressions and deny entries (both expire, at most 90 days). */
export const EXPIRIES = [
  { label: '1 hour', ms: 3600_000 },
  { label: '24 hours', ms: 86_400_000 },
  { label: '7 days', ms: 7 * 86_400_000 },
  { label: '30 days', ms: 30 * 86_400_000 },
  { label: '90 days', ms: 90 * 86_400_000 - 60_000 },
] as const;

export const expiryAt = (ms: number) => new Date(Date.now() + ms);
