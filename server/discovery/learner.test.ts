import { describe, expect, it } from 'vitest';
import { DiscoveryLearner, learn, type Observation } from './learner';
import { templatesOf } from './merge-tree';
import { normalizePath } from './path-normalize';
import { insertPath, PathNode } from './path-tree';
import { handles } from '@/server/testing/handles';

const S = 'shop/api';

function line(method: string, path: string, status = 200): string {
  return JSON.stringify({ service: S, method, path, status, extra: 'ignored' });
}

function templates(lines: string[]): string[] {
  return learn(lines)
    .map((e) => `${e.method} ${e.template}`)
    .sort();
}

describe('learn', () => {
  it('turns id positions into parameters named after the parent', () => {
    const lines = [8812, 9013, 77, 12345].map((id) => line('GET', `/api/user/${id}/vehicle`));
    lines.push(line('GET', '/api/user/a9f3c2e1-0b7d-4c1e-9f00-1234567890ab/vehicle'));
    expect(templates(lines)).toEqual(['GET /api/user/{user_id}/vehicle']);
  });

  it('keeps /users/me next to /users/{id}', () => {
    const lines = [];
    for (let i = 0; i < 40; i++) lines.push(line('GET', `/users/${1000 + i * 7}`));
    for (let i = 0; i < 5; i++) lines.push(line('GET', '/users/me'));
    expect(templates(lines)).toEqual(['GET /users/me', 'GET /users/{user_id}']);
  });

  it('keeps version segments apart', () => {
    const lines = [line('GET', '/v1/pets/123'), line('GET', '/v2/pets/456'), line('GET', '/1/cards/5501')];
    expect(templates(lines)).toEqual(['GET /1/cards/{card_id}', 'GET /v1/pets/{pet_id}', 'GET /v2/pets/{pet_id}']);
  });

  it('keeps a date in version position literal', () => {
    const lines = [4411, 4412, 4413].map((n) => line('POST', `/2010-04-01/Accounts/${n}/Calls`));
    expect(templates(lines)).toEqual(['POST /2010-04-01/Accounts/{account_id}/Calls']);
  });

  it('treats many dates after a resource as values', () => {
    const lines = ['2024-01-01', '2024-02-11', '2024-03-05'].map((d) => line('GET', `/reports/daily/${d}`));
    expect(templates(lines)).toEqual(['GET /reports/daily/{daily_id}']);
  });

  it('keeps a small enumeration of words literal', () => {
    const lines = ['daily', 'weekly', 'monthly'].flatMap((p) => [line('GET', `/stats/${p}`), line('GET', `/stats/${p}`)]);
    expect(templates(lines)).toEqual(['GET /stats/daily', 'GET /stats/monthly', 'GET /stats/weekly']);
  });

  it('keeps literal collections with the same sub-resources apart', () => {
    const lines = ['elements', 'attributes', 'analyses', 'tables', 'points', 'servers'].flatMap((c) => [
      line('GET', `/things/${c}/${10000 + c.length}/categories`),
      line('GET', `/things/${c}/${20000 + c.length}/categories`),
    ]);
    expect(templates(lines)).toHaveLength(6);
  });

  it('merges word-valued positions whose values share their sub-tree', () => {
    const lines = handles(30).flatMap((h, i) => [
      line('GET', `/projects/${h}/zones`),
      line('POST', `/projects/${h}/${i % 2 ? 'zones' : 'images'}`),
    ]);
    expect(templates(lines)).toEqual([
      'GET /projects/{project_id}/zones',
      'POST /projects/{project_id}/images',
      'POST /projects/{project_id}/zones',
    ]);
  });

  it('takes randomly cased ids as values, camelCase-looking ones among them too', () => {
    const ids = ['N9fF', 'GjWVs', 'p0t1Yr', 'Yhm0rR', 'C1Be', 'gXtl', 'deMq', 'mwKrffm', 'wXhOekfo'];
    const lines = ids.map((id) => line('DELETE', `/accounts/556677889900/folders/${id}`));
    expect(templates(lines)).toEqual(['DELETE /accounts/{account_id}/folders/{folder_id}']);
  });

  it('keeps camelCase names literal next to ids that are not cased', () => {
    const lines = [8812, 9013, 7741, 12345].map((id) => line('GET', `/networks/${id}`));
    for (const name of ['l7FirewallRules', 'trafficShaping', 'applicationCategories']) lines.push(line('GET', `/networks/${name}`));
    expect(templates(lines)).toEqual(['GET /networks/applicationCategories', 'GET /networks/l7FirewallRules', 'GET /networks/trafficShaping', 'GET /networks/{network_id}']);
  });

  it('keeps plural sub-collections with a number in their name apart (`int64s`, `int32s`)', () => {
    const lines = ['int64s', 'int32s', 'floats'].flatMap((t) => [line('GET', `/strategy/tables/${t}`), line('GET', `/strategy/tables/${t}/7`)]);
    expect(templates(lines)).toEqual([
      'GET /strategy/tables/floats', 'GET /strategy/tables/floats/{float_id}', 'GET /strategy/tables/int32s', 'GET /strategy/tables/int32s/{int32_id}',
      'GET /strategy/tables/int64s', 'GET /strategy/tables/int64s/{int64_id}',
    ]);
  });

  it('keeps a `v` release version that carries an API literal wherever it sits', () => {
    const lines = ['accounts', 'balances', 'parties', 'payments'].map((r) => line('GET', `/sandbox/accountinfo/oauth2/v3.1.5/${r}`));
    expect(templates(lines)).toHaveLength(4);
    expect(templates(lines).every((t) => t.includes('/v3.1.5/'))).toBe(true);
  });

  it('keeps a long list of resource collections under an id literal, however alike their shapes', () => {
    const names = ['card', 'invoice', 'company', 'event', 'reward', 'registry', 'attachment', 'schedule', 'monetary-account', 'oauth-client',
      'challenge-request', 'whitelist-sdd', 'tree-progress', 'card-batch', 'card-debit', 'legal-name', 'insights', 'card-credit', 'limit', 'card-name'];
    const lines = names.flatMap((n, i) => (i % 3 === 0 ? [line('POST', `/v1/user/4411/${n}`)] : [line('GET', `/v1/user/4411/${n}/${7001 + i}`), line('POST', `/v1/user/4412/${n}`)]));
    expect(templates(lines).some((t) => t.includes('/v1/user/{user_id}/{'))).toBe(false);
  });

  it('takes many unknown names that each lead to an identifier as values (`/apis/{owner}/{api}`)', () => {
    const lines = handles(30).flatMap((h, i) => [
      line('GET', `/apis/${h}/${5000 + i}/settings`),
      line('GET', `/apis/${h}/${6000 + i}/comments`),
    ]);
    expect(templates(lines)).toEqual(['GET /apis/{apis_id}/{id}/comments', 'GET /apis/{apis_id}/{id}/settings']);
  });

  it('keeps the version after a bare `v` literal (`/codeadmin/v/2/…`)', () => {
    const lines = [101, 202, 303].flatMap((n) => [line('GET', `/codeadmin/v/2/library/${n}`), line('GET', `/codeadmin/v/3/library/${n}`)]);
    expect(templates(lines)).toEqual(['GET /codeadmin/v/2/library/{library_id}', 'GET /codeadmin/v/3/library/{library_id}']);
  });

  it('learns a parameter inside a segment', () => {
    const lines = [101, 202, 3003].map((n) => line('GET', `/items/${n}.json`));
    lines.push(line('GET', '/items/count.json'));
    expect(templates(lines)).toEqual(['GET /items/count.json', 'GET /items/{item_id}.json']);
  });

  it('takes a file name with its type as one value when it comes in many types', () => {
    const files = ['a1b2c3d4e5.png', 'f6a7b8c9d0.pdf', 'b1c2d3e4f5.txt', 'c9d8e7f6a5.jpg'].map((f) => line('GET', `/files/${f}`));
    expect(templates(files)).toEqual(['GET /files/{file_id}']);
    const formats = [101, 202, 3003].flatMap((n) => [line('GET', `/items/${n}.json`), line('GET', `/items/${n}.xml`)]);
    expect(templates(formats)).toEqual(['GET /items/{item_id}.json', 'GET /items/{item_id}.xml']);
  });

  it('takes codes with made-up prefixes side by side (`QIC-204`, `XB-31`) for one parameter, not families of pages', () => {
    const lines: string[] = [];
    for (let i = 0; i < 12; i++) lines.push(line('GET', `/game/QIC-${204 + 37 * i}/endpoints`), line('POST', `/game/XB-${31 + 53 * i}/endpoints`));
    for (let i = 0; i < 5; i++) lines.push(line('GET', '/game/search'));
    expect(templates(lines)).toEqual(['GET /game/search', 'GET /game/{game_id}/endpoints', 'POST /game/{game_id}/endpoints']);
  });

  it('learns a number after a literal word inside a segment (`page-{n}.atom`)', () => {
    const lines = [3, 32, 74, 9].map((n) => line('GET', `/brands/popular/page-${n}.atom`));
    lines.push(line('GET', '/brands/popular/all.atom'));
    expect(templates(lines)).toEqual(['GET /brands/popular/all.atom', 'GET /brands/popular/page-{popular_id}.atom']);
  });

  it('keeps the literal word of a numbered family whatever the length of its numbers', () => {
    const lines = [8999226, 132, 40512, 77, 1234567].map((n) => line('GET', `/search/page-${n}.atom`));
    lines.push(line('GET', '/search/all.atom'));
    expect(templates(lines)).toEqual(['GET /search/all.atom', 'GET /search/page-{search_id}.atom']);
  });

  it('knows a numbered family the service shows in full, where only one of its members was requested', () => {
    const lines = [3, 32, 74, 9].map((n) => line('GET', `/brands/popular/page-${n}.atom`));
    lines.push(line('GET', '/brands/latest/page-7.atom'), line('GET', '/brands/latest/all.atom'));
    expect(templates(lines)).toEqual([
      'GET /brands/latest/all.atom', 'GET /brands/latest/page-{latest_id}.atom', 'GET /brands/popular/page-{popular_id}.atom',
    ]);
    // seen nowhere in full, a single numbered name stays what it is
    expect(templates([line('GET', '/brands/latest/page-7.atom'), line('GET', '/brands/latest/all.atom')])).toEqual([
      'GET /brands/latest/all.atom', 'GET /brands/latest/page-7.atom',
    ]);
  });

  it('ignores trailing slashes, decodes percent-encoding and learns the query apart', () => {
    const l = new DiscoveryLearner();
    l.observeLine(line('GET', '/search/?q=red&page=2'));
    l.observeLine(line('GET', '/search?q=blue&page=3&sort=asc'));
    l.observeLine(line('GET', '/tags/caf%C3%A9'));
    const eps = l.endpoints();
    const search = eps.find((e) => e.template === '/search')!;
    expect(search.count).toBe(2);
    expect(search.query.map((q) => [q.name, q.count, q.type])).toEqual([
      ['page', 2, 'integer'],
      ['q', 2, 'string'],
      ['sort', 1, 'string'],
    ]);
    expect(eps.map((e) => e.template).sort()).toEqual(['/search', '/tags/café']);
  });

  it('learns raw paths as normalizePath splits them (query with slashes, empty segments, fragments, escapes)', () => {
    const paths = [
      '/a/b?next=/c/d',
      '/a/b?next=/c/d&x=1+2',
      '//a///b/',
      '/a/b/?',
      '/a/b#frag/x',
      '/a/b?x=1#f/g',
      '/a/caf%C3%A9?k=/v',
      '/',
      '',
      '?only=/query',
      '/files/report.json',
      '/files/8812.json',
      '/v1/items:export',
      ...[8812, 9013, 77, 12345, 123456789].flatMap((id) => [`/users/${id}/orders?page=${id}`, `/users/${id}/profile`]),
    ];
    const l = new DiscoveryLearner();
    const root = new PathNode();
    for (const [i, path] of paths.entries()) {
      const o: Observation = { service: S, method: i % 2 ? 'GET' : 'post', path, status: i % 5 ? 200 : 403 };
      l.observe(o);
      const p = normalizePath(path);
      insertPath(root, p.segments, o.method.toUpperCase(), o, p.queryKeys, p.queryValues);
    }
    expect(l.endpoints()).toEqual(templatesOf(S, root));
  });

  it('types parameters and keeps redacted examples', () => {
    const uuids = ['21c3e911-7489-4412-a266-11399f89e02d', '0b7d4c1e-9f00-4412-a266-1234567890ab'];
    const eps = learn([
      ...uuids.map((u) => line('GET', `/orders/${u}`)),
      ...['ann@example.com', 'bob@example.org'].map((m) => line('GET', `/subscribers/${m}`)),
      ...[5512, 5513].map((n) => line('GET', `/invoices/${n}`)),
    ]);
    const byTemplate = new Map(eps.map((e) => [e.template, e.params[0]]));
    expect(byTemplate.get('/orders/{order_id}')?.type).toBe('uuid');
    expect(byTemplate.get('/subscribers/{subscriber_id}')?.type).toBe('email');
    const inv = byTemplate.get('/invoices/{invoice_id}')!;
    expect(inv.type).toBe('integer');
    expect(inv.examples.length).toBeGreaterThan(0);
    for (const e of inv.examples) expect(e).toMatch(/^5\*+$/);
  });

  it('skips 404s and malformed lines', () => {
    const l = new DiscoveryLearner();
    l.observeLine(line('GET', '/.env', 404));
    l.observeLine('{not json');
    l.observeLine(JSON.stringify({ service: S, path: '/x' }));
    expect(l.endpoints()).toEqual([]);
    expect(l.rejected).toBe(2);
  });

  it('gives the same result fed in batches as in one go', () => {
    const lines: string[] = [];
    for (let i = 0; i < 200; i++) lines.push(line(i % 3 ? 'GET' : 'PUT', `/users/${1000 + ((i * 37) % 150)}/repos/${handles(20)[i % 20]}`));
    lines.push(line('GET', '/users/me'));
    const batch = learn(lines);
    const l = new DiscoveryLearner();
    for (let i = 0; i < lines.length; i += 17) {
      for (const x of lines.slice(i, i + 17)) l.observeLine(x);
      l.endpoints(); // asking in between must not change what is learned
    }
    expect(l.endpoints()).toEqual(batch);
  });

  it('keeps the distinct values tracked per position under the cap on an unbounded stream', () => {
    const l = new DiscoveryLearner({ childCap: 32 });
    const obs: Observation = { service: S, method: 'GET', path: '' };
    for (let i = 0; i < 50_000; i++) l.observe({ ...obs, path: `/tags/${handles(1, i + 1)[0]}x${i.toString(36)}q/items` });
    const root = (l as unknown as { trees: Map<string, import('./path-tree').PathNode> }).trees.get(S)!;
    const tags = root.children.get('tags')!;
    expect(tags.children.size).toBeLessThanOrEqual(32);
    const folded = tags.params.get('')!;
    expect(folded.sketch.size).toBeLessThanOrEqual(32);
    expect(folded.sketch.estimate()).toBeGreaterThan(25_000);
    expect(l.endpoints().map((e) => e.template)).toContain('/tags/{tag_id}/items');
  });
});
