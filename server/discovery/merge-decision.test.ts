import { describe, expect, it } from 'vitest';
import { containment, decideParams, jaccard, type Candidate, type Position } from './merge-decision';
import { segmentFeatures } from './segment-features';
import { handles } from '@/server/testing/handles';

function cand(key: string, shape: string[], words: string[] = [], count = 1, ext = ''): Candidate {
  return { key, ext, features: segmentFeatures(key.slice(0, key.length - ext.length)), count, shape: new Set(shape), words: new Set(words) };
}

const inside: Position = { versionPosition: false, paramShape: null, paramWords: new Set(), parent: 'things' };

describe('decideParams', () => {
  it('joins identifiers and keeps versions', () => {
    const j = decideParams([cand('8812', ['$GET']), cand('v2', ['pets']), cand('search', ['$GET'])], { ...inside, parent: 'item' });
    expect([...j]).toEqual(['8812']);
  });

  it('keeps a lone word next to identifiers (`/users/me`)', () => {
    const pos: Position = { ...inside, parent: 'users', paramShape: new Set(['$GET', 'repos']), paramWords: new Set(['repos']) };
    expect(decideParams([cand('me', ['$GET', 'repos'], ['repos'], 5)], pos).size).toBe(0);
  });

  it('reads many camelCase names made of no API words as values (`/orgs/HamishOyelaran/…`), not as endpoints', () => {
    const pos: Position = { ...inside, parent: 'orgs', paramShape: new Set(['teams', 'hooks']), paramWords: new Set(['teams', 'hooks', 'members']), paramValues: 30 };
    const names = ['TorvikAlsund', 'MaelenOrrby', 'IskoaFennick', 'BrunusHolmgard', 'QadretQuill', 'VelmikAlsund', 'OssenOrrby', 'YarnaFennick'];
    // below each, names of its own (its teams): its words are mostly not its siblings', and it is requested too often to be a rare value
    const cands = names.map((n, i) => cand(n, ['teams', 'hooks'], ['teams', 'hooks', `${n}Crew`, `${n}Guild`, `${n}Band`, `${n}Club`], 10 + 2 * (i % 4)));
    expect(decideParams(cands, pos).size).toBe(names.length);
  });

  it('keeps names that lead to API versions literal, however much they look like host names (`/apis/storage.k8s.io/v1`)', () => {
    const groups = ['storage', 'networking', 'coordination', 'discovery', 'events', 'node', 'policy', 'scheduling', 'resource'].map((g) => `${g}.k8s.io`);
    const cands = groups.map((g, i) => cand(g, i % 2 === 0 ? ['v1', 'v1beta1', '$GET'] : ['v1', '$GET'], ['v1', 'v1beta1', 'namespaces', 'watch'], 20 + i));
    cands.push(cand('apps', ['v1', '$GET'], ['v1', 'deployments'], 300), cand('batch', ['v1', 'v2alpha1'], ['v1', 'jobs'], 120));
    expect(decideParams(cands, { ...inside, parent: 'apis' }).size).toBe(0);
  });

  it('takes many rarely requested names with versions below them as values (a registry: `/apis/{owner}/{api}/{version}`)', () => {
    const apis = handles(30, 17);
    const cands = apis.map((a, i) => cand(a, [['v1', 'v2'], ['v3'], ['v1', 'v4']][i % 3], ['comments', 'settings', 'default'], 1 + (i % 3)));
    expect(decideParams(cands, { ...inside, parent: 'apis' }).size).toBe(apis.length);
  });

  it('still takes tenants with API versions below them as values (`/{tenant}/v1/…`)', () => {
    const tenants = ['8f14e45f-ceea-467f-a0d6-4a5b6f1e2c3d', '1c383cd3-0b7c-4f2b-b4e5-a1e0e3e5c0d2', '45c48cce-2e2d-4fbd-8a1e-7b5e9d6c4a3f'];
    const j = decideParams(tenants.map((t) => cand(t, ['v1'], ['v1', 'orders'], 5)), { ...inside, parent: 'tenants' });
    expect(j.size).toBe(3);
  });

  it('takes a busy value framed like its siblings (SKU-…) into the parameter, not a busy word', () => {
    const L = 'ABCDEFGHJKLMNPQRSTUVWXYZ';
    const sku = (i: number) => `SKU-${L[i % 24]}${L[(i * 7) % 24]}${L[(i * 5 + 3) % 24]}${L[(i * 11 + 1) % 24]}`;
    const pos: Position = { ...inside, parent: 'stock', paramShape: new Set(['$GET']) };
    const cands = [cand('9f3c2e1a7b', ['$GET'], [], 1), ...Array.from({ length: 20 }, (_, i) => cand(sku(i), ['$GET'], [], 1 + (i % 3))), cand(sku(21), ['$GET'], [], 80), cand(sku(22), ['$GET'], [], 45), cand('summary', ['$GET'], [], 300), cand('lowstock', ['$GET'], [], 90)];
    const j = decideParams(cands, pos);
    expect(j.has(sku(21))).toBe(true);
    expect(j.has(sku(22))).toBe(true);
    expect(j.has(sku(3))).toBe(true);
    expect(j.has('summary')).toBe(false);
    expect(j.has('lowstock')).toBe(false);
  });

  it('keeps a word with nearly all of the traffic literal beside stray names that share its words (`/protocol/msg/…`)', () => {
    const words = ['get', 'config', 'set', 'port', 'add', 'mqtt', 'netflow', 'tftp'];
    const pos: Position = { ...inside, parent: 'protocol', paramShape: new Set(['get']), paramWords: new Set(['get', 'config']) };
    const cands = [cand('msg', ['$GET', ...words], words, 1866), cand('ktide', ['get'], ['get', 'config'], 1), cand('pelamam', ['get'], ['get', 'config'], 1)];
    const j = decideParams(cands, pos);
    expect(j.has('msg')).toBe(false);
  });

  it('keeps a word far more frequent than the values next to it', () => {
    const ids = [1001, 1002, 1003].map((n) => cand(String(n), ['repos'], ['repos'], 2));
    const words = ['me', 'self', 'current'].map((w) => cand(w, ['repos'], ['repos'], w === 'me' ? 500 : 2));
    const j = decideParams([...ids, ...words], { ...inside, parent: 'user' });
    expect(j.has('me')).toBe(false);
  });

  it('merges words that lead to the same suffixes', () => {
    const names = ['gorzu', 'mivalo', 'tenkasa', 'rabel', 'nixdor'].map((n, i) => cand(n, ['zones', 'images'], i % 2 ? ['zones', 'images'] : ['zones'], 3));
    expect(decideParams(names, { ...inside, parent: 'project' }).size).toBe(5);
  });

  it('keeps plural collections with shared sub-resources literal', () => {
    const cols = ['elements', 'attributes', 'tables', 'points', 'servers'].map((n) => cand(n, ['{}'], ['categories'], 3));
    expect(decideParams(cols, { ...inside, parent: 'api' }).size).toBe(0);
  });

  it('keeps words right under the root or a version literal', () => {
    const names = ['gorzu', 'mivalo', 'tenkasa', 'rabel', 'nixdor'].map((n) => cand(n, ['zones'], ['zones'], 50));
    expect(decideParams(names, { ...inside, versionPosition: true, parent: 'v1' }).size).toBe(0);
  });

  it('treats a dotted number as a version only where an API version can sit', () => {
    const asVersion = cand('1.0', ['a', 'b', 'c']);
    expect(decideParams([asVersion], { ...inside, parent: 'payroll' }).size).toBe(0);
    const releases = ['2.12.18', '4.11.16', '1.17.22'].map((v) => cand(v, ['$GET']));
    expect(decideParams(releases, { ...inside, parent: 'versions' }).size).toBe(3);
  });

  it('treats dates in a version position as literals until there are many', () => {
    const root: Position = { ...inside, versionPosition: true, parent: null };
    expect(decideParams([cand('2010-04-01', ['Accounts'])], root).size).toBe(0);
    const many = ['2024-01-01', '2024-01-02', '2024-01-03'].map((d) => cand(d, ['$GET']));
    expect(decideParams(many, root).size).toBe(3);
  });

  it('takes small numbers in a version position for identifiers beside many of the same shape', () => {
    const root: Position = { ...inside, versionPosition: true, parent: 'v1' };
    const ids = [402, 257, 395, 966].map((n) => cand(String(n), ['backups', 'databases'], ['backups', 'databases'], 3));
    const small = ['16', '20'].map((n) => cand(n, ['backups'], ['backups'], 1));
    expect(decideParams([...ids, ...small], root).size).toBe(6);
    // without them, `/v1/2/…` stays a version
    expect(decideParams([cand('2', ['pets', 'stores', 'users'], ['pets'], 40), ...small], root).size).toBe(0);
  });

  it('takes a resource name before a custom method (`{name}:cancel`)', () => {
    const j = decideParams([cand('op-77x:cancel', ['$POST'], [], 1, ':cancel'), cand('operations:cancel', ['$POST'], [], 1, ':cancel')], inside);
    expect([...j]).toEqual(['op-77x:cancel']);
  });
});

