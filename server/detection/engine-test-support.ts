// Test support for the detection engine: a small shop API, a background population of clients
// browsing it (token + user + address, some anonymous, some behind one office address), attacks
// written as engine events, and a driver that feeds the engine minute by minute the way the
// console does and remembers when each actor was first named.
import { coarseRoute } from '@/server/rollups/route';
import type { DetectionEngine } from './engine';
import { ipGroup } from './sequence/client';
import { lcg } from './sequence/test-support';
import type { ActorRef, Detection, EngineEvent } from './types';

export const SERVICE = 'shop/api';
export const BROWSER_UA = 'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/126.0 Safari/537.36';
export const APP_UA = 'Shoply/5.1.0 (iPhone; iOS 17.5; Scale/3.00)';
export const SCRIPT_UA = 'python-requests/2.31.0';
export const MIN = 60_000;
/** the office every tenth signed-in client works from: one address, dozens of tokens */
export const OFFICE_IP = '100.64.10.1';

export interface Client {
  token: string | null;
  user: string | null;
  ip: string;
  ua: string;
}

let seq = 0;

/** One request to the shop; the endpoint template is the path with its numeric ids as `{id}`. */
export function request(c: Client, ts: number, method: string, path: string, status = 200, o: { template?: string; sensitive?: number; query?: string } = {}): EngineEvent {
  const template = o.template ?? path.replace(/\/\d+(?=\/|$)/g, '/{id}');
  return {
    ts: Math.round(ts), requestId: `q${++seq}`, srcService: 'external', dstService: SERVICE, method, path, query: o.query ?? null, status,
    durationMs: 20, bytesIn: method === 'GET' ? 0 : 200, bytesOut: status < 400 ? 2_000 : 100,
    clientIp: c.ip, userAgent: c.ua, tokenId: c.token, userId: c.user,
    sensitive: o.sensitive ? [{ class: 'email', direction: 'response', count: o.sensitive }] : null,
    endpoint: `${method} ${template}`,
  };
}

export interface BenignOptions {
  start: number;
  minutes: number;
  /** signed-in clients; a fifth as many anonymous visitors browse too */
  clients?: number;
  /** mean minutes between two sessions of one client */
  sessionGapMin?: number;
  seed?: number;
}

export function benignClients(n: number): { signedIn: Client[]; anonymous: Client[] } {
  const signedIn: Client[] = [];
  for (let i = 0; i < n; i++) {
    const ip = i % 10 === 0 ? OFFICE_IP : `10.${20 + (i >> 8)}.${i & 255}.${1 + ((i * 37) % 250)}`;
    signedIn.push({ token: `tok-${i}`, user: `user-${i}`, ip, ua: i % 3 === 0 ? APP_UA : BROWSER_UA });
  }
  const anonymous: Client[] = [];
  for (let i = 0; i < Math.ceil(n / 5); i++) anonymous.push({ token: null, user: null, ip: `172.20.${i & 255}.${1 + ((i * 53) % 250)}`, ua: BROWSER_UA });
  return { signedIn, anonymous };
}

/**
 * What a quiet day looks like: every client starts sessions now and then; a session signs in
 * (now and then mistyping once), lists products, looks at a few, sometimes fills its cart,
 * looks at its account or one of its own orders (answers with a few sensitive values), and
 * once in a while follows a stale link to a product that is gone (404).
 */
