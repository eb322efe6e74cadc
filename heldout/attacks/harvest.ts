// Reading what is not meant to be read in bulk: a scanner mapping the hosts, scrapers walking the
// branch locator and the public pages, and one that takes a new guest token every hour.
import type { Agent } from '../engine';
import type { Who } from '../exec';
import { cloudAddress, homeAddress } from '../network';
import type { Rand } from '../rand';
import { CITIES, SECTIONS } from '../values';
import type { BankWorld } from '../world';
import { pace, type Scenario } from './types';

const SCANNERS = ['Fuzz Faster U Fool v2.1.0-dev', 'feroxbuster/2.10.4', 'Mozilla/5.00 (Nikto/2.5.0) (Evasions:None) (Test:000120)', 'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/121.0.0.0 Safari/537.36 OWASP ZAP/2.14', 'Nuclei - Open-source project (github.com/projectdiscovery/nuclei)'];
const GUESSES = [
  '.git/HEAD', '.DS_Store', 'server-status', 'actuator', 'actuator/health', 'swagger-ui.html', 'v2/api-docs', 'v3/api-docs', 'openapi.yaml', 'graphql',
  'graphiql', 'console', 'admin', 'admin/login', 'wp-admin/', 'backup.zip', 'db.sql', '.env.production', 'config.php', 'v3/admin', 'v3/internal/debug',
  'v3/users', 'v3/accounts/export', 'v2/accounts', 'v1/customers', 'portal/admin', 'portal/reports', 'jenkins', 'metrics', 'debug/pprof', 'elmah.axd',
  'trace.axd', 'cgi-bin/test.cgi', 'owa/', 'remote/login', 'login.action', 'struts2-showcase', 'solr/admin', '_next/data', 'api/v1/health',
];
const HOSTS = ['gateway/edge-api', 'gateway/edge-api', 'web/site', 'identity/login', 'backoffice/teller', 'openbanking/fdx'];

export const crawler: Scenario = {
  name: 'crawler', expected: ['crawler'], minutes: [5, 12], perDay: 3,
  *run(w, plan, r): Agent {
    const who: Who = { token: null, user: null, ip: cloudAddress(r, 0.2), ua: r.pick(SCANNERS), label: { attack: plan.id } };
    const routes = [...w.mesh.routes.values()].filter((rt) => HOSTS.includes(rt.svc));
    for (const t of pace(r, plan.start, plan.end, r.range(4, 12) * w.config.attacks.intensity)) {
      yield t;
      const roll = r.float();
      if (roll < 0.6) {
        const guess = r.pick(GUESSES);
        w.probe(who, r.pick(HOSTS), r.coin(0.9) ? 'GET' : 'POST', `/${guess}`, /git|env|status|actuator/.test(guess) ? 403 : 404, r);
      } else if (roll < 0.85) {
        const route = r.pick(routes);
        w.call(who, { route: route.id, status: route.method === 'GET' ? undefined : 400 }, r); // no token: mostly 401
      } else {
        // parameters fuzzed on the public reads
        const payload = r.pick(["'%20OR%201=1--", '../../../../etc/passwd', '%3Cscript%3Ealert(1)%3C/script%3E', '${jndi:ldap://x}', '{{7*7}}']);
        w.call(who, { route: r.pick(['api.fx', 'api.branches', 'www.rates']), query: `base=${payload}&lat=${payload}`, status: 400 }, r);
      }
    }
  },
};

/** A competitor or data broker copying the branch network and the rate sheets. */
export const scraping: Scenario = {
  name: 'scraping', expected: ['scraping'], minutes: [30, 60], perDay: 3, variants: ['locator_grid', 'public_pages'],
  *run(w, plan, r): Agent {
    const ips = Array.from({ length: r.int(2, 5) }, () => cloudAddress(r));
    const ua = r.pick(['Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) HeadlessChrome/124.0.0.0 Safari/537.36', 'python-requests/2.31.0', 'Scrapy/2.11.1 (+https://scrapy.org)']);
    let n = 0;
    let token: string | null = null;
    const grid: [number, number][] = [];
    for (let lat = 38.5; lat < 45; lat += 0.25) for (let lng = -82; lng < -70; lng += 0.25) grid.push([lat, lng]);
    const pages: [string, Map<string, string>][] = [
      ...CITIES.map(([state, city]) => ['www.location', new Map([['state', state], ['city', city]])] as [string, Map<string, string>]),
      ...Object.entries(SECTIONS).flatMap(([section, products]) => products.map((product) => ['www.product', new Map([['section', section], ['product', product]])] as [string, Map<string, string>])),
    ];
    for (const t of pace(r, plan.start, plan.end, r.range(1, 3) * w.config.attacks.intensity, 0.15)) {
      yield t;
      const who: Who = { token, user: null, ip: ips[Math.floor(n / 150) % ips.length], ua, label: { attack: plan.id } };
      if (plan.variant === 'locator_grid') {
        if (!token || n % 500 === 0) {
          w.call({ ...who, token: null }, { route: 'api.guest' }, r);
          token = w.people.bearer('guest', plan.id, n);
          n++;
          continue;
        }
        const [lat, lng] = grid[n % grid.length];
        w.call(who, { route: 'api.branches', query: `lat=${lat.toFixed(2)}&lng=${lng.toFixed(2)}&radius=25` }, r);
      } else if (n % 40 === 0) w.call(who, { route: 'www.rates' }, r);
      else {
        const [route, params] = pages[n % pages.length];
        w.call(who, { route, params: new Map(params) }, r);
      }
      n++;
    }
  },
};

/**
 * A scraper of branch and ATM details that never keeps an identity long: every hour a new guest
 * token from a new residential proxy, carrying on with the next ids where the last one stopped.
 */
export const tokenRotation: Scenario = {
  name: 'token_rotation', expected: ['scraping'], minutes: [120, 300], perDay: 1.5,
  *run(w, plan, r): Agent {
    const ua = r.pick(['LumenBank/24.18.0 (Android 14; Pixel 8) okhttp/4.12.0', 'Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/125.0.0.0 Safari/537.36']);
    let branch = 1001;
    let atm = 10000 + r.below(5000);
    const perSecond = r.range(0.4, 1.2) * w.config.attacks.intensity;
    for (let from = plan.start; from < plan.end; ) {
      const until = Math.min(plan.end, from + r.range(50, 70) * 60_000);
      const ip = homeAddress(r);
      yield from;
      w.call({ token: null, user: null, ip, ua, label: { attack: plan.id } }, { route: 'api.guest' }, r);
      const who: Who = { token: w.people.bearer('guest', plan.id, from), user: null, ip, ua, label: { attack: plan.id } };
      for (const t of pace(r, from + 1000, until, perSecond, 0.5)) {
        yield t;
        if (r.coin(0.5)) w.call(who, { route: 'api.branch', params: new Map([['branchId', String(branch > 1400 ? (branch = 1001) : branch++)]]) }, r);
        else w.call(who, { route: 'api.atm', params: new Map([['atmId', `A${atm++}`]]) }, r);
      }
      from = until;
    }
  },
};

export function pickLatLng(r: Rand): string {
  return `lat=${r.range(39, 43).toFixed(4)}&lng=${r.range(-80, -71).toFixed(4)}&radius=10`;
}
