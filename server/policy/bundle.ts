// What a proxy downloads (SPEC "bundle"): the service's newest published revision compiled to
// the proxy's format, in a signed envelope. Compiled content is kept per revision and format:
// a published revision never changes, so neither does its content. The signature is made
// when the bundle is served, over a fresh issued_at / expires_at (server/policy/signing.ts).
import type { Db } from '@/db/client';
import { compileOptionsOf, settingsForCluster } from './cluster-settings';
import type { CompileOptions } from './compile/options';
import { denyKey } from './diff';
import { activeDenies } from './evaluate';
import type { PolicyDocument } from './model';
import { currentPublished } from './revisions';
import { BUNDLE_TTL_S, sha256Hex, signBundle, type SigningKey } from './signing';

export const BUNDLE_FORMATS = ['meshward', 'envoy-rbac', 'istio', 'nginx'] as const;
export type BundleFormat = (typeof BUNDLE_FORMATS)[number];

export interface Compiled {
  contentType: string;
  body: string;
  warnings: string[];
}
export type Compiler = (doc: PolicyDocument, format: BundleFormat, now: Date, options: CompileOptions) => Compiled;

export interface BundleEnvelope {
  service: string;
  revision: number;
  format: BundleFormat;
  content_type: string;
  /** the compiled policy, as text */
  content: string;
  /** SHA-256 (hex) of `content` as UTF-8 */
  sha256: string;
  /** when the console served it (ISO 8601, UTC) */
  issued_at: string;
  /** after this a proxy refuses it (issued_at + BUNDLE_TTL_S) */
  expires_at: string;
  /** base64 Ed25519 signature of `meshward-bundle-v2\n<service>\n<revision>\n<format>\n<sha256>\n<issued_at>\n<expires_at>` */
  signature: string;
  key_id: string;
  published_at: string;
  warnings: string[];
}

type CompiledBundle = Pick<BundleEnvelope, 'revision' | 'content_type' | 'content' | 'sha256' | 'published_at' | 'warnings'>;
const cache = new Map<string, CompiledBundle>();
const CACHE_MAX = 2000;

export function etagOf(b: Pick<BundleEnvelope, 'revision' | 'sha256'>): string {
  return `"r${b.revision}-${b.sha256.slice(0, 32)}"`;
}

/**
 * The newest published bundle of `service` in `format`, or null when nothing is published.
 * Deny entries expire, so the content depends on which are still in force: compiled once per
 * revision, format, set of active deny entries and the compile settings of the proxy's cluster
 * (its own row, else `*`, else the defaults).
 */
export async function currentBundle(db: Db, key: SigningKey, compile: Compiler, service: string, format: BundleFormat, now: Date, cluster: string | null = null): Promise<BundleEnvelope | null> {
  const r = await currentPublished(db, service);
  if (!r) return null;
  const active = sha256Hex(activeDenies(r.document.deny, now).map(denyKey).join('\n'));
  // the cluster's compile settings are part of what was compiled: a change to them is a new text
  const options = compileOptionsOf((await settingsForCluster(db, cluster)).settings);
  const k = `${r.id}\u0000${format}\u0000${active}\u0000${sha256Hex(JSON.stringify(options))}`;
  let compiled = cache.get(k);
  if (!compiled) {
    const c = compile(r.document, format, now, options);
    compiled = { revision: r.revision, content_type: c.contentType, content: c.body, sha256: sha256Hex(c.body), published_at: r.publishedAt!.toISOString(), warnings: c.warnings };
    if (cache.size >= CACHE_MAX) cache.clear();
    cache.set(k, compiled);
  }
  const issued_at = now.toISOString();
  const expires_at = new Date(now.getTime() + BUNDLE_TTL_S * 1000).toISOString();
  const { revision, sha256 } = compiled;
  return {
    service, revision, format, content_type: compiled.content_type, content: compiled.content, sha256, issued_at, expires_at,
    signature: signBundle(key, { service, revision, format, sha256, issued_at, expires_at }), key_id: key.keyId,
    published_at: compiled.published_at, warnings: compiled.warnings,
  };
}
