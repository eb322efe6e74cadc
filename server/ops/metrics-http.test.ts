import type { AddressInfo } from 'node:net';
import { describe, expect, it } from 'vitest';
import { createMetrics } from './metrics';
import { handleMetrics, parseListen, startMetricsListener } from './metrics-http';

const metrics = createMetrics(() => 7);
const get = (headers: Record<string, string> = {}) => new Request('http://console/metrics', { headers });
const TOKEN = 'metrics-token-0123456789';

describe('GET /metrics', () => {
  it('is not served on the main port unless a token is configured', async () => {
    const r = await handleMetrics(get(), { metrics, config: {} });
    expect(r.status).toBe(404);
    expect((await r.json()).error).toContain('MESHWARD_METRICS_TOKEN');
  });

  it('needs the configured bearer token', async () => {
    const config = { MESHWARD_METRICS_TOKEN: TOKEN };
    const none = await handleMetrics(get(), { metrics, config });
    expect(none.status).toBe(401);
    expect(none.headers.get('www-authenticate')).toMatch(/^Bearer/);
    expect((await handleMetrics(get({ authorization: `Bearer ${TOKEN}x` }), { metrics, config })).status).toBe(401);
    expect((await handleMetrics(get({ authorization: `Basic ${TOKEN}` }), { metrics, config })).status).toBe(401);
    const ok = await handleMetrics(get({ authorization: `Bearer ${TOKEN}` }), { metrics, config });
    expect(ok.status).toBe(200);
    expect(await ok.text()).toContain('meshward_ingest_queue_events 7');
  });

  it('is served without a token on the separate listener, and nothing else is', async () => {
    expect(parseListen('[::1]:9464')).toEqual({ host: '::1', port: 9464 });
    expect(() => parseListen('localhost:99999')).toThrow(/host:port/);
    const own = await startMetricsListener('127.0.0.1:0', metrics);
    try {
      const { port } = own.address() as AddressInfo;
      const r = await fetch(`http://127.0.0.1:${port}/metrics`);
      expect(r.status).toBe(200);
      expect(await r.text()).toContain('meshward_ingest_inflight_bytes');
      expect((await fetch(`http://127.0.0.1:${port}/api/health`)).status).toBe(404);
      expect((await fetch(`http://127.0.0.1:${port}/metrics`, { method: 'POST' })).status).toBe(404);
    } finally {
      own.close();
    }
  });
});
