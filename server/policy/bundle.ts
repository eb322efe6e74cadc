// What a proxy downloads (SPEC "bundle"): the service's newest published revision compiled to
// the proxy's format, in a signed envelope. Compiled envelopes are kept per revision and
// format: a published revision never changes, so neither does its bundle.
import type { Db } from '@/db/client';
import { denyKey } from './diff';
import { activeDenies } from './evaluate';
import type { PolicyDocument } from './model';
import { currentPublished } from './revisions';
import { sha256Hex, signBundle, type SigningKey } from './signing';

export const BUNDLE_FORMATS = ['meshward', 'envoy-rbac', 'istio', 'nginx'] as const;
export type BundleFormat = (typeof BUNDLE_FORMATS)[number];

export interface Compiled {
  contentType: string;
  body: string;
  warnings: string[];
}
export type Compiler = (doc: PolicyDocument, format: BundleFormat, now: Date) => Compiled;

export interface BundleEnvelope {
  service: string;
  revision: number;
  format: BundleFormat;
  content_type: string;
  /** the compiled policy, as text */
  content: string;
  /** SHA-256 (hex) of `content` as UTF-8 */
  sha256: string;
  /** base64 Ed25519 signature of `meshward-bundle-v1\n<service>\n<revision>\n<format>\n<sha256>` */
  signature: string;
  key_id: string;
  published_at: string;
  warnings: string[];
}

const cache = new Map<string, BundleEnvelope>();
const CACHE_MAX = 2000;

export function etagOf(b: Pick<BundleEnvelope, 'revision' | 'sha256'>): string {
  return `"r${b.revision}-${b.sha256.slice(0, 32)}"`;
}

/**
 * The newest published bundle of `service` in `format`, or null when nothing is published.
 * Deny entries expire, so the content depends on which are still in force: compiled once per
 * revision, format and set of active deny entries.
 */
export async function currentBundle(db: Db, key: SigningKey, compile: Compiler, service: string, format: BundleFormat, now: Date): Promise<BundleEnvelope | null> {
  const r = await currentPublished(db, service);
  if (!r) return null;
  const active = sha256Hex(activeDenies(r.document.deny, now).map(denyKey).join('\n'));
  const k = `${r.id}\u0000${format}\u0000${active}\u0000${key.keyId}`;
  const hit = cache.get(k);
  if (hit) return hit;
  const c = compile(r.document, format, now);
  const sha256 = sha256Hex(c.body);
  const envelope: BundleEnvelope = {
    service, revision: r.revision, format, content_type: c.contentType, content: c.body, sha256,
    signature: signBundle(key, { service, revision: r.revision, format, sha256 }), key_id: key.keyId,
    published_at: r.publishedAt!.toISOString(), warnings: c.warnings,
  };
  if (cache.size >= CACHE_MAX) cache.clear();
  cache.set(k, envelope);
  return envelope;
}
