import { TRPCError } from '@trpc/server';
import { expect, it } from 'vitest';
import { createCaller } from '@/server/routers';
import type { Actor } from '@/server/context';
import { actor, ctxFor, describeEachEngine, seedAccounts } from '@/server/testing/db';
import type { TrpcContext } from '@/server/trpc';

const T0 = Date.UTC(2026, 0, 15);
const NOW = T0 + 25 * 3_600_000;

async function codeOf(p: Promise<unknown>): Promise<string> {
  const e: unknown = await p.then(() => null, (x: unknown) => x);
  return e instanceof TRPCError ? e.code : String(e);
}

describeEachEngine('reports procedures', (h) => {
  const ctx = (who: Actor | null): TrpcContext => ({ ...ctxFor(h.db, who, { now: () => new Date(NOW) }), sameOrigin: true, retentionDays: 30 });
  const api = (who: Actor | null) => createCaller(ctx(who));
  const input = { framework: 'pci_dss_v4' as const, from: new Date(T0), to: new Date(T0 + 86_400_000) };

  it('let analysts generate and viewers read; refuse the rest with the right code', async () => {
    const analyst = actor('analyst');
    const viewer = actor('viewer');
    await seedAccounts(h.db, analyst, viewer);
    expect(await codeOf(api(null).reports.list({}))).toBe('UNAUTHORIZED');
    expect(await codeOf(api(viewer).reports.generate(input))).toBe('FORBIDDEN');
    expect(await codeOf(api(viewer).reports.schedules.create({ framework: 'soc2', cadence: 'daily' }))).toBe('FORBIDDEN');
    expect(await codeOf(api(analyst).reports.generate({ ...input, to: new Date(NOW + 86_400_000) }))).toBe('BAD_REQUEST');
    expect(await codeOf(api(analyst).reports.generate({ ...input, framework: 'iso27001' as never }))).toBe('BAD_REQUEST');

    const r = await api(analyst).reports.generate(input);
    expect(r.summary.find((s) => s.id === 'pci-10-logging')!.figures.retention_days).toBe(30);
    const list = await api(viewer).reports.list({ limit: 10 });
    expect(list.items.map((i) => i.id)).toEqual([r.id]);
    expect((await api(viewer).reports.get({ id: r.id })).pdfSha256).toBe(r.pdfSha256);
    expect(await codeOf(api(viewer).reports.get({ id: 'rpt_nope' }))).toBe('NOT_FOUND');

    const s = await api(analyst).reports.schedules.create({ framework: 'soc2', cadence: 'weekly', scope: { clusters: ['eu-1'] } });
    expect((await api(viewer).reports.schedules.list()).map((x) => x.id)).toEqual([s.id]);
    expect(await codeOf(api(actor('analyst', 'usr_someone_else')).reports.schedules.delete({ id: s.id }))).toBe('FORBIDDEN');
    expect(await api(analyst).reports.schedules.delete({ id: s.id })).toEqual({ id: s.id });
  });
});
