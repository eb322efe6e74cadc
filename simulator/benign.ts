import type { Persona, User } from './population';
import { residentialIp } from './population';
import { between, hex, lognormal, poisson, rng, uuid, type Prng } from './random';
import { relativeRate } from './rate-curve';
import type { SimRecord } from './record';
import { NORMAL_LOAD, runTrace, type Actor } from './trace';
import { setProduct, popularProduct, vinOf, type Params } from './values';
import { BROWSER_UAS } from './words';
import { ASSET_REQUEST, WORKFLOWS, type Workflow } from './workflows';
import type { World } from './world';

export const SLOT_MS = 60_000;
/** Sessions end by this long after they start, so a stream needs to look back no further. */
export const MAX_SESSION_MS = 45 * 60_000;

/** Arrivals per second of each benign source, from the calibrated events each one causes. */
export interface Rates {
  /** sessions/s at the daily mean (scaled by the day curve) */
  sessions: number;
  devicePosts: number;
  webhooks: number;
  /** crawler visits/s, flat: search engines crawl day and night */
  crawls: number;
  /** average events/s of the internal jobs (they run on a fixed schedule) */
  jobEvents: number;
}

const SESSION_PERSONAS: [Persona | 'visitor', number][] = [['web', 30], ['visitor', 20], ['app', 32], ['driver', 16], ['staff', 2]];
/** Shares of the benign rate left after jobs and monitors. */
const SHARES = { sessions: 0.84, devicePosts: 0.09, crawls: 0.04, webhooks: 0.03 };

const UPTIME_IPS = ['18.221.56.27', '69.162.124.235', '216.144.250.150'];
const OFFICE_IPS = ['81.169.145.10', '81.169.145.11', '212.227.81.54'];

const choose = (r: Prng, weights: Record<string, number>): string => r.weighted(Object.entries(weights));

/** A mobile carrier address for the user on that day (the app roams between a few). */
const mobileIp = (w: World, user: number, ts: number, r: Prng) =>
  residentialIp(rng(w.options.seed, 'mobile-ip', user, Math.floor(ts / 86_400_000), r.int(3)));

function actorFor(w: World, user: User | null, ts: number, r: Prng): Actor {
  if (!user) return { tokenId: null, user: null, ip: residentialIp(r), ua: r.pick(BROWSER_UAS) };
  const ip = user.persona === 'staff' ? r.pick(OFFICE_IPS)
    : user.persona === 'web' ? (r.chance(0.9) ? user.homeIp : residentialIp(r))
    : mobileIp(w, user.index, ts, r);
  return { tokenId: w.population.tokenId(user, ts), user: user.id, ip, ua: user.ua };
}

/** Session parameters that stay put: who the user is, their cart, their car. */
function sessionParams(w: World, user: User | null, r: Prng): Params {
  const params: Params = new Map();
  params.set('sessionId', hex(r, 32));
  if (!user) {
    params.set('cartId', uuid(r));
    return params;
  }
  params.set('cartId', uuid(rng(w.options.seed, 'cart', user.index)));
  if (user.persona === 'staff') return params; // in the back office {userId} is the customer looked at
  params.set('userId', user.id);
  params.set('username', user.username);
  params.set('email', user.email);
  if (user.vehicle !== null) params.set('vin', vinOf(user.vehicle));
  return params;
}

/** Sign-in steps some sessions begin with: a new token for the web, a refresh in the apps. */
function signIn(w: World, out: SimRecord[], persona: Persona, t: number, actor: Actor, params: Params, r: Prng): number {
  const topo = w.topology;
  if (persona === 'web' && r.chance(0.2)) {
    const page = runTrace(w, out, topo.endpoint('edge/web GET /login'), t, actor, params, r);
    t = page.end + lognormal(r, 6000, 0.5);
    return runTrace(w, out, topo.endpoint('edge/web POST /login'), t, actor, params, r).end + lognormal(r, 1500, 0.5);
  }
  if ((persona === 'app' || persona === 'driver') && r.chance(0.12)) {
    const request = persona === 'driver' && r.chance(0.5) ? 'identity/auth POST /oauth/token' : 'identity/auth POST /oauth/refresh';
    return runTrace(w, out, topo.endpoint(request), t, actor, params, r).end + lognormal(r, 400, 0.5);
  }
  return t;
}

