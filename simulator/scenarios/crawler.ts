import { hostingIp } from '../population';
import type { Actor } from '../trace';
import { freshValue } from '../values';
import { ticks } from './actors';
import type { Scenario } from './types';

const SCANNER_UAS = [
  'Mozilla/5.0 (compatible; Nmap Scripting Engine; https://nmap.org/book/nse.html)',
  'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/87.0.4280.88 Safari/537.36 Nuclei',
  'gobuster/3.6', 'sqlmap/1.8.4#stable (https://sqlmap.org)', 'Mozilla/5.0 zgrab/0.x',
];
const PREFIXES = ['/', '/api/', '/api/v1/', '/api/v2/', '/api/v3/', '/admin/', '/api/internal/', '/v1/'];
const WORDS = [
  'admin', 'config', 'debug', 'backup', 'internal', 'users', 'accounts', 'export', 'graphql', 'swagger.json', 'openapi.json',
  'api-docs', 'actuator/env', 'actuator/heapdump', '.env', '.git/config', 'wp-login.php', 'server-status', 'phpinfo.php',
  'console', 'metrics', 'keys', 'tokens', 'login', 'test', 'old', 'staging', 'private', 'upload', 'files', 'db', 'dump.sql',
  'config.json', 'settings', '.aws/credentials', 'vendor/phpunit/phpunit/src/Util/PHP/eval-stdin.php', 'xmlrpc.php',
  'customers', 'orders/export', 'payments', 'cards', 'secrets', 'health', 'status', 'version', 'env', 'jolokia', 'trace',
];
const ID_TYPES = new Set(['int', 'uuid', 'hex24', 'hex']);
const HOSTS = ['edge/gateway', 'edge/gateway', 'edge/web', 'edge/web', 'identity/auth', 'ops/admin-api'];

/**
 * A scanner mapping the API: guessed paths (mostly 404), every real endpoint of the public
 * services with made-up ids, odd methods. One address, no token, several requests a second.
 */
export const crawler: Scenario = {
  kind: 'crawler',
  expected: ['crawler'],
  minutes: [8, 15],
  generate({ world, plan, r, send, probe }) {
    const actor: Actor = { tokenId: null, user: null, ip: hostingIp(r), ua: r.pick(SCANNER_UAS) };
    const real = HOSTS.flatMap((name) => world.topology.service(name).endpoints);
    const methodTargets = real.filter((ep) => ep.params.every((p) => ID_TYPES.has(p.type)));
    for (const t of ticks(r, plan.start, plan.end, (3 + r.next() * 4) * world.profile.attacks.intensity)) {
      const roll = r.next();
      if (roll < 0.55) {
        const service = r.pick(HOSTS);
        const path = `${r.pick(PREFIXES)}${r.pick(WORDS)}`;
        probe(service, r.chance(0.85) ? 'GET' : 'POST', path, t, actor, /\.git|\.env|\.aws/.test(path) ? 403 : 404);
      } else if (roll < 0.88) {
        // Enumeration without credentials or bodies: writes are refused, made-up ids often miss.
        const ep = r.pick(real);
        const status = ep.method !== 'GET' ? 400 : ep.kind === 'item' && r.chance(0.5) ? 404 : undefined;
        send(ep.key, t, actor, new Map(), { status });
      } else {
        // Odd methods on the API's resources, ids filled in (words it cannot guess stay untried).
        const ep = r.pick(methodTargets);
        const params = new Map<string, string>();
        const path = ep.segments.map((seg) => ('literal' in seg ? seg.literal : `${seg.prefix}${freshValue(seg.param, r, params, t)}${seg.suffix}`)).join('/');
        probe(ep.service.name, r.pick(['OPTIONS', 'PUT', 'TRACE', 'HEAD']), `/${path}`, t, actor, 405);
      }
    }
    return {};
  },
};
