import { eq } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import { endpoints } from '@/db/schema';
import { actor, ctxFor, describeEachEngine } from '@/server/testing/db';
import { medianPerValue, ParamTally } from './evidence-tally';
import { getEndpoint } from './inventory';
import { learn } from './learner';
import { mergeEndpoints, renameParam, splitEndpoint } from './review';
import { StatsBaseline } from './stats-delta';
import { persistService } from './store';
import type { Endpoint } from './merge-tree';
import { readEvidence } from './schemas';
import { JOIN_RULES, KEEP_RULES, ruleSentence, type LiteralEvidence, type ParamEvidence } from '@/lib/segment-evidence';
import { handles } from '@/server/testing/handles';

const S = 'films/api';
const line = (method: string, path: string, status = 200) => JSON.stringify({ service: S, method, path, status });

const find = (eps: Endpoint[], method: string, template: string) => {
  const e = eps.find((x) => x.method === method && x.template === template);
  if (!e) throw new Error(`not learned: ${method} ${template} (learned: ${eps.map((x) => `${x.method} ${x.template}`).join(', ')})`);
  return e;
};
const at = (e: Endpoint, i: number) => e.evidence?.find((x) => x.at === i);

/** 40 film ids requested once or twice each, and `trending` requested 200 times beside them. */
function moviesTraffic(): string[] {
  const lines: string[] = [];
  for (let i = 0; i < 40; i++) for (let k = 0; k < 1 + (i % 2); k++) lines.push(line('GET', `/api/films/${100 + i * 7}`));
  for (let i = 0; i < 200; i++) lines.push(line('GET', '/api/films/trending'));
  for (let i = 0; i < 30; i++) lines.push(line('GET', '/api/films/popular'));
  // another area beside `films`: below it, no longer the API's base path (where versions sit)
  for (let i = 0; i < 5; i++) lines.push(line('GET', '/api/people/me'));
  return lines;
}

