import { availableParallelism } from 'node:os';
import { openDatabase, type Database } from '@/db/client';
import { CheckpointPublisher } from './audit/checkpoint';
import { installAuditKeyring } from './audit/keyring';
import { sealLegacyChain } from './audit/seal';
import { loadConfig, type Config } from './config';
import { systemCtx } from './context';
import { DetectionService } from './detection/service';
import { DiscoveryService } from './discovery/service';
import type { Compiler } from './policy/bundle';
import { ClusterAccounts } from './policy/cluster-accounts';
import { compileBundle } from './policy/compile-bundle';
import { PublishedWatch } from './policy/published-watch';
import type { SigningKeySet } from './policy/key-set';
import type { SigningKey } from './policy/signing';
import { ProxyOwnership } from './fleet/ownership';
import { ProxyTokenCache } from './fleet/token-cache';
import { InflightBudget } from './http/inflight';
import { IngestWriter } from './ingest/writer';
import { log } from './log';
import { PartitionManager } from './maintenance/partitions';
import { runRetention } from './maintenance/retention';
import { schedule } from './maintenance/schedule';
import { scheduleReportRuns } from './reports/job';
import { createMetrics, type Metrics } from './ops/metrics';
import { compactRollups } from './rollups/compact';
import { loadSecrets } from './secrets/load';
import { bootstrapAdmin } from './users/bootstrap';
import { initialPasswordPath, tidyInitialPassword, writeInitialPassword } from './users/initial-password-file';

/**
 * Everything one console process holds open, assembled here and nowhere else. Handlers and
 * domain modules never see this type: each declares the few parts it uses (IngestDeps,
 * HeartbeatDeps, BundleDeps, ReadinessDeps, MetricsDeps), and the entry points (server/main.ts,
 * app/ route files) pass the runtime, which has them all.
 */
export interface Runtime {
  config: Config;
  database: Database;
  /** database.db, for the handlers that need only the handle */
  db: Database['db'];
  writer: IngestWriter;
  /** API discovery: learns from committed events; null when MESHWARD_DISCOVERY=off */
  discovery: DiscoveryService | null;
  /** detection: fed committed events in event time; null when MESHWARD_DETECTION=off */
  detection: DetectionService | null;
  /** signing and serving policy bundles; `signingKey` is `keySet.active` */
  policy: { signingKey: SigningKey; keySet: SigningKeySet; compile: Compiler; watch: PublishedWatch };
  partitions: PartitionManager;
  tokens: ProxyTokenCache;
  ownership: ProxyOwnership;
  /** per-cluster service accounts, for naming SPIFFE callers at ingest */
  clusterAccounts: ClusterAccounts;
  /** the memory bound of telemetry requests in flight */
  inflight: InflightBudget;
  metrics: Metrics;
  /** publishes the audit chain's head (GET /api/health?audit) */
  audit: CheckpointPublisher;
  /** where a generated first-admin password waits to be changed; null for an in-memory database */
  initialPasswordFile: string | null;
  /**
   * The first admin this start created with a generated password, for server/main.ts to print
   * once when the console listens (then set to null); null otherwise.
   */
  firstAdmin: { email: string; password: string; file: string | null } | null;
  /** signs new sessions */
  authSecret: string;
  /** `authSecret` first, then the previous one: sessions it signed stay valid (rotation) */
  authSecrets: string[];
  startedAt: Date;
  shutdown(): Promise<void>;
}

// The custom server and Next's route bundles load this module separately; the process-wide
// symbol makes them share one runtime.
const KEY = Symbol.for('meshward.runtime');
type Holder = { [KEY]?: Promise<Runtime> };

export function getRuntime(): Promise<Runtime> {
  const g = globalThis as Holder;
  g[KEY] ??= startRuntime().catch((e) => {
    delete g[KEY];
    throw e;
  });
  return g[KEY];
}

const RETENTION_EVERY_MS = 60 * 60_000;
const COMPACTION_EVERY_MS = 60_000;

