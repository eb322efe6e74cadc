import { TRPCError } from '@trpc/server';
import { asc, like } from 'drizzle-orm';
import { expect, it } from 'vitest';
import { auditLog, savedSearches } from '@/db/schema';
import { createCaller } from '@/server/routers';
import type { Actor } from '@/server/context';
import { DomainError } from '@/server/errors';
import { ctxFor, describeEachEngine, seedAccounts, type Harness } from '@/server/testing/db';
import type { TrpcContext } from '@/server/trpc';
import { createSavedSearch, getSavedSearch, listSavedSearches, removeSavedSearch, updateSavedSearch, type SavedCreateInput } from './saved';

const ana: Actor = { id: 'usr_ana', email: 'ana@example.test', role: 'analyst' };
const bob: Actor = { id: 'usr_bob', email: 'bob@example.test', role: 'analyst' };
const vic: Actor = { id: 'usr_vic', email: 'vic@example.test', role: 'viewer' };
const adm: Actor = { id: 'usr_adm', email: 'adm@example.test', role: 'admin' };

const errors5xx: SavedCreateInput = { name: 'Errors', query: 'status>=500', range: { preset: '24h' }, columns: ['ts', 'service', 'status'], visibility: 'private' };

async function failure(p: Promise<unknown>): Promise<DomainError> {
  const e: unknown = await p.then(() => null, (x: unknown) => x);
  expect(e).toBeInstanceOf(DomainError);
  return e as DomainError;
}