/** One person's visit: a walk along their workflow with human pauses in between. */
export function runSession(w: World, out: SimRecord[], kind: Persona | 'visitor', start: number, r: Prng) {
  const user = kind === 'visitor' ? null : w.population.pick(kind, r);
  const flow: Workflow = WORKFLOWS[kind];
  const params = sessionParams(w, user, r);
  let actor = actorFor(w, user, start, r);
  let t = user ? signIn(w, out, user.persona, start, actor, params, r) : start;
  const deadline = start + MAX_SESSION_MS;
  let state = choose(r, flow.start);
  for (let steps = 0; state !== 'exit' && steps < 40; steps++) {
    const step = flow.states[state];
    for (const name of step.fresh ?? []) params.delete(name);
    if (user) actor = { ...actor, tokenId: w.population.tokenId(user, t) };
    const res = runTrace(w, out, w.topology.endpoint(step.request), t, actor, params, r);
    if (step.assets && r.chance(step.assets)) {
      params.delete('imageId');
      runTrace(w, out, w.topology.endpoint(ASSET_REQUEST), res.end + between(r, 5, 60), actor, params, r);
    }
    t = res.end + Math.min(600_000, Math.max(300, lognormal(r, flow.thinkS * 1000, 0.9)));
    if (t >= deadline) break;
    state = choose(r, step.next);
  }
}

/** A search-engine crawler visit: robots.txt, then product and category pages at a steady clip. */
export function runCrawl(w: World, out: SimRecord[], start: number, r: Prng) {
  const google = r.chance(0.7);
  const actor: Actor = {
    tokenId: null,
    user: null,
    ip: google ? `66.249.${64 + r.int(16)}.${1 + r.int(254)}` : `157.55.39.${1 + r.int(254)}`,
    ua: google
      ? 'Mozilla/5.0 (compatible; Googlebot/2.1; +http://www.google.com/bot.html)'
      : 'Mozilla/5.0 (compatible; bingbot/2.0; +http://www.bing.com/bingbot.htm)',
  };
  const topo = w.topology;
  const params: Params = new Map();
  let t = start;
  if (r.chance(0.3)) t = runTrace(w, out, topo.endpoint('edge/web GET /robots.txt'), t, actor, params, r).end + between(r, 200, 2000);
  if (r.chance(0.1)) t = runTrace(w, out, topo.endpoint('edge/web GET /sitemap.xml'), t, actor, params, r).end + between(r, 200, 2000);
  for (let i = 0, pages = between(r, 3, 20); i < pages; i++) {
    params.clear();
    const category = r.chance(0.2);
    if (!category) setProduct(params, popularProduct(r));
    const page = topo.endpoint(category ? 'edge/web GET /c/{categorySlug}' : 'edge/web GET /p/{slug}');
    t = runTrace(w, out, page, t, actor, params, r, { query: null }).end + between(r, 500, 4000);
  }
}

/** A vehicle's telematics unit posting a batch of readings. */
export function runDevicePost(w: World, out: SimRecord[], start: number, r: Prng) {
  const vehicles = w.population.vehicles();
  const vehicle = vehicles[r.int(vehicles.length)];
  const actor: Actor = {
    tokenId: w.population.deviceToken(vehicle),
    user: null,
    ip: residentialIp(rng(w.options.seed, 'device-ip', vehicle, Math.floor(start / 3_600_000))),
    ua: 'MeshTCU/4.2.0 (fw 2024.10.3)',
  };
  const params: Params = new Map([['vin', vinOf(vehicle)]]);
  runTrace(w, out, w.topology.endpoint('mobility/telematics POST /v1/devices/{vin}/telemetry'), start, actor, params, r);
}

const WEBHOOKS = [
  { request: 'logistics/tracking POST /v1/carrier-events', ua: 'DHL-Webhooks/2.1', ips: ['165.72.200.11', '165.72.200.12'], bearer: true },
  { request: 'logistics/tracking POST /v1/carrier-events', ua: 'UPS-Events/1.0', ips: ['153.2.246.30'], bearer: true },
  { request: 'payments/webhooks POST /v1/psp/stripe/events', ua: 'Stripe/1.0 (+https://stripe.com/docs/webhooks)', ips: ['3.18.12.63', '3.130.192.231', '13.235.14.237'], bearer: false },
  { request: 'payments/webhooks POST /v1/psp/adyen/notifications', ua: 'Adyen HttpClient 1.0', ips: ['82.199.87.129', '82.199.90.136'], bearer: false },
];

