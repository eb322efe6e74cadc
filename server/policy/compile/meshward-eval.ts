// Meshward JSON as an agent reads it: the deny list (entries still checked against their
// expiry), then the path check, then the rules of the caller and method.
import type { Decision, PolicyRequest } from '../model';
import { denyBlocks, inCidr } from './cidr';
import type { MeshwardBundle } from './meshward';

export function meshwardEvaluator(body: string): (req: PolicyRequest, now: Date) => Decision {
  const b = JSON.parse(body) as MeshwardBundle;
  const ambiguous = new RegExp(b.ambiguousPath);
  const rules = new Map<string, RegExp[]>();
  for (const r of b.allow) {
    const k = `${r.caller}\u0000${r.method}`;
    let l = rules.get(k);
    if (!l) rules.set(k, (l = []));
    l.push(new RegExp(r.regex));
  }
  return (req, now) => {
    for (const d of b.deny) {
      if (d.expiresAt !== null && Date.parse(d.expiresAt) <= now.getTime()) continue;
      if (d.kind === 'token' && req.tokenId === d.value) return 'deny';
      if (d.kind === 'user' && req.userId === d.value) return 'deny';
      // an IPv4 block covers the IPv4-mapped IPv6 spelling of its addresses too
      if (d.kind === 'ip' && req.clientIp && denyBlocks([d.value]).some((c) => inCidr(req.clientIp!, c))) return 'deny';
    }
    const q = req.path.indexOf('?');
    const path = q === -1 ? req.path : req.path.slice(0, q);
    if (ambiguous.test(path)) return 'deny';
    return (rules.get(`${req.caller}\u0000${req.method}`) ?? []).some((re) => re.test(path)) ? 'allow' : 'deny';
  };
}
