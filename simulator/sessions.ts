import type { CohortName } from './cohorts';
import type { Persona, User } from './population';
import { residentialIp } from './population';
import { between, hex, lognormal, rng, uuid, type Prng } from './random';
import type { SimRecord } from './record';
import { runTrace, type Actor } from './trace';
import { PRODUCT_BASE, setProduct, vinOf, type Params } from './values';
import { BROWSER_UAS } from './words';
import { ASSET_REQUEST, WORKFLOWS, type Workflow } from './workflows';
import type { World } from './world';

/** Sessions end by this long after they start, so a stream needs to look back no further. */
export const MAX_SESSION_MS = 45 * 60_000;

export type SessionKind = Persona | 'visitor';

const choose = (r: Prng, weights: Record<string, number>): string => r.weighted(Object.entries(weights));

/** A mobile address for the user on that day, when no carrier NAT hides the phone (it roams between a few). */
const mobileIp = (w: World, user: number, ts: number, r: Prng) =>
  residentialIp(rng(w.options.seed, 'mobile-ip', user, Math.floor(ts / 86_400_000), r.int(3)));

/** Where a session of `user` (null: an anonymous visitor) comes from, and the cohorts that address puts it in. */
export function sessionActor(w: World, user: User | null, ts: number, r: Prng): Actor {
  if (!user) return { tokenId: null, user: null, ip: residentialIp(r), ua: r.pick(BROWSER_UAS) };
  const { profile } = w;
  let ip: string;
  let cohorts: CohortName[] = [];
  if (user.persona === 'staff') {
    ip = r.pick(profile.office);
    cohorts = ['office_nat'];
  } else if (user.persona === 'web') {
    if (user.vpn) {
      ip = r.pick(profile.vpn.exits); // a new exit every visit
      cohorts = ['privacy_vpn'];
    } else ip = r.chance(0.9) ? user.homeIp : residentialIp(r);
  } else if (user.carrier !== null) {
    ip = r.pick(profile.cgnat.carriers[user.carrier].ips);
    cohorts = ['cgnat_mobile'];
  } else ip = mobileIp(w, user.index, ts, r);
  return { tokenId: w.population.tokenId(user, ts), user: user.id, ip, ua: user.ua, cohorts };
}

const withCohort = (actor: Actor, cohort: CohortName): Actor =>
  actor.cohorts?.includes(cohort) ? actor : { ...actor, cohorts: [...(actor.cohorts ?? []), cohort] };

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

interface Cursor {
  t: number;
  actor: Actor;
}

/**
 * A password sign-in: no bearer yet (the answer carries it). Now and then the person mistypes
 * the password once or a few times first, pausing to retype: a short run of 401s from one address.
 */
function passwordSignIn(w: World, out: SimRecord[], request: string, c: Cursor, params: Params, r: Prng): Cursor {
  const ep = w.topology.endpoint(request);
  let { t, actor } = c;
  const anonymous = { ...actor, tokenId: null, user: null };
  if (r.chance(w.profile.typo)) {
    actor = withCohort(actor, 'password_typo');
    const misses = r.chance(0.7) ? 1 : between(r, 2, 4);
    for (let i = 0; i < misses; i++) {
      t = runTrace(w, out, ep, t, { ...anonymous, cohorts: actor.cohorts }, params, r, { status: 401 }).end + lognormal(r, 7000, 0.5);
    }
  }
  t = runTrace(w, out, ep, t, { ...anonymous, cohorts: actor.cohorts }, params, r).end;
  return { t, actor };
}

