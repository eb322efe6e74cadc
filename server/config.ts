import { z } from 'zod';
import { ROLES } from '@/lib/enums';
import { withSecretFiles } from './secrets/env-files';

const bool = z
  .enum(['on', 'off', 'true', 'false', '1', '0'])
  .transform((v) => v === 'on' || v === 'true' || v === '1');

/** Every setting Meshward reads from the environment; README's configuration table mirrors this. */
const schema = z.object({
  DATABASE_URL: z.string().url().optional(),
  MESHWARD_DATA_DIR: z.string().default('./data'),
  MESHWARD_DB_POOL: z.coerce.number().int().min(2).max(200).default(10),
  /** off: PostgreSQL migrations are run beforehand by the migration role; the console only checks them */
  MESHWARD_MIGRATE: bool.default(true),
  MESHWARD_RETENTION_DAYS: z.coerce.number().int().min(1).max(3650).default(90),
  MESHWARD_ADMIN_EMAIL: z.string().email().optional(),
  MESHWARD_ADMIN_PASSWORD: z.string().min(12, 'MESHWARD_ADMIN_PASSWORD must be at least 12 characters').optional(),
  AUTH_SECRET: z.string().min(32).optional(),
  /** the secret before AUTH_SECRET: sessions it signed stay valid until they expire (rotation) */
  AUTH_SECRET_PREVIOUS: z.string().min(32).optional(),
  MESHWARD_SESSION_HOURS: z.coerce.number().min(0.05).max(24 * 7).default(8),
  MESHWARD_PUBLIC_URL: z.string().url().optional(),
  MESHWARD_TRUST_PROXY: bool.default(false),
  MESHWARD_OIDC_ISSUER: z.string().url().optional(),
  MESHWARD_OIDC_CLIENT_ID: z.string().optional(),
  MESHWARD_OIDC_CLIENT_SECRET: z.string().optional(),
  MESHWARD_OIDC_NAME: z.string().default('Single sign-on'),
  MESHWARD_OIDC_DEFAULT_ROLE: z.enum(ROLES).optional(),
  MESHWARD_INGEST_MAX_BYTES: z.coerce.number().int().min(1024).default(8 * 1024 * 1024),
  MESHWARD_INGEST_QUEUE_EVENTS: z.coerce.number().int().min(100).default(200_000),
  MESHWARD_INGEST_WRITERS: z.coerce.number().int().min(1).max(32).optional(),
  /** bytes held by telemetry requests at once: bodies being read and inflated, parsed batches not yet committed */
  MESHWARD_INGEST_INFLIGHT_BYTES: z.coerce.number().int().min(1024 * 1024).default(256 * 1024 * 1024),
  /** telemetry request bodies read at once */
  MESHWARD_INGEST_MAX_BODIES: z.coerce.number().int().min(1).max(10_000).default(64),
  /** bearer token that GET /metrics requires on the main port; unset: /metrics is not served there */
  MESHWARD_METRICS_TOKEN: z.string().min(16, 'MESHWARD_METRICS_TOKEN must be at least 16 characters').optional(),
  /** `host:port` of a separate listener serving only GET /metrics, without a token */
  MESHWARD_METRICS_LISTEN: z
    .string()
    .regex(/^(?:\[[0-9a-fA-F:.]+\]|[\w.-]+):\d{1,5}$/, 'MESHWARD_METRICS_LISTEN is host:port, for example 127.0.0.1:9464')
    .optional(),
  // Off unless asked for: `npm start` asks (the demo); tests and deployments stay quiet.
  MESHWARD_SIMULATOR: bool.default(false),
  MESHWARD_SIMULATOR_RATE: z.coerce.number().positive().max(10_000).default(10),
  MESHWARD_SIMULATOR_SEED: z.coerce.number().int().min(0).max(2 ** 32 - 1).default(1),
  MESHWARD_DISCOVERY: bool.default(true),
  /** Ed25519 private key (PKCS#8 PEM, or that PEM in base64) that signs policy bundles */
  MESHWARD_SIGNING_KEY: z.string().min(40).optional(),
  /** the key that will sign next: announced in the key set before it signs (rotation) */
  MESHWARD_SIGNING_KEY_NEXT: z.string().min(40).optional(),
  /** the key that signed before: announced as retired, still signs the key set (rotation) */
  MESHWARD_SIGNING_KEY_PREVIOUS: z.string().min(40).optional(),
  /** 32 bytes (hex or base64) that MAC the audit chain; generated and kept sealed when unset */
  MESHWARD_AUDIT_KEY: z.string().optional(),
  /** earlier audit keys, comma-separated: entries they MACed still verify */
  MESHWARD_AUDIT_KEY_PREVIOUS: z.string().optional(),
  MESHWARD_AUDIT_CHECKPOINT_S: z.coerce.number().min(5).max(86_400).default(300),
  /** 32 bytes (hex or base64) that encrypt the secrets Meshward generates and keeps in the database */
  MESHWARD_SECRET_KEY: z.string().optional(),
  /** earlier master keys, comma-separated: what they encrypted is encrypted again with the current one */
  MESHWARD_SECRET_KEY_PREVIOUS: z.string().optional(),
  MESHWARD_DISCOVERY_INTERVAL_S: z.coerce.number().min(1).max(3600).default(15),
  MESHWARD_DETECTION: bool.default(true),
  /** how often detection moves event time on and writes what it found */
  MESHWARD_DETECTION_INTERVAL_S: z.coerce.number().min(1).max(600).default(5),
  /** how late an event may arrive (after the newest one) and still count: batches from proxies arrive minutes apart */
  MESHWARD_DETECTION_LATENESS_S: z.coerce.number().int().min(5).max(3600).default(600),
  /** stored events a threshold backtest replays at most (the newest of its period) */
  MESHWARD_DETECTION_BACKTEST_EVENTS: z.coerce.number().int().min(1000).max(50_000_000).default(1_000_000),
  MESHWARD_LOG_LEVEL: z.enum(['trace', 'debug', 'info', 'warn', 'error', 'fatal', 'silent']).default('info'),
});

