import { eq } from 'drizzle-orm';
import { expect, it } from 'vitest';
import { detectionActors, detections, detectionTriage } from '@/db/schema/detections';
import { actor, ctxFor, describeEachEngine } from '@/server/testing/db';
import { fakeDetection, seedDetection } from '@/server/testing/detections';
import { getDetection, listActors, listDetections, openBySeverity } from './queries';
import { MERGE_GAP_MS, upsertDetection } from './store';
import type { ActorRef } from './types';

const ips = (n: number, from = 0): ActorRef[] => Array.from({ length: n }, (_, i) => ({ type: 'ip', id: `198.51.${Math.floor((from + i) / 250)}.${(from + i) % 250}` }));

describeEachEngine('detection store', (h) => {
  const ctx = () => ctxFor(h.db, actor('viewer'));
  const all = () => h.db.select().from(detections);

  it('updates one row as an incident grows: later end, more actors, higher score; the queue shows the first few actors', async () => {
    const t0 = Date.now() - 3600_000;
    const first = fakeDetection({ id: 'eng-stuffing', kind: 'credential_stuffing', actors: ips(3), start: t0, end: t0 + 5 * 60_000, score: 70, severity: 'high' });
    expect(await upsertDetection(h.db, first, new Date())).toBe('created');
    const grown = { ...first, actors: [...ips(3), ...ips(297, 3)], end: t0 + 25 * 60_000, score: 93, severity: 'critical' as const };
    expect(await upsertDetection(h.db, grown, new Date())).toBe('updated');
    const rows = await all();
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({ kind: 'credential_stuffing', score: 93, severity: 'critical', actorCount: 300, state: 'open' });
    expect(rows[0].endAt.getTime()).toBe(t0 + 25 * 60_000);
    expect(rows[0].startAt.getTime()).toBe(t0);
    expect(rows[0].topActors).toEqual(ips(5));
    // the same report again changes nothing
    expect(await upsertDetection(h.db, grown, new Date())).toBe('unchanged');
    // a lower-scored later view keeps the peak score and its evidence, but extends the window
    expect(await upsertDetection(h.db, { ...grown, end: t0 + 30 * 60_000, score: 50, severity: 'medium', evidence: { ...grown.evidence, windows: ['24h'] } }, new Date())).toBe('updated');
    const [after] = await all();
    expect(after).toMatchObject({ score: 93, severity: 'critical' });
    expect(after.evidence.windows).toEqual(grown.evidence.windows);
    expect(after.endAt.getTime()).toBe(t0 + 30 * 60_000);
  });

  it('continues a stored incident under an engine id it has not seen (a restart, another replica) when kind, service, time and an actor match', async () => {
    const t0 = Date.now() - 2 * 3600_000;
    await upsertDetection(h.db, fakeDetection({ id: 'run1-a', actors: ips(2), start: t0, end: t0 + 10 * 60_000 }), new Date());
    // the same attack, another run: shares an address, starts within the merge gap
    expect(await upsertDetection(h.db, fakeDetection({ id: 'run2-a', actors: [ips(2)[1], ...ips(1, 50)], start: t0 + 10 * 60_000 + MERGE_GAP_MS - 1000, end: t0 + 60 * 60_000 }), new Date())).toBe('updated');
    expect(await all()).toHaveLength(1);
    // the second id now names the same row directly
    expect(await upsertDetection(h.db, fakeDetection({ id: 'run2-a', actors: ips(1, 60), start: t0 + 60 * 60_000, end: t0 + 70 * 60_000 }), new Date())).toBe('updated');
    expect((await all())[0].actorCount).toBe(4);
    // no shared actor, another kind, or too far apart: separate incidents
    await upsertDetection(h.db, fakeDetection({ id: 'other-actors', actors: ips(1, 100), start: t0, end: t0 + 10 * 60_000 }), new Date());
    await upsertDetection(h.db, fakeDetection({ id: 'other-kind', kind: 'scraping', actors: ips(2), start: t0, end: t0 + 10 * 60_000 }), new Date());
    await upsertDetection(h.db, fakeDetection({ id: 'much-later', actors: ips(2), start: t0 + 70 * 60_000 + MERGE_GAP_MS + 60_000, end: t0 + 200 * 60_000 }), new Date());
    expect(await all()).toHaveLength(4);
  });

  it('opens a resolved incident again when its activity goes on, with a line in its history; a false positive stays closed', async () => {
    const t0 = Date.now() - 3600_000;
    const d = fakeDetection({ id: 'eng-r', start: t0, end: t0 + 60_000 });
    const { id } = await seedDetection(h.db, d);
    await h.db.update(detections).set({ state: 'resolved' }).where(eq(detections.id, id));
    // the same window reported again (a warm-up after a restart) leaves it resolved
    expect(await upsertDetection(h.db, d, new Date())).toBe('unchanged');
    expect(await upsertDetection(h.db, { ...d, end: t0 + 5 * 60_000 }, new Date())).toBe('reopened');
    const [row] = await h.db.select().from(detections).where(eq(detections.id, id));
    expect(row.state).toBe('open');
    const history = await h.db.select().from(detectionTriage).where(eq(detectionTriage.detectionId, id));
    expect(history).toEqual([expect.objectContaining({ action: 'reopened', fromState: 'resolved', toState: 'open', actorEmail: null })]);

    const fp = fakeDetection({ id: 'eng-fp', actors: ips(1, 7), start: t0, end: t0 + 60_000 });
    const seeded = await seedDetection(h.db, fp);
    await h.db.update(detections).set({ state: 'false_positive' }).where(eq(detections.id, seeded.id));
    expect(await upsertDetection(h.db, { ...fp, end: t0 + 9 * 60_000 }, new Date())).toBe('updated');
    expect((await h.db.select().from(detections).where(eq(detections.id, seeded.id)))[0].state).toBe('false_positive');
  });

  it('bounds what it stores of telemetry-made evidence and keeps hostile text as text', async () => {
    const long = `/login/${'a'.repeat(5000)}`;
    const hostile = '<img src=x onerror=alert(1)>';
    const d = fakeDetection({ id: 'eng-big', score: 140 });
    d.evidence.examples = Array.from({ length: 500 }, (_, i) => ({ requestId: `r${i}`, ts: d.start, method: 'POST', path: i === 0 ? long : hostile, status: 401, actor: d.actors[0] }));
    d.evidence.features = Array.from({ length: 100 }, () => ({ feature: 'rate', window: '5m', value: 1, baseline: null, deviation: null, text: hostile }));
    await upsertDetection(h.db, d, new Date());
    const [row] = await all();
    expect(row.score).toBe(100);
    expect(row.evidence.examples).toHaveLength(50);
    expect(row.evidence.examples[0].path.length).toBeLessThanOrEqual(513);
    expect(row.evidence.examples[1].path).toBe(hostile);
    expect(row.evidence.features).toHaveLength(40);
  });

  it('lists the queue filtered by state, severity, kind, service, actor (exact or prefix) and time, a page at a time', async () => {
    const now = Date.now();
    const make = async (over: Parameters<typeof fakeDetection>[0], state?: 'acknowledged') => {
      const { id } = await seedDetection(h.db, over);
      if (state) await h.db.update(detections).set({ state }).where(eq(detections.id, id));
      return id;
    };
    const a = await make({ kind: 'brute_force', service: 'shop/login', severity: 'high', actors: [{ type: 'ip', id: '203.0.113.7' }], start: now - 30 * 60_000 });
    const b = await make({ kind: 'scraping', service: 'shop/catalog', severity: 'medium', actors: [{ type: 'token', id: 'tok_50%_off' }], start: now - 20 * 60_000 }, 'acknowledged');
    const c = await make({ kind: 'dos', service: 'shop/search', severity: 'critical', actors: ips(120), start: now - 10 * 60_000 });
    const old = await make({ kind: 'dos', service: 'shop/search', severity: 'critical', actors: ips(1), start: now - 3 * 86_400_000 });
    const ids = async (input: Partial<Parameters<typeof listDetections>[1]>) =>
      (await listDetections(ctx(), { range: { preset: '24h' }, offset: 0, limit: 50, ...input })).rows.map((r) => r.id);
    expect(await ids({})).toEqual([c, b, a]);
    expect(await ids({ range: { preset: '7d' } })).toEqual([c, b, a, old]);
    expect(await ids({ states: ['open'] })).toEqual([c, a]);
    expect(await ids({ severities: ['critical', 'high'] })).toEqual([c, a]);
    expect(await ids({ kind: 'scraping' })).toEqual([b]);
    expect(await ids({ service: 'shop/login' })).toEqual([a]);
    expect(await ids({ actor: '203.0.113.7' })).toEqual([a]);
    // a prefix finds an address among the 120 actors of the flood, not only its first five
    expect(await ids({ actor: '198.51.0.11' })).toEqual([c]);
    // LIKE characters in the search are literal
    expect(await ids({ actor: 'tok_50%' })).toEqual([b]);
    expect(await ids({ actor: 'tok_5_%' })).toEqual([]);
    const page = await listDetections(ctx(), { range: { preset: '24h' }, offset: 1, limit: 1 });
    expect(page).toMatchObject({ total: 3, rows: [{ id: b }] });
    expect(page.rows[0].topActors).toEqual([{ type: 'token', id: 'tok_50%_off' }]);
  });

  it('pages through hundreds of actors, most implicated first', async () => {
    const { id } = await seedDetection(h.db, { kind: 'credential_stuffing', actors: ips(260) });
    const first = await listActors(ctx(), { id, offset: 0, limit: 100 });
    expect(first.total).toBe(260);
    expect(first.rows.map((r) => r.id)).toEqual(ips(100).map((a) => a.id));
    const last = await listActors(ctx(), { id, offset: 200, limit: 100 });
    expect(last.rows.map((r) => r.id)).toEqual(ips(60, 200).map((a) => a.id));
    expect((await h.db.select().from(detectionActors).where(eq(detectionActors.detectionId, id))).length).toBe(260);
  });

  it('counts open incidents by severity in the range, and shows one with its thresholds', async () => {
    const now = Date.now();
    await seedDetection(h.db, { severity: 'critical', start: now - 600_000 });
    await seedDetection(h.db, { severity: 'critical', actors: ips(1, 9), start: now - 600_000 });
    const { id } = await seedDetection(h.db, { severity: 'low', actors: ips(1, 19), start: now - 600_000 });
    await seedDetection(h.db, { severity: 'high', actors: ips(1, 29), start: now - 5 * 86_400_000 });
    await h.db.update(detections).set({ state: 'acknowledged' }).where(eq(detections.id, id));
    expect(await openBySeverity(ctx(), { range: { preset: '24h' } })).toEqual({ bySeverity: { low: 0, medium: 0, high: 0, critical: 2 }, total: 2 });
    const one = await getDetection(ctx(), id);
    expect(one).toMatchObject({ id, state: 'acknowledged', thresholds: { alert: 60, mitigate: 85, own: false }, history: [] });
    await expect(getDetection(ctx(), 'det_missing')).rejects.toMatchObject({ code: 'NOT_FOUND' });
  });
});
