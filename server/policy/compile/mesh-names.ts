// Names a compiler makes from a service and the cluster's compile settings: service accounts and
// workload selector labels from templates with `{namespace}` and `{name}`. The service is
// grammar-checked at ingest, but a template can still make something Kubernetes refuses (a label
// value over 63 characters), so every filled-in name is checked again before it is written.
import { isDnsSubdomain } from '@/server/identity/names';

export interface ServiceNameParts {
  namespace: string;
  name: string;
}

const PLACEHOLDER = /\{(namespace|name)\}/g;

/** `bookinfo-{name}` with `{namespace}` and `{name}` replaced; other text is kept as written. */
export function fillTemplate(template: string, parts: ServiceNameParts): string {
  return template.replace(PLACEHOLDER, (_, key: 'namespace' | 'name') => parts[key]);
}

/** A SPIFFE trust domain as the SPIFFE spec writes it (lower-case letters, digits, `.`, `-`, `_`). */
export function isTrustDomain(s: string): boolean {
  return s.length >= 1 && s.length <= 255 && /^[a-z0-9._-]+$/.test(s) && s !== '.' && s !== '..';
}

/** A Kubernetes service account name: a DNS-1123 subdomain. */
export const isServiceAccountName = isDnsSubdomain;

const LABEL_NAME = /^[A-Za-z0-9](?:[A-Za-z0-9._-]{0,61}[A-Za-z0-9])?$/;
const LABEL_VALUE = /^(?:[A-Za-z0-9](?:[A-Za-z0-9._-]{0,61}[A-Za-z0-9])?)?$/;

/** A Kubernetes label key: an optional DNS-subdomain prefix and `/`, then a name of at most 63. */
export function isLabelKey(s: string): boolean {
  const slash = s.lastIndexOf('/');
  if (slash === -1) return LABEL_NAME.test(s);
  const prefix = s.slice(0, slash);
  return prefix.length <= 253 && isDnsSubdomain(prefix) && LABEL_NAME.test(s.slice(slash + 1));
}

/** A Kubernetes label value: empty, or at most 63 of letters, digits, `.`, `-`, `_` between alphanumerics. */
export function isLabelValue(s: string): boolean {
  return LABEL_VALUE.test(s);
}

/** The service account of `namespace/name`: an explicit mapping, else the template (default: the name). */
export function serviceAccountOf(service: string, parts: ServiceNameParts, o: { serviceAccounts?: Record<string, string>; serviceAccountTemplate?: string }): string {
  const explicit = o.serviceAccounts && Object.hasOwn(o.serviceAccounts, service) ? o.serviceAccounts[service] : undefined;
  return explicit ?? fillTemplate(o.serviceAccountTemplate ?? '{name}', parts);
}
