import { expect, it } from 'vitest';
import { proxyListInput } from '@/server/fleet/proxy-list-input';
import { readFleetParams } from './use-fleet-params';

const read = (qs: string) => readFleetParams(new URLSearchParams(qs));

it('reads the proxy list view from the URL, with the procedure\'s defaults', () => {
  expect(read('')).toEqual({ q: undefined, health: undefined, version: undefined, cluster: undefined, revision: undefined, rollout: undefined, sort: 'lastSeen', dir: 'desc', page: 0, pageSize: 25 });
  expect(read('q=+eu-1+&health=silent&version=1.4.2&cluster=%28none%29&revision=r12&rollout=outdated&sort=version&dir=asc&page=3&size=50')).toEqual({
    q: 'eu-1', health: 'silent', version: '1.4.2', cluster: '(none)', revision: 'r12', rollout: 'outdated', sort: 'version', dir: 'asc', page: 2, pageSize: 50,
  });
});

it('a column sorts in its own first direction when the URL names no direction', () => {
  expect(read('sort=name')).toMatchObject({ sort: 'name', dir: 'asc' });
  expect(read('sort=health')).toMatchObject({ sort: 'health', dir: 'desc' });
  expect(read('sort=cluster')).toMatchObject({ sort: 'cluster', dir: 'asc' });
});

it('drops a value that does not parse, keeping the rest, so what it asks the server always validates', () => {
  for (const qs of ['health=dead', 'sort=token&dir=up', 'page=0', 'page=-4', 'page=abc', 'page=1e9', 'size=30', 'size=', 'q=', `q=${'x'.repeat(300)}`, 'version=', 'cluster=%20', 'rollout=late']) {
    const v = read(`${qs}&revision=r1`);
    expect(proxyListInput.safeParse(v).success, qs).toBe(true);
    expect(v.revision, qs).toBe('r1');
  }
  expect(read('page=abc&size=30&sort=token')).toMatchObject({ page: 0, pageSize: 25, sort: 'lastSeen', dir: 'desc' });
  expect(read('page=1e9').page).toBe(100_000);
});
