// A cluster's service accounts read backwards: the SPIFFE id a caller presents names its
// service account (`spiffe://prod.example/ns/bookinfo/sa/bookinfo-reviews`), while the same
// workload as a destination is named by its service (`bookinfo/reviews`). With the cluster's
// compile settings (server/policy/cluster-settings.ts: account template and exceptions) ingest
// names both the same way, so graph nodes join and a policy compiled from the data maps the
// caller back to the same account. Pure: ingest runs it per record.
import { isDnsSubdomain } from './names';

export interface AccountMap {
  /** ids in another trust domain (a federated partner) are not this cluster's accounts */
  trustDomain: string;
  /** `{name}`, `bookinfo-{name}`, `{namespace}-{name}-sa` … */
  template: string;
  /** service (`namespace/name`) → account, for services the template gets wrong */
  exceptions: Record<string, string>;
}

interface Compiled {
  /** `namespace/account` → service */
  byAccount: Map<string, string>;
  /** namespace → the template as a regex with that namespace filled in */
  patterns: Map<string, RegExp>;
  map: AccountMap;
}

const compiled = new WeakMap<AccountMap, Compiled>();
const escape = (s: string) => s.replace(/[.*+?^${}()|[\]\\-]/g, '\\$&');

function compile(map: AccountMap): Compiled {
  let c = compiled.get(map);
  if (!c) {
    const byAccount = new Map<string, string>();
    for (const [service, account] of Object.entries(map.exceptions)) {
      const slash = service.indexOf('/');
      if (slash > 0) byAccount.set(`${service.slice(0, slash)}/${account}`, service);
    }
    c = { byAccount, patterns: new Map(), map };
    compiled.set(map, c);
  }
  return c;
}

function patternFor(c: Compiled, namespace: string): RegExp {
  let re = c.patterns.get(namespace);
  if (!re) {
    let named = false;
    const source = c.map.template.split(/(\{namespace\}|\{name\})/).map((part) => {
      if (part === '{namespace}') return escape(namespace);
      if (part !== '{name}') return escape(part);
      if (named) return '\\1';
      named = true;
      return '([a-z0-9.-]+)';
    }).join('');
    re = named ? new RegExp(`^${source}$`) : /(?!)/;
    if (c.patterns.size > 1000) c.patterns.clear();
    c.patterns.set(namespace, re);
  }
  return re;
}

/**
 * The service of account `namespace/account` in `trustDomain`: an exception, else the template
 * read backwards (`bookinfo-{name}` and `bookinfo-reviews` → `reviews`), else the account itself
 * (the stock mesh: account = service name).
 */
export function serviceOfAccount(trustDomain: string, namespace: string, account: string, map: AccountMap | null): string {
  const plain = `${namespace}/${account}`;
  if (!map || trustDomain !== map.trustDomain) return plain;
  const c = compile(map);
  const exception = c.byAccount.get(plain);
  if (exception !== undefined) return exception;
  const m = patternFor(c, namespace).exec(account);
  return m && isDnsSubdomain(m[1]) ? `${namespace}/${m[1]}` : plain;
}
