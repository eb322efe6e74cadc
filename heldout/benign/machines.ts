// Machines that are no threat: search-engine and SEO crawlers on the marketing site, uptime
// probes and a scripted sign-in with a test account, and the bank's own jobs walking its data.
import type { Agent } from '../engine';
import type { Who } from '../exec';
import type { Pod } from '../mesh';
import { rand, type Rand } from '../rand';
import { CITIES, RETIRED, SECTIONS, ARTICLES } from '../values';
import type { BankWorld } from '../world';

const CRAWLERS: { weight: number; ua: string; ip: (r: Rand) => string; deep: number }[] = [
  { weight: 50, ua: 'Mozilla/5.0 (compatible; Googlebot/2.1; +http://www.google.com/bot.html)', ip: (r) => `66.249.${r.int(64, 79)}.${r.int(1, 254)}`, deep: 0.1 },
  { weight: 20, ua: 'Mozilla/5.0 AppleWebKit/537.36 (KHTML, like Gecko; compatible; bingbot/2.0; +http://www.bing.com/bingbot.htm) Chrome/116.0.1938.76 Safari/537.36', ip: (r) => `${r.pick(['40.77.167', '157.55.39', '207.46.13'])}.${r.int(1, 254)}`, deep: 0.05 },
  { weight: 10, ua: 'Mozilla/5.0 (compatible; AhrefsBot/7.0; +http://ahrefs.com/robot/)', ip: (r) => `${r.pick(['54.36.148', '54.36.149', '51.222.253'])}.${r.int(1, 254)}`, deep: 0.5 },
  { weight: 8, ua: 'Mozilla/5.0 (compatible; YandexBot/3.0; +http://yandex.com/bots)', ip: (r) => `${r.pick(['5.255.253', '213.180.203'])}.${r.int(1, 254)}`, deep: 0.05 },
  { weight: 12, ua: 'Mozilla/5.0 (compatible; DuckDuckBot-Https/1.1; https://duckduckgo.com/duckduckbot)', ip: (r) => r.pick(['20.191.45.212', '40.88.21.235', '52.142.26.175']), deep: 0 },
];

/** A crawler's visit: robots.txt first, then pages at its own pace; a deep crawl walks every branch page. */
export function* crawl(w: BankWorld, r: Rand): Agent {
  const bot = r.weighted(CRAWLERS.map((b) => [b, b.weight] as const));
  const who: Who = { token: null, user: null, ip: bot.ip(r), ua: bot.ua, label: { cohorts: ['search_bots'] } };
  w.call(who, { route: 'www.robots' }, r);
  yield w.now + r.range(500, 3000);
  if (r.coin(0.3)) {
    w.call(who, { route: 'www.sitemap' }, r);
    yield w.now + r.range(500, 3000);
  }
  const deep = r.coin(bot.deep);
  const pages = deep ? r.int(60, 250) : r.int(2, 15);
  const gap = deep ? r.range(400, 1500) : r.range(1500, 8000);
  for (let i = 0; i < pages; i++) {
    const roll = r.float();
    if (roll < 0.45) {
      const [state, city] = CITIES[(i + r.below(3)) % CITIES.length];
      w.call(who, { route: 'www.location', params: new Map([['state', state], ['city', city]]) }, r);
    } else if (roll < 0.8) {
      const section = r.pick(Object.keys(SECTIONS));
      const gone = r.coin(0.04); // still in the index, gone from the site
      w.call(who, { route: 'www.product', params: new Map([['section', section], ['product', gone ? r.pick(RETIRED) : r.pick(SECTIONS[section])]]), status: gone ? 404 : undefined }, r);
    } else if (roll < 0.9) w.call(who, { route: 'www.help', params: new Map([['article', r.pick(ARTICLES)]]) }, r);
    else w.call(who, { route: 'www.section' }, r);
    yield w.now + gap * r.range(0.7, 1.3);
  }
}

const PROBES = ['52.8.120.14', '13.57.46.100', '35.160.28.9', '18.130.227.201', '3.104.121.88', '54.94.168.33'];

/**
 * Pingdom-style checks of the home page and the app's configuration every minute (the probe
 * locations take turns), and a scripted sign-in with the monitoring test account every ten
 * minutes (password, code, token, accounts) from three places. Labelled `uptime_monitors`.
 */
