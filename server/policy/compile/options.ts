// What a compiler needs to know about the mesh it writes for, with the defaults of a stock
// Kubernetes mesh: SPIFFE ids in trust domain `cluster.local`, one service account per
// service named like it, and the headers the Meshward filter sets in front of the policy.
export interface CompileOptions {
  /** trust domain of the SPIFFE ids made from `namespace/name` services (default `cluster.local`) */
  trustDomain?: string;
  /** service (`namespace/name`) → its service account in that namespace (default: serviceAccountTemplate) */
  serviceAccounts?: Record<string, string>;
  /**
   * The service account of a service not in `serviceAccounts`, with `{namespace}` and `{name}`
   * filled in (default `{name}`; bookinfo-style meshes use `bookinfo-{name}`)
   */
  serviceAccountTemplate?: string;
  /**
   * Request headers carrying the hashed token id and the JWT subject. Meshward's filter sets
   * them after validating the credential and removes any the client sent: the policy trusts
   * them only because nothing upstream of that filter can set them.
   */
  tokenHeader?: string;
  userHeader?: string;
  /** which client address a denied IP is matched against: the original client (from X-Forwarded-For per the proxy's trusted hops) or the peer of the connection */
  ipSource?: 'remote' | 'direct';
  envoy?: {
    /** RE2 program size Envoy accepts (`re2.max_program_size.error_level`, default 100) */
    regexProgramSizeLimit?: number;
    encoding?: 'json' | 'yaml';
  };
  istio?: {
    /** namespace of the AuthorizationPolicy objects (default: the service's namespace) */
    namespace?: string;
    /** workload selector labels (default `{ [labelKey]: <service name> }`) */
    matchLabels?: Record<string, string>;
    labelKey?: string;
    /** workload selector labels with `{namespace}` and `{name}` of the service filled in (`{ app: '{name}', version: 'v1' }`) */
    selectorLabels?: Record<string, string>;
    /** bytes of rules per ALLOW object before it is split (default istio.ts MAX_OBJECT_BYTES) */
    maxObjectBytes?: number;
    /** how a policy names its workload: pod labels (sidecars, ztunnel), or `targetRefs` to the Service for an ambient-mode waypoint */
    attach?: 'selector' | 'service';
    /** annotate the policies `istio.io/dry-run: "true"`: staged rollout, Istio logs decisions and enforces none */
    dryRun?: boolean;
    /** where the denied user is read: Meshward's header, or the `sub` claim of a JWT Istio validated (RequestAuthentication) */
    userSource?: 'header' | 'jwt-sub';
  };
  nginx?: {
    /** nginx variable holding the caller's identity; empty means `external` (default `$http_x_meshward_caller`) */
    callerVariable?: string;
    /** what that variable holds: Meshward service names (`shop/web`) or SPIFFE URIs from an mTLS module */
    callerIdentity?: 'service' | 'spiffe';
    /** variable holding the client address denied IPs are matched against (default `$remote_addr`) */
    clientAddressVariable?: string;
  };
}

export const DEFAULT_TOKEN_HEADER = 'x-meshward-token-id';
export const DEFAULT_USER_HEADER = 'x-meshward-user';
export const tokenHeader = (o: CompileOptions) => (o.tokenHeader ?? DEFAULT_TOKEN_HEADER).toLowerCase();
export const userHeader = (o: CompileOptions) => (o.userHeader ?? DEFAULT_USER_HEADER).toLowerCase();

/** A rule a format had to leave out rather than widen, and why. */
export interface OmittedRule {
  caller: string | null;
  method: string;
  template: string;
  reason: string;
}

/** The headers the Meshward filter would set for this request's token and user. */
export function actorHeaders(req: { tokenId?: string | null; userId?: string | null }, o: CompileOptions): Record<string, string> {
  const headers: Record<string, string> = {};
  if (req.tokenId) headers[tokenHeader(o)] = req.tokenId;
  if (req.userId) headers[userHeader(o)] = req.userId;
  return headers;
}