describe('collection items', () => {
  const col: Position = { ...inside, parent: 'diskTypes' };
  it('joins alike leaves outside the vocabulary under a collection', () => {
    const items = ['pine', 'tango', 'amber', 'quartzel'].map((k) => cand(k, ['$GET'], [], 3));
    expect(decideParams(items, col).size).toBe(4);
  });
  it('joins alike inner items too (`/runs/borvex/logs`, `/runs/quandle/logs`)', () => {
    const items = ['borvex', 'quandle', 'zintop'].map((k) => cand(k, ['logs', '$GET'], ['logs'], 2));
    expect(decideParams(items, { ...inside, parent: 'runs' }).size).toBe(3);
  });
  it('needs several of them', () => {
    expect(decideParams(['pine', 'tango'].map((k) => cand(k, ['$GET'])), col).size).toBe(0);
  });
  it('keeps vocabulary leaves and the unknown words beside them literal', () => {
    const leaves = ['search', 'count', 'export', 'heavy-equipment', 'rv'].map((k) => cand(k, ['$GET']));
    expect(decideParams(leaves, col).size).toBe(0);
  });
  it('keeps plurals literal', () => {
    expect(decideParams(['genders', 'colours', 'shapes', 'sizes'].map((k) => cand(k, ['$GET'])), col).size).toBe(0);
  });
  it('keeps a position literal when one sibling carries most of the traffic', () => {
    const leaves = [cand('yellow', ['$PUT'], [], 98), ...['green', 'purple', 'red'].map((k) => cand(k, ['$PUT'], [], 4))];
    expect(decideParams(leaves, col).size).toBe(0);
  });
  it('does not merge API areas that share their verbs (`/mimic/agent`, `/mimic/access`)', () => {
    const areas = ['agent', 'access', 'store', 'timer', 'protocol', 'session'].map((k) => cand(k, ['get', 'set', 'list'], ['get', 'set', 'list'], 20));
    expect(decideParams(areas, { ...inside, parent: 'mimic' }).size).toBe(0);
  });
});

