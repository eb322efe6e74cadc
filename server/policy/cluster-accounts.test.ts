import { sql } from 'drizzle-orm';
import { afterEach, beforeEach, expect, it } from 'vitest';
import { rows, type Database } from '@/db/client';
import { createProxyToken } from '@/server/fleet/tokens';
import { handleIngest } from '@/server/ingest/http';
import type { Runtime } from '@/server/runtime';
import { actor, ctxFor, describeEachEngine } from '@/server/testing/db';
import { testRuntime } from '@/server/testing/runtime';
import { ACCOUNTS_TTL_MS, ClusterAccounts } from './cluster-accounts';
import { DEFAULT_CLUSTER_SETTINGS, setClusterSettings } from './cluster-settings';

const s = (v: string) => ({ stringValue: v });
const CALLER = 'spiffe://prod.example/ns/bookinfo/sa/bookinfo-productpage';

function batch(cluster: string, id: string) {
  return {
    resourceLogs: [{
      resource: { attributes: [{ key: 'service.name', value: s('reviews') }, { key: 'k8s.namespace.name', value: s('bookinfo') }, { key: 'k8s.cluster.name', value: s(cluster) }, { key: 'host.name', value: s(`reviews-${cluster}`) }] },
      scopeLogs: [{
        logRecords: [{
          timeUnixNano: `${BigInt(Date.now()) * 1_000_000n}`,
          attributes: [
            { key: 'http.request.method', value: s('GET') },
            { key: 'url.path', value: s('/reviews/1') },
            { key: 'http.response.status_code', value: { intValue: '200' } },
            { key: 'meshward.request_id', value: s(id) },
            { key: 'meshward.src_service', value: s(CALLER) },
          ],
        }],
      }],
    }],
  };
}

describeEachEngine('SPIFFE callers named by the cluster settings at ingest', (h) => {
  let rt: Runtime;
  let token: string;
  const post = (body: unknown) => handleIngest(new Request('http://console/v1/logs', {
    method: 'POST', body: JSON.stringify(body), headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
  }), 'otlp', rt);
  const callerOf = async (id: string) => (await rows<{ src_service: string; dst_service: string }>(h.db, sql`select src_service, dst_service from access_events where request_id = ${id}`))[0];

  beforeEach(async () => {
    rt = testRuntime(h.database as Database);
    token = (await createProxyToken(ctxFor(h.db, actor('admin')), { name: 'edge', services: ['*'] })).token;
  });
  afterEach(() => rt.shutdown());

  it('the caller joins its service as a destination (bookinfo/productpage), in the cluster whose settings say so', async () => {
    await setClusterSettings(ctxFor(h.db, actor('admin')), {
      cluster: 'prod-eu', settings: { ...DEFAULT_CLUSTER_SETTINGS, trustDomain: 'prod.example', serviceAccountTemplate: 'bookinfo-{name}' }, reason: 'bookinfo',
    });
    expect((await post(batch('prod-eu', 'r1'))).status).toBe(200);
    expect((await post(batch('staging', 'r2'))).status).toBe(200);
    expect(await callerOf('r1')).toEqual({ src_service: 'bookinfo/productpage', dst_service: 'bookinfo/reviews' });
    // another cluster keeps the stock reading: account = service
    expect(await callerOf('r2')).toEqual({ src_service: 'bookinfo/bookinfo-productpage', dst_service: 'bookinfo/reviews' });
  });

  it('a change reaches ingest within the cache lifetime, not before', async () => {
    let now = 1_000_000;
    const cache = new ClusterAccounts(h.db, () => now);
    expect((await cache.resolver())('prod-eu')).toBeNull();
    await setClusterSettings(ctxFor(h.db, actor('admin')), { cluster: '*', settings: { ...DEFAULT_CLUSTER_SETTINGS, serviceAccountTemplate: '{name}-sa' }, reason: 'mesh-wide' });
    expect((await cache.resolver())('prod-eu')).toBeNull();
    now += ACCOUNTS_TTL_MS + 1;
    expect((await cache.resolver())('prod-eu')).toEqual({ trustDomain: 'cluster.local', template: '{name}-sa', exceptions: {} });
    expect((await cache.resolver())(null)).toMatchObject({ template: '{name}-sa' });
  });
});