export function benignTraffic(o: BenignOptions): EngineEvent[] {
  const rand = lcg(o.seed ?? 1);
  const { signedIn, anonymous } = benignClients(o.clients ?? 300);
  const end = o.start + o.minutes * MIN;
  const gap = (o.sessionGapMin ?? 20) * MIN;
  const out: EngineEvent[] = [];
  const between = () => 2_000 + rand() * 18_000;
  const product = () => 1 + Math.floor(rand() * 5_000);
  for (const [i, c] of [...signedIn, ...anonymous].entries()) {
    const anon = c.token === null;
    let t = o.start + rand() * gap;
    while (t < end) {
      let s = t;
      const push = (method: string, path: string, status = 200, sensitive = 0) => {
        if (s < end) out.push(request(c, s, method, path, status, { sensitive }));
        s += between();
      };
      if (!anon) {
        if (rand() < 0.05) push('POST', '/login', 401);
        push('POST', '/login');
      }
      push('GET', '/products');
      for (let k = Math.floor(rand() * 6); k >= 0; k--) push('GET', `/products/${product()}`, rand() < 0.02 ? 404 : 200);
      if (!anon && rand() < 0.4) {
        push('GET', '/cart');
        push('POST', '/cart/items');
      }
      if (!anon && rand() < 0.3) push('GET', '/account', 200, 1);
      if (!anon && rand() < 0.3) push('GET', `/orders/${10_000 * (i + 1) + Math.floor(rand() * 5)}`, 200, 2);
      t += -Math.log(1 - rand()) * gap + (s - t);
    }
  }
  return out.sort((a, b) => a.ts - b.ts);
}

/** Hundreds of refused sign-ins from one address in a few minutes. */
export function bruteForce(ip: string, start: number, o: { attempts?: number; minutes?: number; ua?: string } = {}): EngineEvent[] {
  const n = o.attempts ?? 300;
  const step = ((o.minutes ?? 10) * MIN) / n;
  const c: Client = { token: null, user: null, ip, ua: o.ua ?? SCRIPT_UA };
  return Array.from({ length: n }, (_, i) => request(c, start + i * step, 'POST', '/login', 401));
}

/** A signed-in client walking product ids one after the other, every one answered. */
export function scraping(c: Client, start: number, o: { ids?: number; minutes?: number } = {}): EngineEvent[] {
  const n = o.ids ?? 1_000;
  const step = ((o.minutes ?? 20) * MIN) / n;
  return Array.from({ length: n }, (_, i) => request(c, start + i * step, 'GET', `/products/${200_000 + i}`));
}

const WORDS = ['admin', 'backup', 'config', 'old', 'test', 'wp-admin', 'phpmyadmin', 'cgi-bin', 'debug', 'private', 'staging', 'api-docs', 'console', 'db', 'dump', 'logs', 'tmp', 'uploads', 'secret', 'internal'];
const EXT = ['', '.php', '.bak', '.zip', '.sql', '.env', '.old', '.txt'];

/** A crawler guessing paths: most are not there (404); each unknown path is its own coarse route. */
export function crawler(ip: string, start: number, o: { paths?: number; minutes?: number; ua?: string } = {}): EngineEvent[] {
  const n = o.paths ?? 400;
  const step = ((o.minutes ?? 15) * MIN) / n;
  const c: Client = { token: null, user: null, ip, ua: o.ua ?? BROWSER_UA };
  return Array.from({ length: n }, (_, i) => {
    const path = `/${WORDS[i % WORDS.length]}/${WORDS[Math.floor(i / WORDS.length) % WORDS.length]}${EXT[i % EXT.length]}`;
    const found = i % 25 === 0;
    return request(c, start + i * step, 'GET', path, found ? 200 : 404, { template: coarseRoute(path) });
  });
}

/** Every event delivered up to `maxDelayMs` late (batches from proxies), in the order of arrival. */
export function shuffled(events: readonly EngineEvent[], maxDelayMs: number, seed = 9): EngineEvent[] {
  const rand = lcg(seed);
  return events.map((e) => ({ e, at: e.ts + rand() * maxDelayMs })).sort((a, b) => a.at - b.at).map((x) => x.e);
}

export const refKey = (r: ActorRef) => `${r.type}:${r.id}`;

export interface RunResult {
  /** the latest version of every detection */
  detections: Map<string, Detection>;
  /** per actor, the newest event time seen when a detection first named it, and that detection's kind */
  firstNamed: Map<string, { at: number; kind: string }>;
  /** the largest number of actors the engine held after any batch */
  peakActors: number;
}