describe('segment evidence', () => {
  it('says an API group leading to versions stayed literal for that (`/apis/storage.k8s.io/v1`)', () => {
    const lines: string[] = [];
    const groups = ['storage', 'networking', 'coordination', 'discovery', 'events', 'node', 'policy', 'scheduling', 'resource'];
    groups.forEach((g, i) => {
      for (let k = 0; k < 3 + i; k++) lines.push(line('GET', `/edge/apis/${g}.k8s.io/v1/namespaces/ns-${k}/items`), line('GET', `/edge/apis/${g}.k8s.io/v1beta1`));
    });
    for (let i = 0; i < 5; i++) lines.push(line('GET', '/edge/api/v1/pods'), line('GET', '/edge/version'));
    const e = find(learn(lines), 'GET', '/edge/apis/storage.k8s.io/v1beta1');
    expect(at(e, 2)).toMatchObject({ kind: 'literal', code: 'api-versions' });
  });

  it('explains a busy literal beside many ids, and lists it beside the parameter', () => {
    const eps = learn(moviesTraffic());
    expect(eps.map((e) => e.template).sort()).toEqual(['/api/films/popular', '/api/films/trending', '/api/films/{film_id}', '/api/people/me']);

    const trending = at(find(eps, 'GET', '/api/films/trending'), 2) as LiteralEvidence;
    expect(trending).toEqual({ kind: 'literal', at: 2, code: 'busy-beside-param', requests: 200, siblings: 41, beside: { name: 'film_id', median: 2 } });
    expect(at(find(eps, 'GET', '/api/films/popular'), 2)).toMatchObject({ code: 'busy-beside-param', requests: 30 });

    const film = at(find(eps, 'GET', '/api/films/{film_id}'), 2) as ParamEvidence;
    expect(film).toMatchObject({ kind: 'param', at: 2, values: 40, requests: 60, median: 2, keptLiterals: 2 });
    expect(film.rules).toEqual([{ code: 'identifier-shape', keys: 40 }]);
    expect(film.literals).toEqual([{ name: 'trending', requests: 200 }, { name: 'popular', requests: 30 }]);
    // `api` was alone at its position: no record; `films` had `people` beside it
    expect(at(find(eps, 'GET', '/api/films/{film_id}'), 0)).toBeUndefined();
    expect(at(find(eps, 'GET', '/api/films/{film_id}'), 1)).toMatchObject({ kind: 'literal', siblings: 1, requests: 290 });
  });

  it('says "version position" where the API base path ends, even beside identifiers', () => {
    // right under `/api/films` with nothing beside `films`, the position is where versions sit
    const eps = learn(moviesTraffic().filter((l) => !l.includes('/people/')));
    expect(at(find(eps, 'GET', '/api/films/trending'), 2)).toMatchObject({ code: 'version-position', requests: 200 });
  });

  it('says word-like names with many values joined as "many names requested rarely"', () => {
    const lines = handles(30).flatMap((h, i) => [line('GET', `/projects/${h}/zones`), line('POST', `/projects/${h}/${i % 2 ? 'zones' : 'images'}`)]);
    const eps = learn(lines);
    const e = find(eps, 'GET', '/projects/{project_id}/zones');
    const p = at(e, 1) as ParamEvidence;
    expect(p).toMatchObject({ kind: 'param', values: 30, requests: 60, median: 2, literals: [], keptLiterals: 0 });
    expect(p.rules[0]).toEqual({ code: 'many-names', keys: expect.any(Number) });
    expect(p.rules.reduce((n, r) => n + r.keys, 0)).toBe(30);
    expect(ruleSentence(p.rules[0].code)).toBe('many names requested rarely');
    // `zones` beside `images` under each value: two names, each kept for a reason
    expect(at(e, 2)).toMatchObject({ kind: 'literal', siblings: 1 });
  });

  it('keeps a version segment literal as "version position"', () => {
    const lines = [101, 202, 303, 404].flatMap((n) => [line('GET', `/api/v1/pets/${n}`), line('GET', `/api/v2/pets/${n}`)]);
    const eps = learn(lines);
    const v1 = find(eps, 'GET', '/api/v1/pets/{pet_id}');
    expect(at(v1, 1)).toEqual({ kind: 'literal', at: 1, code: 'version-position', requests: 4, siblings: 1 });
    expect(at(v1, 3)).toMatchObject({ kind: 'param', values: 4, requests: 4, rules: [{ code: 'identifier-shape', keys: 4 }] });
  });

  it('counts folded ids and joined names apart, and a word-and-number group as numbered', () => {
    const lines: string[] = [];
    for (let i = 0; i < 5; i++) lines.push(line('GET', `/feed/page-${i + 1}.atom`));
    lines.push(line('GET', '/feed/latest.atom'));
    const eps = learn(lines);
    const p = at(find(eps, 'GET', '/feed/page-{feed_id}.atom'), 1) as ParamEvidence;
    expect(p).toMatchObject({ values: 5, requests: 5, median: 1, rules: [{ code: 'numbered', keys: 5 }], literals: [{ name: 'latest.atom', requests: 1 }] });
  });

  it('stays small: at most five literal siblings beside a parameter', () => {
    const lines: string[] = [];
    for (let i = 0; i < 40; i++) lines.push(line('GET', `/things/${5000 + i * 13}`));
    for (const w of ['search', 'count', 'export', 'recent', 'mine', 'stats', 'summary']) for (let k = 0; k < 60; k++) lines.push(line('GET', `/things/${w}`));
    const eps = learn(lines);
    const p = at(find(eps, 'GET', '/things/{thing_id}'), 1) as ParamEvidence;
    expect(p.literals).toHaveLength(5);
    expect(p.keptLiterals).toBe(7);
  });

  it('lists no name only refused requests reached, yet counts it', () => {
    const lines = moviesTraffic();
    for (let i = 0; i < 12; i++) lines.push(line('GET', '/api/films/admin-export', 403));
    const p = at(find(learn(lines), 'GET', '/api/films/{film_id}'), 2) as ParamEvidence;
    expect(p.literals.map((l) => l.name)).toEqual(['trending', 'popular']);
    expect(p.keptLiterals).toBe(3);
  });

  it('has a sentence for every code', () => {
    for (const code of [...Object.keys(JOIN_RULES), ...Object.keys(KEEP_RULES)]) expect(ruleSentence(code)).not.toBe(code);
    expect(ruleSentence('from-a-later-version')).toBe('from-a-later-version');
  });
});