describeEachEngine('saved searches', (h: Harness) => {
  const as = (who: Actor) => ctxFor(h.db, who);
  const seed = () => seedAccounts(h.db, ana, bob, vic, adm);
  let clock = Date.UTC(2026, 0, 15, 12);
  const ticking = (who: Actor) => ctxFor(h.db, who, { now: () => new Date((clock += 1000)) });

  it('keeps a private search for its owner alone, and shows a team search to everyone', async () => {
    await seed();
    const mine = await createSavedSearch(ticking(ana), errors5xx);
    const shared = await createSavedSearch(ticking(ana), { name: '  Card data out  ', query: 'class:credit_card', range: { from: '2026-01-15T13:00:00+01:00', to: '2026-01-15T14:00:00Z' }, visibility: 'team' });
    const bobs = await createSavedSearch(ticking(bob), { ...errors5xx, name: 'Bob private' });

    expect(shared).toMatchObject({
      name: 'Card data out', query: 'class:credit_card', range: { from: '2026-01-15T12:00:00.000Z', to: '2026-01-15T14:00:00.000Z' },
      columns: [], visibility: 'team', owner: { id: ana.id, email: ana.email, name: '' }, mine: true,
    });
    expect(mine.id).toMatch(/^ss_/);

    expect((await listSavedSearches(as(ana))).map((s) => [s.name, s.mine])).toEqual([['Card data out', true], ['Errors', true]]);
    expect((await listSavedSearches(as(bob))).map((s) => [s.name, s.mine])).toEqual([['Bob private', true], ['Card data out', false]]);
    // a viewer sees the team's, an admin does not see others' private searches either
    expect((await listSavedSearches(as(vic))).map((s) => s.name)).toEqual(['Card data out']);
    expect((await listSavedSearches(as(adm))).map((s) => s.name)).toEqual(['Card data out']);

    expect(await getSavedSearch(as(vic), { id: shared.id })).toMatchObject({ name: 'Card data out', mine: false });
    expect(await getSavedSearch(as(ana), { id: mine.id })).toEqual(mine);
    for (const who of [bob, vic, adm]) {
      const e = await failure(getSavedSearch(as(who), { id: mine.id }));
      expect(e.code, who.email).toBe('NOT_FOUND');
    }
    // and it reads the same as one that never existed
    expect((await failure(getSavedSearch(as(bob), { id: 'ss_nope' }))).message).toBe((await failure(getSavedSearch(as(bob), { id: mine.id }))).message);
  });

  it('lists the most recently changed first', async () => {
    await seed();
    const a = await createSavedSearch(ticking(ana), { ...errors5xx, name: 'A' });
    await createSavedSearch(ticking(ana), { ...errors5xx, name: 'B' });
    await updateSavedSearch(ticking(ana), { id: a.id, columns: ['path'] });
    expect((await listSavedSearches(as(ana))).map((s) => s.name)).toEqual(['A', 'B']);
  });

  it('lets the owner change any field, alone or together, and keeps the rest', async () => {
    await seed();
    const s = await createSavedSearch(ticking(ana), errors5xx);
    const renamed = await updateSavedSearch(ticking(ana), { id: s.id, name: 'Server errors' });
    expect(renamed).toMatchObject({ name: 'Server errors', query: 'status>=500', range: { preset: '24h' }, columns: ['ts', 'service', 'status'], visibility: 'private' });
    expect(renamed.updatedAt.getTime()).toBeGreaterThan(s.updatedAt.getTime());
    expect(renamed.createdAt).toEqual(s.createdAt);
    const all = await updateSavedSearch(ticking(ana), { id: s.id, query: 'status:503', range: { preset: '7d' }, columns: [], visibility: 'team' });
    expect(all).toMatchObject({ name: 'Server errors', query: 'status:503', range: { preset: '7d' }, columns: [], visibility: 'team' });
    // same name, other case: it is the search itself, not a clash
    expect((await updateSavedSearch(ticking(ana), { id: s.id, name: 'SERVER errors' })).name).toBe('SERVER errors');
  });

  it('lets only the owner or an admin change or delete a team search; a private one of another is not found', async () => {
    await seed();
    const team = await createSavedSearch(ticking(ana), { ...errors5xx, visibility: 'team' });
    const priv = await createSavedSearch(ticking(ana), { ...errors5xx, name: 'Mine only' });

    const forbidden = await failure(updateSavedSearch(as(bob), { id: team.id, name: 'Hijacked' }));
    expect(forbidden.code).toBe('FORBIDDEN');
    expect(forbidden.message).toMatch(/Only ana@example\.test, who saved “Errors”, or an admin can change it/);
    expect((await failure(removeSavedSearch(as(bob), { id: team.id }))).code).toBe('FORBIDDEN');
    for (const who of [bob, adm]) {
      expect((await failure(updateSavedSearch(as(who), { id: priv.id, name: 'x' }))).code, who.email).toBe('NOT_FOUND');
      expect((await failure(removeSavedSearch(as(who), { id: priv.id }))).code, who.email).toBe('NOT_FOUND');
    }

    // an admin changes a team search; it stays its owner's
    const fixed = await updateSavedSearch(ticking(adm), { id: team.id, name: 'Errors (reviewed)' });
    expect(fixed).toMatchObject({ name: 'Errors (reviewed)', owner: { id: ana.id }, mine: false });
    expect(await removeSavedSearch(as(adm), { id: team.id })).toEqual({ id: team.id });
    expect((await failure(getSavedSearch(as(ana), { id: team.id }))).code).toBe('NOT_FOUND');

    expect(await removeSavedSearch(as(ana), { id: priv.id })).toEqual({ id: priv.id });
    expect(await h.db.select().from(savedSearches)).toEqual([]);
    expect((await failure(removeSavedSearch(as(ana), { id: priv.id }))).code).toBe('NOT_FOUND');
  });

  it('keeps names unique per owner, ignoring case, and says which name clashes', async () => {
    await seed();
    await createSavedSearch(ticking(ana), errors5xx);
    const clash = await failure(createSavedSearch(ticking(ana), { ...errors5xx, name: ' errors ', visibility: 'team' }));
    expect(clash.code).toBe('CONFLICT');
    expect(clash.message).toMatch(/“Errors” exists already/);
    // another owner may use it
    await createSavedSearch(ticking(bob), errors5xx);
    const other = await createSavedSearch(ticking(ana), { ...errors5xx, name: 'Other' });
    expect((await failure(updateSavedSearch(ticking(ana), { id: other.id, name: 'ERRORS' }))).code).toBe('CONFLICT');
    // two saves of one name at once: one wins
    const both = await Promise.allSettled([createSavedSearch(ticking(ana), { ...errors5xx, name: 'Race' }), createSavedSearch(ticking(ana), { ...errors5xx, name: 'race' })]);
    expect(both.map((r) => r.status).sort()).toEqual(['fulfilled', 'rejected']);
  });

  it('refuses a query that does not compile with its column, and bad names, ranges and columns', async () => {
    await seed();
    const bad = await failure(createSavedSearch(ticking(ana), { ...errors5xx, query: 'status>=500 AND nope:1' }));
    expect(bad.code).toBe('BAD_REQUEST');
    expect(bad.column).toBe(17);
    const s = await createSavedSearch(ticking(ana), errors5xx);
    expect((await failure(updateSavedSearch(ticking(ana), { id: s.id, query: 'status:' }))).column).toBe(8);

    const zodRefusals: unknown[] = [
      { ...errors5xx, name: '   ' },
      { ...errors5xx, name: 'x'.repeat(121) },
      { ...errors5xx, query: 'a'.repeat(4001) },
      { ...errors5xx, range: { preset: '2h' } },
      { ...errors5xx, range: { from: '2026-01-15T12:00:00Z', to: '2026-01-15T12:00:00Z' } },
      { ...errors5xx, range: { from: 'yesterday', to: '2026-01-15T12:00:00Z' } },
      { ...errors5xx, range: { preset: '1h', from: '2026-01-15T12:00:00Z' } },
      { ...errors5xx, columns: ['key'] },
      { ...errors5xx, columns: ['ts', 'ts'] },
      { ...errors5xx, visibility: 'public' },
    ];
    for (const input of zodRefusals) {
      await expect(createSavedSearch(ticking(ana), input as SavedCreateInput), JSON.stringify(input).slice(0, 80)).rejects.toThrow();
    }
    await expect(updateSavedSearch(ticking(ana), { id: s.id })).rejects.toThrow(/Nothing to change/);
    expect(await h.db.select().from(savedSearches)).toHaveLength(1);
  });

  it('audits each write in its transaction with name, query and visibility; reads write nothing', async () => {
    await seed();
    const s = await createSavedSearch(ticking(ana), errors5xx);
    await listSavedSearches(as(ana));
    await getSavedSearch(as(ana), { id: s.id });
    await updateSavedSearch(ticking(ana), { id: s.id, visibility: 'team', query: 'status>=500 AND service:shop/*' });
    await failure(updateSavedSearch(as(bob), { id: s.id, name: 'nope' }));
    await removeSavedSearch(as(adm), { id: s.id });
    const entries = await h.db.select().from(auditLog).where(like(auditLog.action, 'search.saved.%')).orderBy(asc(auditLog.id));
    const stored = { name: 'Errors', query: 'status>=500', visibility: 'private', range: { preset: '24h' }, columns: ['ts', 'service', 'status'] };
    const shared = { ...stored, query: 'status>=500 AND service:shop/*', visibility: 'team', owner: ana.email };
    expect(entries.map((e) => [e.action, e.actorId, e.targetType, e.targetId, e.before, e.after])).toEqual([
      ['search.saved.create', ana.id, 'saved_search', s.id, null, stored],
      ['search.saved.update', ana.id, 'saved_search', s.id, { ...stored, owner: ana.email }, shared],
      ['search.saved.delete', adm.id, 'saved_search', s.id, shared, null],
    ]);
  });

  it('serves the procedures by role: viewers read, analysts keep searches', async () => {
    await seed();
    const api = (who: Actor | null) => createCaller({ ...ctxFor(h.db, who), sameOrigin: true } as TrpcContext);
    const code = async (p: Promise<unknown>) => {
      const e: unknown = await p.then(() => 'OK', (x: unknown) => x);
      return e instanceof TRPCError ? e.code : e;
    };
    const created = await api(ana).search.saved.create({ name: 'Via tRPC', query: '', range: { preset: '1h' }, visibility: 'team' });
    expect(created).toMatchObject({ name: 'Via tRPC', visibility: 'team', mine: true, columns: [] });
    expect((await api(vic).search.saved.list()).map((s) => s.name)).toEqual(['Via tRPC']);
    expect(await api(vic).search.saved.get({ id: created.id })).toMatchObject({ mine: false });
    expect(await code(api(vic).search.saved.create({ name: 'x', query: '', range: { preset: '1h' } }))).toBe('FORBIDDEN');
    expect(await code(api(vic).search.saved.update({ id: created.id, name: 'x' }))).toBe('FORBIDDEN');
    expect(await code(api(vic).search.saved.remove({ id: created.id }))).toBe('FORBIDDEN');
    expect(await code(api(null).search.saved.list())).toBe('UNAUTHORIZED');
    expect(await code(api(bob).search.saved.update({ id: created.id, name: 'x' }))).toBe('FORBIDDEN');
    expect(await code(api(bob).search.saved.get({ id: 'ss_missing' }))).toBe('NOT_FOUND');
    expect(await code(api(ana).search.saved.create({ name: 'Bad', query: 'status:', range: { preset: '1h' } }))).toBe('BAD_REQUEST');
    expect(await code(api(ana).search.saved.create({ name: 'via trpc', query: '', range: { preset: '1h' } }))).toBe('CONFLICT');
    expect(await code(api(ana).search.saved.create({ name: 'Cols', query: '', range: { preset: '1h' }, columns: ['nope' as 'ts'] }))).toBe('BAD_REQUEST');
    expect(await api(ana).search.saved.remove({ id: created.id })).toEqual({ id: created.id });
  });
});