describe('traffic evidence', () => {
  const prof = (o: Record<string, number>) => new Map(Object.entries(o));
  it('keeps literals next to identifiers that are API vocabulary (`/devices/count`)', () => {
    const ids = [5501, 5502, 5503].map((n) => cand(String(n), ['$GET'], [], 2));
    const words = ['count', 'export', 'search', 'summary'].map((w) => cand(w, ['$GET'], [], 2));
    const j = decideParams([...ids, ...words], { ...inside, parent: 'devices' });
    expect([...j].sort()).toEqual(['5501', '5502', '5503']);
  });
  it('keeps well-sampled siblings with sub-resources of their own apart', () => {
    const mk = (k: string, own: string[]) => {
      const c = cand(k, ['get', 'set', ...own], ['get', 'set', 'config', ...own], 100);
      c.profile = prof({ get: 30, set: 20, ...Object.fromEntries(own.map((o) => [o, 50 / own.length])) });
      return c;
    };
    const cs = [mk('snmpv3', ['group', 'usm']), mk('syslog', ['send']), mk('telnet', ['server']), mk('dhcpd', ['params']), mk('sflow', ['halt'])];
    expect(decideParams(cs, { ...inside, parent: 'msg' }).size).toBe(0);
  });
  it('keeps siblings apart when several busy ones have a busy sub-resource of their own (`/msg/snmpv3/usm`, `/msg/mqtt/client`)', () => {
    const mk = (k: string, mix: Record<string, number>) => {
      const keys = Object.keys(mix);
      const c = cand(k, keys, [...keys, 'config', 'args'], Object.values(mix).reduce((a, b) => a + b, 0));
      c.profile = prof(mix);
      return c;
    };
    const cs = [
      mk('ipmi', { get: 120, set: 8 }),
      mk('dhcp', { get: 40, set: 6 }),
      mk('syslog', { get: 45, set: 5 }),
      mk('coap', { get: 50, set: 12 }),
      mk('snmpv3', { get: 90, set: 6, usm: 25 }),
      mk('mqtt', { get: 80, set: 30, client: 40 }),
    ];
    expect(decideParams(cs, { ...inside, parent: 'msg' }).size).toBe(0);
  });
  it('still merges well-sampled values that share their suffixes', () => {
    const mk = (k: string, n: number) => {
      const c = cand(k, ['zones', 'images'], ['zones', 'images'], n);
      c.profile = prof({ zones: n * 0.6, images: n * 0.4 });
      return c;
    };
    const cs = [mk('gorzu', 200), mk('mivalo', 60), mk('tenkasa', 40), mk('rabel', 3), mk('nixdor', 2)];
    expect(decideParams(cs, { ...inside, parent: 'project' }).size).toBe(5);
  });
  it('merges well-sampled values whose sub-trees are values of their own (`/repos/{owner}/{repo}`)', () => {
    // each owner spreads its requests thinly over repositories from one shared pool, in a mix of its own
    const repos = handles(40, 3).map((h, i) => `${h}-${handles(40, 5)[(i * 7) % 40]}`);
    const owners = handles(30, 11).map((h, i) => `${h}.${handles(30, 13)[(i + 5) % 30]}`);
    const cs = owners.map((o, i) => {
      const mine = repos.filter((_, r) => (r * (i + 3)) % 5 < 2).slice(0, 8 + (i % 12));
      const c = cand(o, mine, [...mine, 'issues', 'pulls'], 2 * mine.length + (i % 3));
      c.profile = prof(Object.fromEntries(mine.map((r, k) => [r, 1 + (k % 3)])));
      return c;
    });
    expect(cs.filter((c) => c.count >= 30).length).toBeGreaterThanOrEqual(4);
    expect(decideParams(cs, { ...inside, parent: 'repos' }).size).toBe(owners.length);
    // the values below may be cased names too (`/build/{project}/{repository}/OndineHelmet`)
    const cased = cs.map((c, i) => {
      const mine = [...c.shape].map((r) => r.split('-').map((w) => w[0].toUpperCase() + w.slice(1)).join(''));
      const d = cand(c.key, mine, [...mine, 'issues', 'pulls'], c.count);
      d.profile = prof(Object.fromEntries(mine.map((r, k) => [r, 1 + ((k + i) % 3)])));
      return d;
    });
    expect(decideParams(cased, { ...inside, parent: 'repos' }).size).toBe(owners.length);
  });

  it('keeps a handful of verbs apart though each is followed by values (`/value/eval/{oid}`, `/value/mib/{oid}`)', () => {
    const oids = handles(40, 23);
    const verbs = ['eval', 'oid', 'mib', 'mget', 'meval', 'munset', 'mset', 'unset'];
    const cs = verbs.map((v, i) => {
      const mine = oids.filter((_, k) => (k + i) % 3 === 0);
      const c = cand(v, mine, [...mine], 30 + 10 * i);
      c.profile = prof(Object.fromEntries(mine.map((o, k) => [o, 1 + ((k * (i + 1)) % 4)])));
      return c;
    });
    expect(decideParams(cs, { ...inside, parent: 'value' }).size).toBe(0);
  });
  it('keeps siblings apart whose own sub-resources are few or busy, even among thin ones', () => {
    const mk = (k: string, own: Record<string, number>) => {
      const c = cand(k, Object.keys(own), Object.keys(own), 60);
      c.profile = prof(own);
      return c;
    };
    const cs = [mk('kelvar', { grapho: 40, mistal: 20 }), mk('durnik', { quoval: 45, brendle: 15 }), mk('sorvin', { yandle: 30, pexit: 30 }), mk('tamrik', { loskar: 50, fendle: 10 }), mk('vollen', { zarnik: 35, pilgor: 25 })];
    expect(decideParams(cs, { ...inside, parent: 'msg' }).size).toBe(0);
  });
  it('keeps a word with nearly all of the traffic apart from the few values beside it', () => {
    const area = cand('msgx', ['get', 'set'], ['get', 'set', 'config'], 1600);
    const values = ['gorzu', 'mivalo', 'tenkasa', 'rabel', 'nixdor'].map((n) => cand(n, ['get'], ['get', 'config'], 1));
    const j = decideParams([area, ...values], { ...inside, parent: 'protocol' });
    expect(j.has('msgx')).toBe(false);
    expect(j.size).toBe(5);
  });
});

describe('set similarity', () => {
  it('computes Jaccard and containment', () => {
    expect(jaccard(new Set(['a', 'b']), new Set(['b', 'c']))).toBeCloseTo(1 / 3);
    expect(jaccard(new Set(), new Set())).toBe(1);
    expect(containment(new Set(['a']), new Set(['a', 'b']))).toBe(1);
  });
});