export type Config = z.infer<typeof schema>;

export function loadConfig(env: Record<string, string | undefined> = process.env): Config {
  const clean = Object.fromEntries(Object.entries(withSecretFiles(env)).filter(([, v]) => v !== undefined && v !== ''));
  const parsed = schema.safeParse(clean);
  if (!parsed.success) {
    const lines = parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`);
    throw new Error(`invalid configuration:\n  ${lines.join('\n  ')}`);
  }
  const cfg = parsed.data;
  const oidc = [cfg.MESHWARD_OIDC_ISSUER, cfg.MESHWARD_OIDC_CLIENT_ID, cfg.MESHWARD_OIDC_CLIENT_SECRET];
  if (oidc.some(Boolean) && !oidc.every(Boolean)) {
    throw new Error('invalid configuration: OIDC needs MESHWARD_OIDC_ISSUER, MESHWARD_OIDC_CLIENT_ID and MESHWARD_OIDC_CLIENT_SECRET together');
  }
  // The largest body, inflated and being parsed (held three times over: server/ingest/http.ts),
  // must fit, or it could never be accepted.
  const largest = cfg.MESHWARD_INGEST_MAX_BYTES * INFLATE_RATIO * 3;
  if (cfg.MESHWARD_INGEST_INFLIGHT_BYTES < largest) {
    throw new Error(
      `invalid configuration: MESHWARD_INGEST_INFLIGHT_BYTES (${cfg.MESHWARD_INGEST_INFLIGHT_BYTES}) must be at least ${largest}: ` +
        `the largest body (MESHWARD_INGEST_MAX_BYTES) inflated ${INFLATE_RATIO}× and parsed (3×)`,
    );
  }
  return cfg;
}

/** gzip bodies may inflate to this many times MESHWARD_INGEST_MAX_BYTES */
export const INFLATE_RATIO = 8;

export function oidcEnabled(cfg: Config): boolean {
  return Boolean(cfg.MESHWARD_OIDC_ISSUER && cfg.MESHWARD_OIDC_CLIENT_ID && cfg.MESHWARD_OIDC_CLIENT_SECRET);
}
