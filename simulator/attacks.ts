import { between, hex, Prng, uuid } from './random';
import type { SimRecord } from './record';
import { SCENARIOS } from './scenarios';
import type { AttackAccounts, AttackContext, AttackPlan } from './scenarios/types';
import { anyReplica } from './topology';
import { runTrace } from './trace';
import type { World } from './world';

/** Every event of one attack instance, and the accounts it went after. */
export function generateAttack(world: World, plan: AttackPlan, out: SimRecord[]): AttackAccounts {
  const r = new Prng(plan.seed);
  const ctx: AttackContext = {
    world,
    plan,
    r,
    out,
    send: (request, ts, actor, params = new Map(), opts = {}) =>
      runTrace(world, out, world.topology.endpoint(request), ts, actor, params, r, { ...opts, attack: plan.id }),
    probe(serviceName, method, rawPath, ts, actor, status) {
      const service = world.topology.service(serviceName);
      const [path, query = null] = rawPath.split('?');
      const spanId = hex(r, 16);
      out.push({
        ts: Math.floor(ts), tsNanos: Math.floor((ts % 1) * 1e6), requestId: uuid(r), proxy: anyReplica(r, service).index,
        srcService: 'external', dstService: service.name, method, path, query, status, responseFlags: status === 404 ? 'NR' : null,
        durationMs: Math.round((0.3 + r.next() * 2) * 1000) / 1000, bytesIn: 0, bytesOut: between(r, 0, 180),
        clientIp: actor.ip, clientPort: between(r, 1024, 65_535), userAgent: actor.ua,
        serverAddress: service.publicHost ?? service.host, protocol: 'HTTP/1.1', tokenId: actor.tokenId, user: actor.user,
        mtls: false, sensitive: null, sample: null, traceId: hex(r, 32), spanId, parentSpanId: null, endpoint: null, attack: plan.id, cohorts: null,
      });
    },
  };
  const accounts = SCENARIOS[plan.kind].generate(ctx);
  return { targeted: accounts.targeted ?? [], compromised: accounts.compromised ?? [] };
}
