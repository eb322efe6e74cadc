import { describe, expect, it } from 'vitest';
import { heartbeatSchema, heartbeatService } from './heartbeat';

const issues = (body: Record<string, unknown>) => {
  const r = heartbeatSchema.safeParse({ proxy_id: 'gw-1', ...body });
  return r.success ? [] : r.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`);
};

describe('heartbeat identity grammar', () => {
  it('accepts the names proxies and the nginx agent send', () => {
    expect(issues({ service: 'shop/gateway', cluster: 'prod-EU_1', node: 'ip-10-0-0-1.eu-west-1.compute.internal', version: 'meshward-nginx-agent/0.1', counters: { lines_shipped: 3 } })).toEqual([]);
    expect(issues({ proxy_id: 'sidecar~10.1.0.9~web-1.shop~shop.svc.cluster.local', service: 'spiffe://td/ns/shop/sa/web' })).toEqual([]);
  });

  it('refuses names outside the grammar as sent, without trimming or cutting them', () => {
    expect(issues({ proxy_id: 'gw-1\naccess_log off;' })).toEqual([expect.stringMatching(/^proxy_id: a proxy id/)]);
    expect(issues({ proxy_id: ' gw-1' })).toHaveLength(1);
    expect(issues({ proxy_id: 'g'.repeat(129) })).toHaveLength(1);
    expect(issues({ service: 'shop/web\n- rules: [{}]' })).toEqual([expect.stringMatching(/^service: must be a service name/)]);
    expect(issues({ service: 'shop/web ' })).toHaveLength(1);
    expect(issues({ service: `shop/${'a'.repeat(260)}` })).toHaveLength(1);
    expect(issues({ cluster: 'eu 1' })).toEqual([expect.stringMatching(/^cluster: letters, digits/)]);
    expect(issues({ node: 'n1;' })).toEqual([expect.stringMatching(/^node: letters, digits/)]);
    expect(issues({ version: '1.0\u2028x' })).toHaveLength(1);
    expect(issues({ policy_revision: 'r1\r' })).toHaveLength(1);
    expect(issues({ counters: { 'a\nb': 1 } })).toHaveLength(1);
  });
});

describe('heartbeat service', () => {
  const parse = (service: string, cluster?: string) => heartbeatSchema.parse({ proxy_id: 'gw-1', service, cluster });
  it('spells a SPIFFE id as ingest does: namespace/service, the account read back with the cluster settings', () => {
    expect(heartbeatService(parse('spiffe://cluster.local/ns/shop/sa/web'), null)).toBe('shop/web');
    const bookinfo = { trustDomain: 'prod.example', template: 'bookinfo-{name}', exceptions: {} };
    expect(heartbeatService(parse('spiffe://prod.example/ns/bookinfo/sa/bookinfo-reviews'), bookinfo)).toBe('bookinfo/reviews');
    // another trust domain's account is not this cluster's to read back
    expect(heartbeatService(parse('spiffe://partner.example/ns/bookinfo/sa/bookinfo-reviews'), bookinfo)).toBe('bookinfo/bookinfo-reviews');
    expect(heartbeatService(parse('spiffe://td/workload/42'), null)).toBe('spiffe://td/workload/42');
    expect(heartbeatService(parse('shop/web'), bookinfo)).toBe('shop/web');
  });
  it('refuses a SAN list that names no workload or two', () => {
    expect(issues({ service: 'DNS:web.shop.svc' })).toHaveLength(1);
    expect(issues({ service: 'spiffe://td/ns/a/sa/x,spiffe://td/ns/b/sa/y' })).toHaveLength(1);
  });
});
