import { ClusterAccounts } from '@/server/policy/cluster-accounts';
import type { Database } from '@/db/client';
import { CheckpointPublisher } from '@/server/audit/checkpoint';
import { loadConfig } from '@/server/config';
import { ProxyOwnership } from '@/server/fleet/ownership';
import { ProxyTokenCache } from '@/server/fleet/token-cache';
import { InflightBudget } from '@/server/http/inflight';
import { IngestWriter } from '@/server/ingest/writer';
import { PartitionManager } from '@/server/maintenance/partitions';
import { createMetrics } from '@/server/ops/metrics';
import { DetectionService } from '@/server/detection/service';
import { DiscoveryService } from '@/server/discovery/service';
import { compileBundle } from '@/server/policy/compile-bundle';
import { PublishedWatch } from '@/server/policy/published-watch';
import { keySet } from '@/server/policy/key-set';
import { generateSigningPem, signingKeyFromPem, type SigningKey } from '@/server/policy/signing';
import type { Runtime } from '@/server/runtime';

/**
 * A runtime over a test database, for route handlers, without the process-wide singleton.
 * It has every part a handler may ask for; tests replace single parts (`{ ...rt, tokens }`)
 * to make one of them fail.
 */
export function testRuntime(database: Database, env: Record<string, string> = {}, writerOpts: { maxQueuedEvents?: number } = {}, signingKey?: SigningKey): Runtime {
  const config = loadConfig({ MESHWARD_SIMULATOR: 'off', ...env });
  const partitions = new PartitionManager(database.db);
  const holder: { writer?: IngestWriter } = {};
  const inflight = new InflightBudget(config.MESHWARD_INGEST_INFLIGHT_BYTES, config.MESHWARD_INGEST_MAX_BODIES);
  const metrics = createMetrics(() => holder.writer?.queuedEvents ?? 0, () => ({ bytes: inflight.bytes, bodies: inflight.bodies }));
  const writer = new IngestWriter({
    db: database.db,
    partitions,
    lanes: database.engine === 'pglite' ? 1 : 3,
    maxQueuedEvents: writerOpts.maxQueuedEvents ?? config.MESHWARD_INGEST_QUEUE_EVENTS,
    maxGroupEvents: 5000,
    metrics,
  });
  holder.writer = writer;
  const tokens = new ProxyTokenCache(database.db);
  const watch = new PublishedWatch(database.db, 50);
  const key = signingKey ?? signingKeyFromPem(generateSigningPem());
  return {
    config, database, db: database.db, writer, partitions, metrics, tokens, inflight,
    discovery: config.MESHWARD_DISCOVERY ? new DiscoveryService(database.db) : null,
    detection: config.MESHWARD_DETECTION ? new DetectionService(database.db) : null,
    policy: { signingKey: key, keySet: keySet(key), compile: compileBundle, watch },
    ownership: new ProxyOwnership(database.db),
    clusterAccounts: new ClusterAccounts(database.db),
    audit: new CheckpointPublisher(database.db),
    initialPasswordFile: null,
    firstAdmin: null,
    authSecret: 'test-secret-test-secret-test-secret',
    authSecrets: ['test-secret-test-secret-test-secret'],
    startedAt: new Date(),
    shutdown: async () => {
      tokens.close();
      watch.close();
      await writer.close();
    },
  };
}
