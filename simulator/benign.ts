import { runCrawl, runDevicePost, runJobs, runMonitors, runWebhook, SLOT_MS } from './machines';
import { runAggregators, runSellerSyncs } from './partners';
import { poisson, rng, type Prng } from './random';
import type { SimRecord } from './record';
import { MAX_SESSION_MS, runSession, type SessionKind } from './sessions';
import { NORMAL_LOAD } from './trace';
import type { World } from './world';

export { MAX_SESSION_MS, SLOT_MS };

/** Arrivals per second of each benign source, from the calibrated events each one causes. */
export interface Rates {
  /** sessions/s at the daily mean (scaled by the day curve) */
  sessions: number;
  devicePosts: number;
  webhooks: number;
  /** crawler visits/s, flat: search engines crawl day and night */
  crawls: number;
  /** average events/s of the sources on a fixed schedule: internal jobs, monitors, partners' sweeps, sellers' syncs */
  scheduledEvents: number;
}

/** Which kind of person a session is, weighted by the world's persona mix. */
export function sessionMix(w: World): [SessionKind, number][] {
  const share = Object.fromEntries(w.profile.personas);
  return [['web', share.web * 0.65], ['visitor', 20], ['app', share.app * 0.9], ['driver', share.driver], ['staff', 2]];
}

/** Everything on a fixed schedule that starts in minute `slot`. */
function runScheduled(w: World, out: SimRecord[], slot: number) {
  runMonitors(w, out, slot);
  runJobs(w, out, slot);
  runAggregators(w, out, slot);
  runSellerSyncs(w, out, slot);
}

/** Everything benign that starts in minute `slot` (minutes since the epoch). */
export function generateBenignSlot(w: World, slot: number, out: SimRecord[]) {
  const slotStart = slot * SLOT_MS;
  const seed = w.options.seed;
  const curve = w.curve(slotStart + SLOT_MS / 2);
  const { rates } = w;
  const mix = w.sessionMix;
  const sources: [string, number, (start: number, r: Prng) => void][] = [
    ['session', rates.sessions * curve, (start, r) => runSession(w, out, r.weighted(mix), start, r)],
    ['device', rates.devicePosts * curve, (start, r) => runDevicePost(w, out, start, r)],
    ['webhook', rates.webhooks * curve, (start, r) => runWebhook(w, out, start, r)],
    ['crawl', rates.crawls, (start, r) => runCrawl(w, out, start, r)],
  ];
  for (const [name, perSecond, run] of sources) {
    const n = poisson(rng(seed, name, 'count', slot), (perSecond * SLOT_MS) / 1000);
    for (let i = 0; i < n; i++) {
      const r = rng(seed, name, slot, i);
      run(slotStart + r.int(SLOT_MS), r);
    }
  }
  runScheduled(w, out, slot);
}

/**
 * Events each source causes on average, measured by running it (with a fixed seed, so the
 * rates are as deterministic as the rest), and the arrival rates that give the asked-for
 * events/s: the scheduled sources take what they take, the rest is shared out by the
 * world's shares, each divided by its events per arrival.
 */
export function calibrate(world: World): Rates {
  // Measured at normal load: an attack scheduled at the calibration time must not skew the rates.
  const w = Object.create(world, { load: { value: () => NORMAL_LOAD } }) as World;
  const t = Date.UTC(2024, 0, 1, 12);
  const perRun = (runs: number, fn: (out: SimRecord[], start: number, r: Prng) => void) => {
    // Counted and dropped run by run: records that die young cost the garbage collector little.
    const out: SimRecord[] = [];
    let events = 0;
    for (let i = 0; i < runs; i++) {
      fn(out, t + i * 1000, rng('calibration', i));
      events += out.length;
      out.length = 0;
    }
    return events / runs;
  };
  const mix = world.sessionMix;
  const session = perRun(3000, (out, start, r) => runSession(w, out, r.weighted(mix), start, r));
  const device = perRun(200, (out, start, r) => runDevicePost(w, out, start, r));
  const webhook = perRun(200, (out, start, r) => runWebhook(w, out, start, r));
  const crawl = perRun(200, (out, start, r) => runCrawl(w, out, start, r));
  // Every schedule divides an hour: one hour of slots holds each source's share exactly.
  const firstSlot = Math.floor(t / SLOT_MS);
  const scheduled = perRun(1, (out) => {
    for (let s = firstSlot; s < firstSlot + 60; s++) runScheduled(w, out, s);
  }) / 3600;
  const rest = Math.max(0, world.options.rate - scheduled);
  const { shares } = world.profile;
  const sessionShare = 1 - shares.devicePosts - shares.crawls - shares.webhooks;
  return {
    sessions: (rest * sessionShare) / session,
    devicePosts: (rest * shares.devicePosts) / device,
    webhooks: (rest * shares.webhooks) / webhook,
    crawls: (rest * shares.crawls) / crawl,
    scheduledEvents: scheduled,
  };
}
