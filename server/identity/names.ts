// The grammar of identity fields: what a service, caller, namespace, cluster, node or proxy id
// may look like anywhere in Meshward. Telemetry is attacker-controlled and these names end up
// in signed proxy configuration (nginx, Istio YAML, Envoy JSON), in the UI and in logs, so they
// are checked once, strictly, where they enter (ingest, heartbeats, policy edits), and a value
// that does not match is refused, never trimmed or cut into a valid-looking one.
//
// Plain predicates, no Node or database imports: the UI, the zod schemas and the compilers
// use the same functions.
//
// - namespace: a Kubernetes namespace, i.e. a DNS-1123 label (a–z, 0–9, `-`; at most 63).
// - service (also a caller): `namespace/name` with `name` a DNS-1123 subdomain (a service or
//   service account name; dots allowed); a bare DNS-1123 subdomain, for a workload that
//   reported no namespace or a mesh-external host (`api.stripe.com`); a SPIFFE id; or one of
//   the reserved names `external` (a caller outside the mesh) and `unknown` (a destination
//   the proxy could not name). At most 253 characters in every form.
// - SPIFFE id: `spiffe://<trust domain>/<path>` as the SPIFFE spec writes them: trust domain
//   of a–z, 0–9, `.`, `-`, `_`; one or more path segments of A–Z, a–z, 0–9, `.`, `-`, `_`, none
//   of them `.` or `..`. Meshward caps them at 253 characters like every service name.
// - cluster and node: a host-like name (letters of either case, digits, `.`, `-`, `_`,
//   starting and ending with a letter or digit; at most 253). Wider than DNS-1123 on purpose:
//   EKS and AKS cluster names may hold capitals and `_`; nothing in it needs quoting anywhere.
// - proxy id: a token of letters, digits and `_ . - : @ / ~` (Envoy node ids use `~`), starting
//   with a letter, digit or `_`; at most 128.

export const EXTERNAL_SERVICE = 'external';
export const UNKNOWN_SERVICE = 'unknown';
export const RESERVED_SERVICES: readonly string[] = [EXTERNAL_SERVICE, UNKNOWN_SERVICE];

export const MAX_LABEL = 63;
export const MAX_SUBDOMAIN = 253;
export const MAX_SERVICE = 253;
export const MAX_HOST_LIKE = 253;
export const MAX_PROXY_ID = 128;

// Lengths are checked before any regex runs, so a 10 KB value costs nothing; each regex is
// linear on what passes the length check (labels are bounded, separators unambiguous).
const LABEL = /^[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?$/;
const SUBDOMAIN = /^[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?(?:\.[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?)*$/;
const SPIFFE = /^spiffe:\/\/([a-z0-9._-]+)((?:\/[A-Za-z0-9._-]+)+)$/;
const HOST_LIKE = /^[A-Za-z0-9](?:[A-Za-z0-9._-]*[A-Za-z0-9])?$/;
const PROXY_ID = /^[A-Za-z0-9_][A-Za-z0-9_.:@/~-]*$/;

/** A Kubernetes namespace (DNS-1123 label). */
export function isNamespace(s: string): boolean {
  return s.length <= MAX_LABEL && LABEL.test(s);
}

/** A DNS-1123 subdomain: dot-separated labels, at most 253 characters. */
export function isDnsSubdomain(s: string): boolean {
  return s.length <= MAX_SUBDOMAIN && SUBDOMAIN.test(s);
}

/** A SPIFFE id in the strict character set (and Meshward's 253-character cap). */
export function isSpiffeId(s: string): boolean {
  if (s.length > MAX_SERVICE) return false;
  const m = SPIFFE.exec(s);
  return m !== null && !m[2].split('/').some((seg) => seg === '.' || seg === '..');
}

/** A service as Meshward names it: `namespace/name`, a bare DNS-1123 name, a SPIFFE id, `external` or `unknown`. */
export function isServiceName(s: string): boolean {
  if (s.length === 0 || s.length > MAX_SERVICE) return false;
  if (s.startsWith('spiffe://')) return isSpiffeId(s);
  const slash = s.indexOf('/');
  if (slash === -1) return isDnsSubdomain(s);
  return isNamespace(s.slice(0, slash)) && isDnsSubdomain(s.slice(slash + 1));
}

/** The name part of a `namespace/name` service, or a bare name (DNS-1123 subdomain). */
export const isServiceShortName = isDnsSubdomain;

/** A cluster or node name (host-like; see the header). */
export function isHostLike(s: string): boolean {
  return s.length > 0 && s.length <= MAX_HOST_LIKE && HOST_LIKE.test(s);
}

export function isProxyId(s: string): boolean {
  return s.length > 0 && s.length <= MAX_PROXY_ID && PROXY_ID.test(s);
}

// What each grammar allows, for messages a sender or an analyst can act on.
export const NAMESPACE_RULE = 'a Kubernetes namespace: a–z, 0–9 and -, starting and ending with a letter or digit, at most 63 characters';
export const SERVICE_RULE =
  'a service name: `namespace/name` (lower-case DNS-1123 names), a bare DNS-1123 name, a SPIFFE id (spiffe://trust-domain/path) or `external`/`unknown`, at most 253 characters';
export const HOST_LIKE_RULE = 'letters, digits, ., - and _, starting and ending with a letter or digit, at most 253 characters';
export const PROXY_ID_RULE = 'letters, digits and _ . - : @ / ~, starting with a letter, digit or _, at most 128 characters';

/**
 * Characters a value shown to a person or written into configuration must never hold: C0 and
 * C1 controls, DEL, and the Unicode line and paragraph separators (line breaks to YAML 1.1 and
 * to JavaScript source).
 */
export const UNSAFE_TEXT = /[\u0000-\u001f\u007f-\u009f\u2028\u2029]/;

/** Printable text: no control characters or line separators, no lone surrogates. */
export function isPrintableText(s: string): boolean {
  return !UNSAFE_TEXT.test(s) && s.isWellFormed();
}