async function startRuntime(): Promise<Runtime> {
  const config = loadConfig();
  const started = Date.now();
  const database = await openDatabase({
    databaseUrl: config.DATABASE_URL,
    dataDir: config.MESHWARD_DATA_DIR,
    poolSize: config.MESHWARD_DB_POOL,
    migrate: config.MESHWARD_MIGRATE,
  });
  log.info({ engine: database.engine, ms: Date.now() - started }, 'database ready');
  const { db } = database;
  // Before anything writes to the audit log: every entry is MACed with the audit key.
  const secrets = await loadSecrets(db, config);
  installAuditKeyring(secrets.audit);
  await sealLegacyChain(systemCtx(db, 'start'));

  // `next build` may load this module while it renders pages: only a real start creates accounts.
  const building = process.env.NEXT_PHASE === 'phase-production-build';
  const boot = building ? null : await bootstrapAdmin(systemCtx(db, 'bootstrap'), {
    email: config.MESHWARD_ADMIN_EMAIL,
    password: config.MESHWARD_ADMIN_PASSWORD,
  });
  const initialPasswordFile = initialPasswordPath(config.MESHWARD_DATA_DIR);
  let firstAdmin: Runtime['firstAdmin'] = null;
  if (boot?.generatedPassword) {
    // Never in the JSON log: kept in an owner-only file and printed once by server/main.ts.
    let file = initialPasswordFile;
    if (file) {
      try {
        await writeInitialPassword(file, boot.email, boot.generatedPassword, config.MESHWARD_PUBLIC_URL ?? `http://localhost:${process.env.PORT ?? 3000}`);
      } catch (e) {
        log.warn({ err: e }, 'could not write the first admin password file: it is printed only');
        file = null;
      }
    }
    firstAdmin = { email: boot.email, password: boot.generatedPassword, file };
    log.info({ email: boot.email, file }, 'created the first admin with a generated password, to be changed at first sign-in');
  } else if (boot) {
    log.info({ email: boot.email }, 'created the first admin from MESHWARD_ADMIN_EMAIL');
  } else if (!building && (await tidyInitialPassword(db, initialPasswordFile))) {
    log.info({ file: initialPasswordFile }, 'deleted the first admin password file: the password was changed');
  }

  const partitions = new PartitionManager(db);
  // One ingest statement in flight per core (at most 4): more only wait on each other's rollup
  // row locks, and fewer, bigger statements cost less per event (server/ingest/writer.ts).
  const lanes = config.MESHWARD_INGEST_WRITERS
    ?? (database.engine === 'pglite' ? 1 : Math.max(1, Math.min(4, availableParallelism(), config.MESHWARD_DB_POOL - 2)));
  let writer: IngestWriter | undefined;
  const inflight = new InflightBudget(config.MESHWARD_INGEST_INFLIGHT_BYTES, config.MESHWARD_INGEST_MAX_BODIES);
  const metrics = createMetrics(() => writer?.queuedEvents ?? 0, () => ({ bytes: inflight.bytes, bodies: inflight.bodies }));
  writer = new IngestWriter({
    db,
    partitions,
    lanes,
    maxQueuedEvents: config.MESHWARD_INGEST_QUEUE_EVENTS,
    maxGroupEvents: 5000,
    metrics,
  });

  const discovery = config.MESHWARD_DISCOVERY ? new DiscoveryService(db) : null;
  const detection = config.MESHWARD_DETECTION ? new DetectionService(db, { backtestEvents: config.MESHWARD_DETECTION_BACKTEST_EVENTS, latenessMs: config.MESHWARD_DETECTION_LATENESS_S * 1000 }) : null;
  const policy = { signingKey: secrets.signing.active, keySet: secrets.signing, compile: compileBundle, watch: new PublishedWatch(db) };
  const audit = new CheckpointPublisher(db);
  const timers = [
    await schedule('audit checkpoint', config.MESHWARD_AUDIT_CHECKPOINT_S * 1000, metrics, () => audit.publish()),
    await schedule('retention', RETENTION_EVERY_MS, metrics, () =>
      runRetention(db, partitions, Date.now(), config.MESHWARD_RETENTION_DAYS)),
    await schedule('rollup compaction', COMPACTION_EVERY_MS, metrics, () => compactRollups(db, Date.now()), { restFactor: 3, background: true }),
    await scheduleReportRuns(db, metrics, config.MESHWARD_RETENTION_DAYS),
  ];
  if (discovery) {
    await discovery.reloadRouter();
    // The learner warms from the last day of stored events in the background, then writes
    // what it learns every interval.
    const warmedBefore = new Date();
    let warmed = false;
    timers.push(await schedule('api discovery', config.MESHWARD_DISCOVERY_INTERVAL_S * 1000, metrics, async () => {
      if (!warmed) {
        const n = await discovery.warm(warmedBefore);
        warmed = true;
        log.info({ events: n }, 'api discovery warmed from stored events');
      }
      await discovery.persist();
    }, { restFactor: 1, background: true }));
  }

  if (detection) {
    // Like discovery: warm from the last day of stored events in the background (live events
    // wait in the queue meanwhile), then move event time on every interval.
    const warmedBefore = new Date();
    timers.push(await schedule('detection', config.MESHWARD_DETECTION_INTERVAL_S * 1000, metrics, async () => {
      if (!detection.isWarm) {
        const n = await detection.warm(warmedBefore);
        log.info({ events: n }, 'detection warmed from stored events');
      }
      await detection.tick();
    }, { restFactor: 1, background: true }));
  }

  const runtime: Runtime = {
    config,
    database,
    db,
    writer,
    discovery,
    detection,
    policy,
    partitions,
    tokens: new ProxyTokenCache(db),
    ownership: new ProxyOwnership(db),
    clusterAccounts: new ClusterAccounts(db),
    inflight,
    metrics,
    audit,
    initialPasswordFile,
    firstAdmin,
    authSecret: secrets.authSecrets[0],
    authSecrets: secrets.authSecrets,
    startedAt: new Date(),
    async shutdown() {
      timers.forEach(clearInterval);
      policy.watch.close();
      runtime.tokens.close();
      await writer.close();
      await database.close();
    },
  };
  log.info({ engine: database.engine, lanes, ms: Date.now() - started }, 'runtime ready');
  return runtime;
}
