// The identity a proxy sees for a caller. Envoy and Istio see the peer certificate's SPIFFE id,
// made from `namespace/name` with the trust domain and service account; a caller already given
// as a SPIFFE id is taken as it is, and `external` is the absence of one.
import { EXTERNAL } from '../model';
import { isServiceAccountName, serviceAccountOf } from './mesh-names';
import type { CompileOptions } from './options';

export type Identity = { kind: 'external' } | { kind: 'spiffe'; uri: string } | { kind: 'unmapped'; reason: string };

export function callerIdentity(caller: string, o: CompileOptions): Identity {
  if (caller === EXTERNAL) return { kind: 'external' };
  if (caller.startsWith('spiffe://')) return { kind: 'spiffe', uri: caller };
  const m = /^([^/]+)\/([^/]+)$/.exec(caller);
  if (!m) return { kind: 'unmapped', reason: `caller "${caller}" is neither \`namespace/name\` nor a SPIFFE id` };
  const sa = serviceAccountOf(caller, { namespace: m[1], name: m[2] }, o);
  if (!isServiceAccountName(sa)) return { kind: 'unmapped', reason: `the service account made for "${caller}" is not a Kubernetes name (check the cluster's service-account template)` };
  return { kind: 'spiffe', uri: `spiffe://${o.trustDomain ?? 'cluster.local'}/ns/${m[1]}/sa/${sa}` };
}

/** `spiffe://td/ns/x/sa/y` → `td/ns/x/sa/y`, as Istio writes principals. */
export function istioPrincipal(uri: string): string {
  return uri.slice('spiffe://'.length);
}

/** The namespace and name of the service a policy protects: `ns/name`, or a SPIFFE id's `ns` and `sa`. */
export function serviceParts(service: string): { namespace: string | null; name: string } {
  const s = /^([^/]+)\/([^/]+)$/.exec(service);
  if (s) return { namespace: s[1], name: s[2] };
  const sp = /^spiffe:\/\/[^/]+\/ns\/([^/]+)\/sa\/([^/]+)$/.exec(service);
  if (sp) return { namespace: sp[1], name: sp[2] };
  return { namespace: null, name: service };
}
