import { desc } from 'drizzle-orm';
import { expect, it } from 'vitest';
import { auditLog } from '@/db/schema';
import { detectionThresholds } from '@/db/schema/detections';
import { actor, ctxFor, describeEachEngine } from '@/server/testing/db';
import { addAllowEntry, listAllowList, loadAllowList, removeAllowEntry } from './allow-list';
import { addAllowInput, setThresholdsInput } from './schemas';
import { listThresholds, loadThresholds, removeThresholds, setThresholds } from './thresholds';
import { DEFAULT_THRESHOLDS } from './types';

const admin = actor('admin');
const lastAudit = async (h: { db: Parameters<typeof ctxFor>[0] }) => (await h.db.select().from(auditLog).orderBy(desc(auditLog.id)).limit(1))[0];

describeEachEngine('thresholds and the allow-list', (h) => {
  const ctx = () => ctxFor(h.db, admin);

  it('starts at the defaults; a global change and a service\'s own are audited with before and after', async () => {
    expect(await loadThresholds(h.db)).toEqual({ global: DEFAULT_THRESHOLDS, services: {} });
    const strict = { alert: 50, mitigate: 70, windows: { '5m': 4, '30m': 4, '4h': 3, '24h': 3 } };
    await setThresholds(ctx(), { service: '*', thresholds: strict, reason: 'too quiet' });
    expect(await lastAudit(h)).toMatchObject({
      action: 'detection.thresholds.set', targetId: '*', actorEmail: admin.email, reason: 'too quiet',
      before: { defaults: DEFAULT_THRESHOLDS }, after: strict,
    });
    const login = { ...strict, alert: 80, mitigate: 95 };
    await setThresholds(ctx(), { service: 'shop/login', thresholds: login, reason: 'noisy logins' });
    await setThresholds(ctx(), { service: 'shop/login', thresholds: { ...login, alert: 85 }, reason: 'still noisy' });
    expect(await lastAudit(h)).toMatchObject({ before: login, after: { ...login, alert: 85 } });
    expect(await loadThresholds(h.db)).toEqual({ global: strict, services: { 'shop/login': { ...login, alert: 85 } } });
    const listed = await listThresholds(ctx());
    expect(listed.global).toMatchObject({ updatedBy: admin.email, thresholds: strict });
    expect(listed.services.map((s) => s.service)).toEqual(['shop/login']);

    await removeThresholds(ctx(), { service: 'shop/login', reason: 'back to global' });
    expect(await lastAudit(h)).toMatchObject({ action: 'detection.thresholds.remove', before: { ...login, alert: 85 }, after: null });
    expect((await loadThresholds(h.db)).services).toEqual({});
    await expect(removeThresholds(ctx(), { service: 'shop/login', reason: 'again' })).rejects.toMatchObject({ code: 'NOT_FOUND' });
  });

  it('refuses thresholds out of order or out of range, and scopes that are not services', () => {
    const base = { service: '*', reason: 'x-reason', thresholds: DEFAULT_THRESHOLDS };
    expect(setThresholdsInput.safeParse(base).success).toBe(true);
    expect(setThresholdsInput.safeParse({ ...base, thresholds: { ...DEFAULT_THRESHOLDS, alert: 90, mitigate: 80 } }).error?.issues[0].message).toMatch(/at least the alert level/);
    expect(setThresholdsInput.safeParse({ ...base, thresholds: { ...DEFAULT_THRESHOLDS, mitigate: 101 } }).success).toBe(false);
    expect(setThresholdsInput.safeParse({ ...base, thresholds: { ...DEFAULT_THRESHOLDS, windows: { ...DEFAULT_THRESHOLDS.windows, '5m': 0 } } }).success).toBe(false);
    expect(setThresholdsInput.safeParse({ ...base, service: 'shop/../x' }).success).toBe(false);
    expect(setThresholdsInput.safeParse({ ...base, service: 'shop/login\nx' }).success).toBe(false);
  });

  it('a stored row missing a window (an older version wrote it) takes that window\'s default', async () => {
    await h.db.insert(detectionThresholds).values({ service: 'shop/old', alert: 70, mitigate: 90, windows: { '5m': 3 }, updatedBy: 'x' });
    expect((await loadThresholds(h.db)).services['shop/old'].windows).toEqual({ ...DEFAULT_THRESHOLDS.windows, '5m': 3 });
  });

  it('keeps allow-list entries in one spelling, refuses duplicates and wide blocks, and audits adding and removing', async () => {
    const add = (type: string, value: string, note = 'a known client') => addAllowEntry(ctx(), addAllowInput.parse({ type, value, note, reason: 'known good' }));
    const g = await add('cidr', '66.249.70.9/19', 'Googlebot (published ranges, checked by reverse DNS)');
    expect(g.value).toBe('66.249.64.0/19');
    expect(await lastAudit(h)).toMatchObject({ action: 'detection.allow.add', targetId: g.id, after: { type: 'cidr', value: '66.249.64.0/19' } });
    await expect(add('cidr', '66.249.64.0/19')).rejects.toMatchObject({ code: 'CONFLICT' });
    await add('ip', '2001:db8:0::1');
    await add('user_agent', 'UptimeRobot/2.0');
    expect((await loadAllowList(h.db)).map((e) => `${e.type} ${e.value}`).sort()).toEqual(['cidr 66.249.64.0/19', 'ip 2001:db8::1', 'user_agent UptimeRobot/2.0']);

    const bad = (type: string, value: string) => addAllowInput.safeParse({ type, value, note: 'a client', reason: 'why not' }).error?.issues[0].message;
    expect(bad('cidr', '0.0.0.0/0')).toMatch(/large part of the internet/);
    expect(bad('cidr', '10.0.0.1')).toMatch(/CIDR block/);
    expect(bad('ip', '10.0.0.0/8')).toMatch(/IP address/);
    expect(bad('service', 'not a service')).toBeTruthy();
    expect(bad('user_agent', 'bot')).toMatch(/At least 4/);
    expect(bad('token', 'tok\u2028x')).toBeTruthy();

    await removeAllowEntry(ctx(), { id: g.id, reason: 'Google moved' });
    expect(await lastAudit(h)).toMatchObject({ action: 'detection.allow.remove', before: { value: '66.249.64.0/19' }, after: null, reason: 'Google moved' });
    expect((await listAllowList(ctx())).map((e) => e.type)).toEqual(['ip', 'user_agent']);
    await expect(removeAllowEntry(ctx(), { id: g.id, reason: 'again' })).rejects.toMatchObject({ code: 'NOT_FOUND' });
  });
});
