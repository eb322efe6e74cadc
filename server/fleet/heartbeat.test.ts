import { describe, expect, it } from 'vitest';
import { heartbeatSchema } from './heartbeat';

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
    expect(issues({ service: 'shop/web\n- rules: [{}]' })).toEqual([expect.stringMatching(/^service: a service name/)]);
    expect(issues({ service: 'shop/web ' })).toHaveLength(1);
    expect(issues({ service: `shop/${'a'.repeat(260)}` })).toHaveLength(1);
    expect(issues({ cluster: 'eu 1' })).toEqual([expect.stringMatching(/^cluster: letters, digits/)]);
    expect(issues({ node: 'n1;' })).toEqual([expect.stringMatching(/^node: letters, digits/)]);
    expect(issues({ version: '1.0\u2028x' })).toHaveLength(1);
    expect(issues({ policy_revision: 'r1\r' })).toHaveLength(1);
    expect(issues({ counters: { 'a\nb': 1 } })).toHaveLength(1);
  });
});
