import type { CohortName } from './cohorts';
import { residentialIp } from './population';
import { between, rng, uuid, type Prng } from './random';
import type { SimRecord } from './record';
import { runTrace, type Actor } from './trace';
import { popularProduct, PRODUCT_BASE, setProduct, vinOf, type Params } from './values';
import type { World } from './world';

export const SLOT_MS = 60_000;

const GOOGLEBOT = 'Mozilla/5.0 (compatible; Googlebot/2.1; +http://www.google.com/bot.html)';
const googleIp = (r: Prng) => `66.249.${64 + r.int(16)}.${1 + r.int(254)}`;

/** Search engines from their published address ranges, as reverse DNS would confirm them. */
const SEARCH_BOTS: { weight: number; ua: string; ip: (r: Prng) => string }[] = [
  { weight: 55, ua: GOOGLEBOT, ip: googleIp },
  {
    weight: 15,
    ua: 'Mozilla/5.0 (Linux; Android 6.0.1; Nexus 5X Build/MMB29P) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.6778.69 Mobile Safari/537.36 (compatible; Googlebot/2.1; +http://www.google.com/bot.html)',
    ip: googleIp,
  },
  { weight: 18, ua: 'Mozilla/5.0 (compatible; bingbot/2.0; +http://www.bing.com/bingbot.htm)', ip: (r) => `${r.pick(['157.55.39', '40.77.167', '207.46.13'])}.${1 + r.int(254)}` },
  {
    weight: 6,
    ua: 'Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_5) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/13.1.1 Safari/605.1.15 (Applebot/0.1; +http://www.apple.com/go/applebot)',
    ip: (r) => `17.${r.pick([22, 58, 241])}.${r.int(256)}.${1 + r.int(254)}`,
  },
  { weight: 6, ua: 'DuckDuckBot/1.1; (+http://duckduckgo.com/duckduckbot.html)', ip: (r) => r.pick(['20.191.45.212', '40.88.21.235', '40.76.173.151', '40.76.163.7']) },
];

/**
 * A search-engine crawler visit: robots.txt, then product and category pages at a steady clip;
 * now and then a deep crawl of hundreds of pages, some of them delisted products (404).
 */
export function runCrawl(w: World, out: SimRecord[], start: number, r: Prng) {
  const bot = r.weighted(SEARCH_BOTS.map((b) => [b, b.weight] as const));
  const actor: Actor = { tokenId: null, user: null, ip: bot.ip(r), ua: bot.ua, cohorts: ['search_bots'] };
  const topo = w.topology;
  const params: Params = new Map();
  let t = start;
  if (r.chance(0.3)) t = runTrace(w, out, topo.endpoint('edge/web GET /robots.txt'), t, actor, params, r).end + between(r, 200, 2000);
  if (r.chance(0.1)) t = runTrace(w, out, topo.endpoint('edge/web GET /sitemap.xml'), t, actor, params, r).end + between(r, 200, 2000);
  const deep = r.chance(w.profile.deepCrawl);
  const [pages, gapLo, gapHi] = deep ? [between(r, 80, 400), 300, 1500] : [between(r, 3, 20), 500, 4000];
  for (let i = 0; i < pages; i++) {
    params.clear();
    const category = r.chance(0.2);
    const gone = !category && r.chance(0.03); // still in the engine's index, no longer sold
    if (!category) setProduct(params, gone ? PRODUCT_BASE - 1 - r.int(8000) : popularProduct(r));
    const page = topo.endpoint(category ? 'edge/web GET /c/{categorySlug}' : 'edge/web GET /p/{slug}');
    t = runTrace(w, out, page, t, actor, params, r, { query: null, status: gone ? 404 : undefined }).end + between(r, gapLo, gapHi);
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

const UPTIME_IPS = ['18.221.56.27', '69.162.124.235', '216.144.250.150'];
const MONITOR: readonly CohortName[] = ['uptime_monitors'];

/**
 * Monitoring: the home page every minute from three places, and a scripted sign-in with a test
 * account (then a look at its profile) every few minutes from the monitoring service's locations.
 */
export function runMonitors(w: World, out: SimRecord[], slot: number) {
  const r = rng(w.options.seed, 'uptime', slot);
  const slotStart = slot * SLOT_MS;
  const home = w.topology.endpoint('edge/web GET /');
  for (const ip of UPTIME_IPS) {
    const actor: Actor = { tokenId: null, user: null, ip, ua: 'Mozilla/5.0+(compatible; UptimeRobot/2.0; http://www.uptimerobot.com/)', cohorts: MONITOR };
    runTrace(w, out, home, slotStart + between(r, 0, 59_000), actor, new Map(), r, { query: null });
  }
  const { everyMin, ips } = w.profile.synthetic;
  if (slot % everyMin !== 0) return;
  const account = rng(w.options.seed, 'synthetic-account');
  const user = uuid(account);
  const params: Params = new Map([['email', `synthetic-monitor+${account.int(1000)}@meshward-shop.example`], ['userId', user]]);
  const ip = ips[Math.floor(slot / everyMin) % ips.length];
  const ua = 'Datadog/Synthetics';
  let t = slotStart + between(r, 1000, 20_000);
  t = runTrace(w, out, w.topology.endpoint('identity/auth POST /v1/login'), t, { tokenId: null, user: null, ip, ua, cohorts: MONITOR }, params, r, { status: 200 }).end;
  const signedIn: Actor = { tokenId: w.population.hash(`synthetic.${w.options.seed}.${slot}`), user, ip, ua, cohorts: MONITOR };
  runTrace(w, out, w.topology.endpoint('edge/gateway GET /api/v1/users/me'), t + between(r, 100, 600), signedIn, params, r);
}

const JOB: readonly CohortName[] = ['internal_jobs'];
const WALKING_JOB: readonly CohortName[] = ['internal_jobs', 'cron_walker'];

/** Internal jobs due in this slot, each calling with its service account; a walking job steps through ids in order. */
export function runJobs(w: World, out: SimRecord[], slot: number) {
  for (const job of w.topology.jobs) {
    const { everyMin, name, walk } = job.def;
    if ((slot + (rng('job-phase', name).int(everyMin))) % everyMin !== 0) continue;
    const r = rng(w.options.seed, 'job', name, slot);
    const sa = w.population.serviceToken(job.service.name);
    const actor: Actor = { tokenId: sa.tokenId, user: sa.user, ip: '', ua: '', cohorts: walk ? WALKING_JOB : JOB };
    let t = slot * SLOT_MS + r.int(5000);
    const [lo, hi] = job.def.repeat ?? [1, 1];
    for (const endpoint of job.calls) {
      for (let i = 0, n = between(r, lo, hi); i < n; i++) {
        const params: Params = new Map();
        // hi calls a minute at most, so consecutive runs continue where the last one stopped
        if (walk) params.set(walk.param, String(walk.from + ((Math.floor(slot / everyMin) * hi + i) % walk.size)));
        t = runTrace(w, out, endpoint, t, actor, params, r, {}, job.service).end + between(r, 2, 40);
      }
    }
  }
}
