/**
 * Why a telemetry request was turned away before it could take memory: the console holds as
 * much as it was configured to. Answered 429 + Retry-After; the sender retries later.
 */
export class InflightExceeded extends Error {
  readonly retryAfterS = 1;
}

/** What a request holds of the budget; `charge` throws InflightExceeded when it would not fit. */
export interface InflightLease {
  /** adds `bytes` to what this request holds */
  charge(bytes: number): void;
  /** sets what this request holds to `bytes` (less: gives the difference back) */
  resize(bytes: number): void;
  /** gives everything back; idempotent */
  release(): void;
}

/**
 * The memory bound of ingest. The write queue counts events; this counts bytes: every body
 * being read (compressed and inflated) and every parsed batch waiting for its commit, plus the
 * number of bodies read at once. A request that would pass either bound is refused (429)
 * instead of queued, so a burst of large gzip batches cannot grow the heap without limit.
 */
export class InflightBudget {
  private heldBytes = 0;
  private openBodies = 0;

  constructor(
    readonly maxBytes: number,
    readonly maxBodies: number,
  ) {}

  get bytes(): number {
    return this.heldBytes;
  }

  get bodies(): number {
    return this.openBodies;
  }

  /** A lease for one request body; throws InflightExceeded when maxBodies are already open. */
  enter(): InflightLease {
    if (this.openBodies >= this.maxBodies) {
      throw new InflightExceeded(`the console is reading ${this.openBodies} request bodies already; retry later`);
    }
    this.openBodies += 1;
    let held = 0;
    let open = true;
    const charge = (bytes: number) => {
      if (!open || bytes <= 0) return;
      if (this.heldBytes + bytes > this.maxBytes) {
        throw new InflightExceeded('the console holds as many telemetry bytes as it may; retry later');
      }
      this.heldBytes += bytes;
      held += bytes;
    };
    return {
      charge,
      resize: (bytes: number) => {
        if (!open) return;
        if (bytes > held) return charge(bytes - held);
        this.heldBytes -= held - bytes;
        held = bytes;
      },
      release: () => {
        if (!open) return;
        open = false;
        this.heldBytes -= held;
        held = 0;
        this.openBodies -= 1;
      },
    };
  }
}
