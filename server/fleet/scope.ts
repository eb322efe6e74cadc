import { z } from 'zod';

/**
 * Which services a proxy token serves: `shop/orders` (one service), `shop/*` (every service
 * of a namespace) or `*` (every service: for gateways and collectors that carry a whole
 * mesh). A token may fetch only those services' policy bundles, report heartbeats only for
 * them, and send only access events whose destination is one of them: one leaked sidecar
 * token then reads and feeds one service, not the mesh.
 */
const LABEL = '[a-z0-9](?:[-a-z0-9]{0,61}[a-z0-9])?';
const NAME = '[a-z0-9](?:[-a-z0-9.]{0,251}[a-z0-9])?';
const PATTERN = new RegExp(`^(?:\\*|${LABEL}/\\*|${LABEL}/${NAME}|${NAME})$`);

export const MAX_SCOPE_PATTERNS = 100;

export const servicePatternSchema = z
  .string()
  .trim()
  .max(320)
  .regex(PATTERN, 'a service pattern is `namespace/name`, `namespace/*` or `*` (lowercase letters, digits and -)');

export const serviceScopeSchema = z
  .array(servicePatternSchema)
  .min(1, 'Name the services this token serves (`shop/orders`, `shop/*`, or `*` for a gateway)')
  .max(MAX_SCOPE_PATTERNS)
  .transform((patterns) => [...new Set(patterns)].sort());

/** `shop/orders, shop/cart` or one per line, as typed in the UI or passed to the CLI. */
export function splitScope(text: string): string[] {
  return text.split(/[\s,]+/).filter(Boolean);
}

/** Whether `service` is one the patterns name. */
export function inScope(patterns: readonly string[], service: string): boolean {
  for (const p of patterns) {
    if (p === '*') return true;
    if (p.endsWith('/*')) {
      const ns = p.slice(0, -1);
      if (service.length > ns.length && service.startsWith(ns) && !service.includes('/', ns.length)) return true;
    } else if (p === service) {
      return true;
    }
  }
  return false;
}

export function scopeLabel(patterns: readonly string[]): string {
  const shown = patterns.slice(0, 5).join(', ');
  return patterns.length > 5 ? `${shown} and ${patterns.length - 5} more` : shown;
}

/** The message a sender gets for a service outside its token's scope. */
export function outOfScopeMessage(service: string, patterns: readonly string[]): string {
  return `service "${service.slice(0, 256)}" is outside this proxy token's services (${scopeLabel(patterns)}); use a token created for it`;
}
