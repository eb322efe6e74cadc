// Arrival processes: visits start at random times whose rate follows the day (thinning a
// Poisson process at the peak rate), and pushes that bring a crowd back within minutes.
import type { Agent } from '../engine';
import { rand, type Rand } from '../rand';
import type { BankWorld } from '../world';
import { customerVisit } from './customers';

/** Starts `make(r, k)` at Poisson times of rate `perSecond(t)` (never above `peak`) until `end`. */
export function* arrivals(w: BankWorld, name: string, perSecond: (t: number) => number, peak: number, end: number, make: (r: Rand, k: number) => Agent): Agent {
  if (peak <= 0) return;
  const r = rand(w.seed, 'arrivals', name);
  let k = 0;
  for (let t = w.now + r.exp(1000 / peak); t < end; t += r.exp(1000 / peak)) {
    if (!r.coin(perSecond(t) / peak)) continue;
    yield t;
    w.engine.start(t, make(rand(w.seed, name, k), k));
    k++;
  }
}

/**
 * A push notification ("your pay is in") sent to a slice of the app's customers at a local time:
 * within a few minutes a crowd opens the app for a short look. Labelled `push_surge`.
 */
export function* pushes(w: BankWorld, end: number): Agent {
  const mobile = w.people.customers.filter((c) => c.mobile);
  for (let day = Math.floor(w.now / 86_400_000); day * 86_400_000 < end; day++) {
    const r = rand(w.seed, 'pushes', day);
    const times = Array.from({ length: w.config.pushesPerDay }, () => day * 86_400_000 + (r.range(7, 21) - w.config.utcOffsetH) * 3_600_000).sort((a, b) => a - b);
    for (const [i, at] of times.entries()) {
      if (at < w.now || at >= end) continue;
      yield at;
      const crowd = Math.round(mobile.length * w.config.pushReach);
      for (let k = 0; k < crowd; k++) {
        const pr = rand(w.seed, 'push visit', day, i, k);
        w.engine.start(at + pr.exp(150_000), customerVisit(w, pr, mobile[pr.below(mobile.length)], 'push'));
      }
    }
  }
}