/**
 * Feeds `events` (in the order given) one minute of arrival at a time, advancing after each
 * minute as the console does; a final advance flushes the last minute.
 */
export function run(engine: DetectionEngine, events: readonly EngineEvent[]): RunResult {
  const detections = new Map<string, Detection>();
  const firstNamed = new Map<string, { at: number; kind: string }>();
  let newest = Number.NEGATIVE_INFINITY;
  let peakActors = 0;
  const take = (ds: Detection[]) => {
    for (const d of ds) {
      detections.set(d.id, d);
      for (const a of d.actors) if (!firstNamed.has(refKey(a))) firstNamed.set(refKey(a), { at: newest, kind: d.kind });
    }
    peakActors = Math.max(peakActors, engine.stats.actors);
  };
  let batch: EngineEvent[] = [];
  let batchMinute = Number.NaN;
  for (const e of events) {
    const m = Math.floor(Math.max(e.ts, newest) / MIN);
    if (batch.length && m !== batchMinute) {
      engine.observe(batch);
      take(engine.advance());
      batch = [];
    }
    batchMinute = m;
    batch.push(e);
    if (e.ts > newest) newest = e.ts;
  }
  if (batch.length) engine.observe(batch);
  take(engine.advance());
  return { detections, firstNamed, peakActors };
}

/** actor → the kinds of the detections naming it */
export function kindsByActor(detections: Iterable<Detection>): Map<string, Set<string>> {
  const out = new Map<string, Set<string>>();
  for (const d of detections) {
    for (const a of d.actors) {
      const k = refKey(a);
      if (!out.has(k)) out.set(k, new Set());
      out.get(k)!.add(d.kind);
    }
  }
  return out;
}

/** The attackers of `scenario` */
export const ATTACK = {
  bruteForceIp: '192.0.2.66',
  scraper: { token: 'tok-scraper', user: 'user-scraper', ip: '198.51.100.77', ua: SCRIPT_UA } satisfies Client,
  crawlerIp: '203.0.113.88',
} as const;

export interface Scenario {
  events: EngineEvent[];
  start: number;
  /** when each attack starts and ends */
  bruteForce: [number, number];
  scraping: [number, number];
  crawler: [number, number];
  /** actors of the background population */
  benign: Set<string>;
}

/**
 * Two and a half hours of the background population with three attacks after the first hour
 * and a half (when the populations are past their minimum): a brute force from one address
 * (300 refused sign-ins in 10 min), a token walking 1,000 product ids in 20 min, a crawler
 * guessing 400 paths in 15 min, each five minutes after the one before.
 */
export function scenario(o: { clients?: number; seed?: number; minutes?: number; attackAt?: number } = {}): Scenario {
  const start = Date.UTC(2025, 2, 3, 6);
  const background = benignTraffic({ start, minutes: o.minutes ?? 150, clients: o.clients ?? 250, seed: o.seed ?? 1 });
  const benign = new Set<string>();
  for (const e of background) {
    if (e.tokenId) benign.add(`token:${e.tokenId}`);
    if (e.userId) benign.add(`user:${e.userId}`);
    if (e.clientIp) benign.add(`ip:${e.clientIp}`).add(`ip_group:${ipGroup(e.clientIp)}`);
  }
  const bf = start + (o.attackAt ?? 90) * MIN;
  const sc = bf + 5 * MIN;
  const cr = bf + 10 * MIN;
  const events = [...background, ...bruteForce(ATTACK.bruteForceIp, bf), ...scraping(ATTACK.scraper, sc), ...crawler(ATTACK.crawlerIp, cr)].sort((a, b) => a.ts - b.ts);
  return { events, start, bruteForce: [bf, bf + 10 * MIN], scraping: [sc, sc + 20 * MIN], crawler: [cr, cr + 15 * MIN], benign };
}
