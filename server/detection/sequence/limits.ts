// The sequence model's time constants and memory bounds in one place (README "Detection").

const MIN = 60_000;
const HOUR = 60 * MIN;

export interface SequenceLimits {
  /** a pause this long ends a session */
  sessionGapMs: number;
  /** a session is judged and learned in parts at most this long (a client that polls all day) */
  partMaxMs: number;
  partMaxSteps: number;
  /** a client teaches each transition, endpoint and service once per period */
  learnPeriodMs: number;
  /** counts and population distributions lose half their weight over this time */
  halfLifeMs: number;
  /** an actor not seen for this long is forgotten */
  actorIdleMs: number;
  /** actors kept at most, and tokens (the oldest are forgotten first beyond it) */
  maxActors: number;
  /** events held back until the watermark passes them; beyond it the older half is judged early */
  maxPending: number;
  /** how long evidence about an actor stays in its signal after its last event */
  evidenceTtlMs: number;
}

export const DEFAULT_LIMITS: SequenceLimits = {
  sessionGapMs: 20 * MIN,
  partMaxMs: 30 * MIN,
  partMaxSteps: 64,
  learnPeriodMs: 6 * HOUR,
  halfLifeMs: 24 * HOUR,
  actorIdleMs: 6 * HOUR,
  maxActors: 100_000,
  maxPending: 1_000_000,
  evidenceTtlMs: 1 * HOUR,
};

/** idle sessions are closed every minute of event time */
export const SWEEP_EVERY_MS = MIN;
/** stale evidence and idle actors are forgotten every ten minutes of event time */
export const IDLE_SWEEP_EVERY_MS = 10 * MIN;
/** counts decay in steps of an hour of event time */
export const DECAY_EVERY_MS = HOUR;
