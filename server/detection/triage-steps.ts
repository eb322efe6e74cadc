// The triage steps a person may take from each state (SPEC: `open` → `acknowledged` →
// `resolved` / `false_positive`, and a closed incident opened again). Shared by the server,
// which enforces it, and the UI, which offers only these.
import type { TriageState } from '@/lib/enums';

export const NEXT_STATES: Record<TriageState, readonly TriageState[]> = {
  open: ['acknowledged', 'false_positive'],
  acknowledged: ['resolved', 'false_positive'],
  resolved: ['open'],
  false_positive: ['open'],
};

/** Suppressions from false-positive feedback expire; for good clients there is the allow-list. */
export const MAX_SUPPRESSION_DAYS = 90;
/** A deny entry proposed from a detection expires; longer ones are written on the policy page. */
export const MAX_DENY_DAYS = 90;