describe('medianPerValue', () => {
  it('takes folded values at their average among the single names', () => {
    expect(medianPerValue([], 0, 0)).toBe(0);
    expect(medianPerValue([1, 2, 9], 0, 0)).toBe(2);
    expect(medianPerValue([50, 60], 10, 20)).toBe(2);
    expect(medianPerValue([1, 1, 1, 1, 1], 2, 100)).toBe(1);
  });

  it('tallies rules by the names they took, most first', () => {
    const t = new ParamTally();
    t.folded(3, 6, false);
    t.joined(4, 'many-names');
    t.joined(2, 'many-names');
    t.joined(1, 'rare-beside-many');
    const png = new ParamTally();
    png.folded(2, 2, true);
    t.absorb(png);
    expect(t.evidence(3, [])).toEqual({
      kind: 'param', at: 3, values: 8, requests: 15, median: 1.6,
      rules: [{ code: 'identifier-shape', keys: 3 }, { code: 'file-names', keys: 2 }, { code: 'many-names', keys: 2 }, { code: 'overflow', keys: 2 }, { code: 'rare-beside-many', keys: 1 }],
      literals: [], keptLiterals: 0,
    });
  });
});

describe('readEvidence', () => {
  it('reads old rows (none kept) as null and leaves out entries it does not know', () => {
    expect(readEvidence(null)).toBeNull();
    expect(readEvidence(undefined)).toBeNull();
    const ok = { kind: 'literal', at: 1, code: 'vocabulary', requests: 3, siblings: 2 };
    expect(readEvidence([ok, { kind: 'literal', at: 2, code: 'unknown-rule', requests: 1, siblings: 1 }, 'x'])).toEqual([ok]);
  });
});

describeEachEngine('segment evidence in the inventory', (h) => {
  const analyst = () => ctxFor(h.db, actor('analyst'));
  const rowOf = async (template: string) => (await h.db.select().from(endpoints).where(eq(endpoints.template, template)))[0];

  it('is stored with each learned endpoint, read back by the detail, kept on rename and dropped for analysts\' templates', async () => {
    const eps = learn(moviesTraffic());
    await persistService(h.db, S, eps, new StatsBaseline(), new Date());
    const films = await rowOf('/api/films/{film_id}');
    expect(films.evidence).toEqual(find(eps, 'GET', '/api/films/{film_id}').evidence);
    const detail = await getEndpoint(ctxFor(h.db, actor('viewer')), { id: (await rowOf('/api/films/trending')).id, range: { preset: '1h' } });
    expect(detail.endpoint.evidence).toContainEqual({ kind: 'literal', at: 2, code: 'busy-beside-param', requests: 200, siblings: 41, beside: { name: 'film_id', median: 2 } });

    // the learner's next write replaces it with its latest view
    await persistService(h.db, S, learn([...moviesTraffic(), ...moviesTraffic()]), new StatsBaseline(), new Date());
    expect((await rowOf('/api/films/trending')).evidence).toContainEqual(expect.objectContaining({ at: 2, requests: 400 }));

    const before = (await rowOf('/api/films/{film_id}')).evidence;
    expect(before).toContainEqual(expect.objectContaining({ kind: 'param', at: 2, requests: 120 }));
    await renameParam(analyst(), { id: films.id, from: 'film_id', to: 'film' });
    expect((await rowOf('/api/films/{film}')).evidence).toEqual(before);

    const split = await splitEndpoint(analyst(), { id: films.id, param: 'film', value: 'classics', reason: 'a list of its own' });
    expect((await rowOf('/api/films/classics')).evidence).toBeNull();
    const merged = await mergeEndpoints(analyst(), { ids: [films.id, split.id, (await rowOf('/api/films/popular')).id], reason: 'all of them are films' });
    const row = (await h.db.select().from(endpoints).where(eq(endpoints.id, merged.id)))[0];
    expect(row).toMatchObject({ origin: 'manual', evidence: null });
    const shown = await getEndpoint(ctxFor(h.db, actor('viewer')), { id: merged.id, range: { preset: '1h' } });
    expect(shown.endpoint.evidence).toBeNull();
  });

  it('reads rows written before evidence was kept', async () => {
    await h.db.insert(endpoints).values({ id: 'ep_old', service: S, method: 'GET', template: '/old/{id}', templateKey: '/old/{}', params: [{ name: 'id', type: 'integer', examples: ['1*'] }] });
    const d = await getEndpoint(ctxFor(h.db, actor('viewer')), { id: 'ep_old', range: { preset: '1h' } });
    expect(d.endpoint.evidence).toBeNull();
    expect(d.endpoint.params).toEqual([{ name: 'id', type: 'integer', examples: ['1*'] }]);
  });
});