export function* monitors(w: BankWorld, end: number): Agent {
  const test = 'cus_MonitorTest01';
  for (let minute = Math.ceil(w.now / 60_000); minute * 60_000 < end; minute++) {
    yield minute * 60_000 + 7_000;
    const m = rand(w.seed, 'monitor minute', minute);
    const probe: Who = { token: null, user: null, ip: PROBES[minute % PROBES.length], ua: 'Pingdom.com_bot_version_1.4_(http://www.pingdom.com/)', label: { cohorts: ['uptime_monitors'] } };
    w.call(probe, { route: 'www.home' }, m);
    w.call(probe, { route: 'api.config', params: new Map([['app', 'web']]) }, m);
    if (minute % 10 !== 3) continue;
    const who: Who = { token: null, user: null, ip: ['34.201.17.60', '35.171.40.22', '44.193.81.9'][(minute / 10 | 0) % 3], ua: 'Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) HeadlessChrome/125.0.6422.60 Safari/537.36 Catchpoint', label: { cohorts: ['uptime_monitors'] } };
    w.call(who, { route: 'auth.password', params: new Map([['loginHash', w.people.bearer('login', 'monitor-test').slice(0, 20)]]), status: 200 }, m);
    yield w.now + 800;
    w.call(who, { route: 'auth.otp' }, m);
    yield w.now + 500;
    w.call(who, { route: 'auth.token' }, m);
    yield w.now + 300;
    w.call({ ...who, token: w.people.bearer('session', test, minute), user: test }, { route: 'api.accounts' }, m);
  }
}

interface Job {
  name: string;
  from: string;
  everyMin: number;
  run(w: BankWorld, r: Rand, pod: Pod, who: Who, tick: number): void;
}

const orders = new WeakMap<BankWorld, string[]>();
const idOrder = (w: BankWorld) => {
  let ids = orders.get(w);
  if (!ids) orders.set(w, (ids = w.people.customers.map((c) => c.id).sort()));
  return ids;
};

/** The bank's own jobs, calling with their workload identity from one of their pods. */
const JOBS: Job[] = [
  {
    // renders next month's statements ahead of time, walking the customers in id order, a few a minute
    name: 'statement-prerender', from: 'documents/statements', everyMin: 1,
    run(w, r, pod, who, tick) {
      const sorted = idOrder(w);
      const per = 4;
      for (let i = 0; i < per; i++) {
        const id = sorted[(tick * per + i) % sorted.length];
        w.call(who, { route: 'accounts.list', params: new Map([['customerId', id]]) }, r, pod);
      }
    },
  },
  {
    name: 'fraud-features', from: 'risk/fraud', everyMin: 2,
    run(w, r, pod, who) {
      for (let i = r.int(1, 3); i > 0; i--) w.call(who, { route: 'history.search', params: new Map([['accountId', r.pick(w.people.pick(r).accounts)]]) }, r, pod);
    },
  },
  {
    name: 'case-sla', from: 'backoffice/cases', everyMin: 5,
    run(w, r, pod, who) {
      for (let i = r.int(2, 5); i > 0; i--) w.call(who, { route: 'profile.get', params: new Map([['customerId', w.people.pick(r).id]]) }, r, pod);
    },
  },
  {
    name: 'ach-settlement', from: 'payments/ach', everyMin: 15,
    run(w, r, pod, who) {
      w.call(who, { route: 'balances.many' }, r, pod);
    },
  },
];

export function* jobs(w: BankWorld, end: number): Agent {
  for (let minute = Math.ceil(w.now / 60_000); minute * 60_000 < end; minute++) {
    yield minute * 60_000 + 1500;
    for (const job of JOBS) {
      if (minute % job.everyMin !== 0) continue;
      const r = rand(w.seed, 'job', job.name, minute);
      const pods = w.mesh.podsOf.get(job.from)!;
      const [ns, name] = job.from.split('/');
      const who: Who = {
        token: w.people.bearer('workload', job.from), user: `spiffe://lumen.prod/ns/${ns}/sa/${name}`, ip: '', ua: '',
        label: { cohorts: job.name === 'statement-prerender' ? ['internal_jobs', 'cron_walker'] : ['internal_jobs'] },
      };
      job.run(w, r, pods[r.below(pods.length)], who, Math.floor(minute / job.everyMin));
    }
  }
}