/** Sign-in steps some sessions begin with: a password in the browser, a refresh (or now and then a password) in the apps. */
function signIn(w: World, out: SimRecord[], persona: Persona, c: Cursor, params: Params, r: Prng): Cursor {
  const topo = w.topology;
  if (persona === 'web' && r.chance(0.2)) {
    const page = runTrace(w, out, topo.endpoint('edge/web GET /login'), c.t, c.actor, params, r);
    const done = passwordSignIn(w, out, 'edge/web POST /login', { ...c, t: page.end + lognormal(r, 6000, 0.5) }, params, r);
    return { ...done, t: done.t + lognormal(r, 1500, 0.5) };
  }
  if ((persona === 'app' || persona === 'driver') && r.chance(0.12)) {
    if (r.chance(persona === 'driver' ? 0.5 : 0.25)) {
      const done = passwordSignIn(w, out, 'identity/auth POST /oauth/token', c, params, r);
      return { ...done, t: done.t + lognormal(r, 400, 0.5) };
    }
    return { ...c, t: runTrace(w, out, topo.endpoint('identity/auth POST /oauth/refresh'), c.t, c.actor, params, r).end + lognormal(r, 400, 0.5) };
  }
  return c;
}

/** A visit that begins at an old link: a product no longer sold, an order link from an old e-mail, an app deep link. */
function staleStart(w: World, out: SimRecord[], kind: SessionKind, c: Cursor, r: Prng): Cursor {
  const actor = withCohort(c.actor, 'stale_links');
  const params: Params = new Map();
  setProduct(params, PRODUCT_BASE - 1 - r.int(8000)); // delisted products had the lower ids
  let request = 'edge/web GET /p/{slug}';
  if (kind === 'app') request = 'edge/gateway GET /api/v2/products/{productId}';
  else if (kind === 'web' && r.chance(0.4)) request = 'edge/web GET /account/orders/{orderId}';
  const res = runTrace(w, out, w.topology.endpoint(request), c.t, actor, params, r, { status: 404, query: null });
  return { t: res.end + lognormal(r, 4000, 0.6), actor };
}

/**
 * The app keeps a screen open that refreshes itself: a parcel's tracking every 15–60 s, a
 * vehicle's state (charging) every 8–30 s, until the person leaves it or the session's time is up.
 */
function poll(w: World, out: SimRecord[], user: User, request: string, c: Cursor, params: Params, deadline: number, r: Prng): number {
  const ep = w.topology.endpoint(request);
  const vehicle = request.includes('vehicles');
  const every = vehicle ? between(r, 8_000, 30_000) : between(r, 15_000, 60_000);
  const until = Math.min(deadline, c.t + between(r, 3, vehicle ? 20 : 25) * 60_000);
  let actor = withCohort(c.actor, 'app_polling');
  let t = c.t + every;
  for (; t < until; t += every * (0.95 + r.next() * 0.1)) {
    actor = { ...actor, tokenId: w.population.tokenId(user, t) };
    runTrace(w, out, ep, t, actor, params, r);
  }
  return t;
}

const POLLED: Record<string, { request: string; chance: (w: World) => number }> = {
  tracking: { request: 'edge/gateway GET /api/v1/orders/{orderId}/tracking', chance: (w) => w.profile.polling.tracking },
  vehicle: { request: 'edge/gateway GET /api/v1/vehicles/{vin}', chance: (w) => w.profile.polling.vehicle },
};

/** One person's visit: a walk along their workflow with human pauses in between. */
export function runSession(w: World, out: SimRecord[], kind: SessionKind, start: number, r: Prng) {
  const user = kind === 'visitor' ? null : w.population.pick(kind, r);
  const flow: Workflow = WORKFLOWS[kind];
  const params = sessionParams(w, user, r);
  let c: Cursor = { t: start, actor: sessionActor(w, user, start, r) };
  if ((kind === 'visitor' || kind === 'web' || kind === 'app') && r.chance(w.profile.stale)) c = staleStart(w, out, kind, c, r);
  if (user) c = signIn(w, out, user.persona, c, params, r);
  let { t, actor } = c;
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
    const polled = POLLED[state];
    if (user && polled && res.status < 400 && r.chance(polled.chance(w))) {
      poll(w, out, user, polled.request, { t: res.end, actor }, params, deadline, r);
      break; // the screen stayed open until the person left
    }
    if (t >= deadline) break;
    state = choose(r, step.next);
  }
}
