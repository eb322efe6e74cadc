// One spelling for a service identity on every ingest route. A caller or destination arrives as
// a Meshward service name (`shop/web`), as a SPIFFE id, or as the list of URI SANs of a peer
// certificate as a proxy prints it (Envoy's `%DOWNSTREAM_PEER_URI_SAN%`: `spiffe://…` entries
// joined by `,`; OpenSSL style: `URI:spiffe://…, DNS:web.shop.svc`). All of them become the
// name Meshward stores:
//
// - an Istio identity `spiffe://<trust domain>/ns/<namespace>/sa/<service account>` is the
//   service `<namespace>/<service account>` (when both parts fit the namespace and name
//   grammar), the account read back to its service with the cluster's compile settings when
//   the id is in the cluster's trust domain (account-map.ts: `bookinfo-reviews` → `reviews`);
// - any other SPIFFE id (`spiffe://td/workload/42`) stays the full SPIFFE id;
// - a service name is kept as it is;
// - a SAN list names the service of its one SPIFFE id, or nothing when it holds none (a
//   certificate without a workload identity: the caller is then `external`, as without a
//   certificate).
//
// Strict like server/identity/names.ts: a value that does not match is refused, never trimmed
// or cut into a valid-looking one; a list holding two different SPIFFE ids is refused (an
// X.509-SVID has exactly one, so two is not a workload this console can name). Pure, no Node
// or database imports.

import { serviceOfAccount, type AccountMap } from './account-map';
import { isDnsSubdomain, isNamespace, isServiceName, isSpiffeId, SERVICE_RULE } from './names';

/** Longest SAN list read (Envoy prints every URI SAN of the certificate). */
export const MAX_SAN_LIST = 2048;

export const IDENTITY_RULE = `${SERVICE_RULE}; or a certificate's URI SAN list as Envoy prints it (\`spiffe://…\` entries joined by commas, optionally typed \`URI:…, DNS:…\`) naming at most one SPIFFE id, at most ${MAX_SAN_LIST} characters`;

/** `service` null: the value names no workload (a SAN list without a SPIFFE id). */
export type ServiceIdentity = { service: string | null; error?: undefined } | { service?: undefined; error: string };

const ISTIO_PATH = /^\/ns\/([^/]+)\/sa\/([^/]+)$/;
const SPIFFE_PREFIX = 'spiffe://';
/** A SAN entry's type as OpenSSL prints it (`URI:`, `DNS:`, `email:`, `IP Address:`). */
const SAN_TYPE = /^(URI|DNS|email|IP Address|IP|DirName|RID|othername):/i;
/** A URI entry: a scheme and no whitespace, control or separator character. */
const URI_ENTRY = /^[A-Za-z][A-Za-z0-9+.-]*:[\x21-\x7e]+$/;
const PLAIN_ENTRY = /^[\x21-\x7e]+$/;

const refused = (): ServiceIdentity => ({ error: `must be ${IDENTITY_RULE}` });

/**
 * A valid SPIFFE id as a service: Istio's `/ns/<ns>/sa/<sa>` path becomes `<ns>/<sa>`, any
 * other path stays the full id. The argument must already pass isSpiffeId.
 */
export function serviceOfSpiffeId(id: string, accounts: AccountMap | null = null): string {
  const slash = id.indexOf('/', SPIFFE_PREFIX.length);
  const m = ISTIO_PATH.exec(id.slice(slash));
  if (!m || !isNamespace(m[1]) || !isDnsSubdomain(m[2])) return id;
  // the account read back to its service with the cluster's settings (account-map.ts)
  return serviceOfAccount(id.slice(SPIFFE_PREFIX.length, slash), m[1], m[2], accounts);
}

/**
 * A caller or destination as sent (a non-empty string) → the service Meshward stores it as,
 * or why it is refused (a phrase to follow the field's name: "must be …").
 */
export function canonicalService(value: string, accounts: AccountMap | null = null): ServiceIdentity {
  if (value.length > MAX_SAN_LIST) return refused();
  // A service name never holds `:` or `,`: anything that does is a URI (a SPIFFE id is one) or
  // a list of SANs, read as such.
  if (value.includes(':') || value.includes(',')) return serviceOfSanList(value, accounts);
  return isServiceName(value) ? { service: value } : refused();
}

/**
 * Entries separated by `,` (Envoy) or `, ` (OpenSSL), nothing else: no leading or trailing
 * space, no empty entry. Each entry is printable ASCII without spaces; a SPIFFE entry must be a
 * valid SPIFFE id (not merely start like one).
 */
function serviceOfSanList(value: string, accounts: AccountMap | null): ServiceIdentity {
  let found: string | null = null;
  const parts = value.split(',');
  for (let i = 0; i < parts.length; i++) {
    // `, ` is a separator too (OpenSSL); the first entry has none to drop
    const entry = i > 0 && parts[i].startsWith(' ') ? parts[i].slice(1) : parts[i];
    const typed = SAN_TYPE.exec(entry);
    const type = typed ? typed[1].toUpperCase() : 'URI';
    const body = typed ? entry.slice(typed[0].length) : entry;
    if (type === 'URI') {
      if (!URI_ENTRY.test(body)) return refused();
      if (body.slice(0, SPIFFE_PREFIX.length).toLowerCase() === SPIFFE_PREFIX) {
        if (!isSpiffeId(body)) return refused();
        if (found !== null && found !== body) return { error: 'must name one SPIFFE id, not several (a workload certificate carries exactly one)' };
        found = body;
      }
    } else if (!PLAIN_ENTRY.test(body)) return refused();
  }
  return { service: found === null ? null : serviceOfSpiffeId(found, accounts) };
}