/** Partners calling back: carriers with parcel events, payment providers with payment events. */
export function runWebhook(w: World, out: SimRecord[], start: number, r: Prng) {
  const hook = r.pick(WEBHOOKS);
  const actor: Actor = {
    tokenId: hook.bearer ? w.population.serviceToken(`partner/${hook.ua.split('/')[0].toLowerCase()}`).tokenId : null,
    user: null,
    ip: r.pick(hook.ips),
    ua: hook.ua,
  };
  runTrace(w, out, w.topology.endpoint(hook.request), start, actor, new Map(), r);
}

/** The uptime monitor: the home page every minute from three places. */
function runUptime(w: World, out: SimRecord[], slotStart: number, r: Prng) {
  const home = w.topology.endpoint('edge/web GET /');
  for (const ip of UPTIME_IPS) {
    const actor: Actor = { tokenId: null, user: null, ip, ua: 'Mozilla/5.0+(compatible; UptimeRobot/2.0; http://www.uptimerobot.com/)' };
    runTrace(w, out, home, slotStart + between(r, 0, 59_000), actor, new Map(), r, { query: null });
  }
}

/** Internal jobs due in this slot, each calling with its service account. */
function runJobs(w: World, out: SimRecord[], slot: number) {
  for (const job of w.topology.jobs) {
    const { everyMin, name } = job.def;
    if ((slot + (rng('job-phase', name).int(everyMin))) % everyMin !== 0) continue;
    const r = rng(w.options.seed, 'job', name, slot);
    const sa = w.population.serviceToken(job.service.name);
    const actor: Actor = { tokenId: sa.tokenId, user: sa.user, ip: '', ua: '' };
    let t = slot * SLOT_MS + r.int(5000);
    const [lo, hi] = job.def.repeat ?? [1, 1];
    for (const endpoint of job.calls) {
      for (let i = 0, n = between(r, lo, hi); i < n; i++) {
        t = runTrace(w, out, endpoint, t, actor, new Map(), r, {}, job.service).end + between(r, 2, 40);
      }
    }
  }
}

/** Everything benign that starts in minute `slot` (minutes since the epoch). */
export function generateBenignSlot(w: World, slot: number, out: SimRecord[]) {
  const slotStart = slot * SLOT_MS;
  const seed = w.options.seed;
  const curve = relativeRate(slotStart + SLOT_MS / 2);
  const { rates } = w;
  const sources: [string, number, (start: number, r: Prng) => void][] = [
    ['session', rates.sessions * curve, (start, r) => runSession(w, out, r.weighted(SESSION_PERSONAS), start, r)],
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
  runUptime(w, out, slotStart, rng(seed, 'uptime', slot));
  runJobs(w, out, slot);
}

/**
 * Events each source causes on average, measured by running it (with a fixed seed, so the
 * rates are as deterministic as the rest), and the arrival rates that give the asked-for
 * events/s: every source's share of it divided by its events per arrival.
 */
export function calibrate(world: World): Rates {
  // Measured at normal load: an attack scheduled at the calibration time must not skew the rates.
  const w = Object.create(world, { load: { value: () => NORMAL_LOAD } }) as World;
  const t = Date.UTC(2024, 0, 1, 12);
  const perRun = (runs: number, fn: (out: SimRecord[], start: number, r: Prng) => void) => {
    const out: SimRecord[] = [];
    for (let i = 0; i < runs; i++) fn(out, t + i * 1000, rng('calibration', i));
    return out.length / runs;
  };
  const session = perRun(400, (out, start, r) => runSession(w, out, r.weighted(SESSION_PERSONAS), start, r));
  const device = perRun(200, (out, start, r) => runDevicePost(w, out, start, r));
  const webhook = perRun(200, (out, start, r) => runWebhook(w, out, start, r));
  const crawl = perRun(100, (out, start, r) => runCrawl(w, out, start, r));
  const uptime = perRun(20, (out, start, r) => runUptime(w, out, start, r)) / 60;
  const firstSlot = Math.floor(t / SLOT_MS);
  const jobs = perRun(1, (out) => {
    for (let s = firstSlot; s < firstSlot + 60; s++) runJobs(w, out, s);
  }) / 3600;
  const rest = Math.max(0, world.options.rate - jobs - uptime);
  return {
    sessions: (rest * SHARES.sessions) / session,
    devicePosts: (rest * SHARES.devicePosts) / device,
    webhooks: (rest * SHARES.webhooks) / webhook,
    crawls: (rest * SHARES.crawls) / crawl,
    jobEvents: jobs,
  };
}
