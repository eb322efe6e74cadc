import { describe, expect, it } from 'vitest';
import { allowRule, denyEntry, policyDocument } from './model';
import { editInput, generateInput, serviceInput } from './schemas';

const rule = (over: Record<string, unknown> = {}) => ({ caller: 'shop/web', method: 'GET', template: '/api/{id}', ...over });
const deny = (over: Record<string, unknown> = {}) => ({ kind: 'user', value: 'mallory', reason: 'abuse seen', ...over });

describe('policy edits follow the identity grammar', () => {
  it('refuses a caller or service an analyst could use to inject configuration', () => {
    expect(allowRule.safeParse(rule()).success).toBe(true);
    expect(allowRule.safeParse(rule({ caller: 'spiffe://partner.example/ns/acme/sa/sync' })).success).toBe(true);
    for (const caller of ['shop/web\n- rules: [{}]', 'shop/web;', 'shop/WEB', '"shop/web"', 'shop/web\u2028x']) {
      const r = allowRule.safeParse(rule({ caller }));
      expect(r.success, caller).toBe(false);
      expect(r.error?.issues[0].message).toMatch(/^a service name/);
    }
    expect(policyDocument.safeParse({ service: 'shop/x\naccess_log off;', defaultAction: 'deny', allow: [], deny: [] }).success).toBe(false);
    expect(generateInput.safeParse({ service: 'shop/x\naccess_log off;', reason: 'draft it' }).success).toBe(false);
  });

  it('refuses control characters and line separators in templates and denied values, and zone ids in addresses', () => {
    expect(allowRule.safeParse(rule({ template: '/api/a\nb' })).success).toBe(false);
    expect(allowRule.safeParse(rule({ template: '/api/\u2028' })).success).toBe(false);
    expect(allowRule.safeParse(rule({ template: '/api/café/{id}' })).success).toBe(true);
    expect(denyEntry.safeParse(deny({ value: 'mal\u0085lory' })).success).toBe(false);
    expect(denyEntry.safeParse(deny({ value: '  mallory  ' })).data?.value).toBe('mallory');
    expect(denyEntry.safeParse(deny({ kind: 'ip', value: 'fe80::1%eth0' })).success).toBe(false);
    expect(denyEntry.safeParse(deny({ kind: 'ip', value: 'fe80::1%eth0\naccess_log off;' })).success).toBe(false);
    expect(denyEntry.safeParse(deny({ kind: 'ip', value: '2001:db8::/32' })).success).toBe(true);
  });

  it('still lets a rule or entry stored before the grammar be removed, and a service viewed', () => {
    const r = editInput.safeParse({ id: 'pol_1', removeAllow: [{ caller: 'Shop/Web', method: 'GET', template: '/a\nb' }], removeDeny: [{ kind: 'user', value: 'x\ny' }], reason: 'clean up' });
    expect(r.success).toBe(true);
    expect(serviceInput.safeParse({ service: 'Shop/Web' }).success).toBe(true);
  });
});
