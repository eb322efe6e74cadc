// Names qualified by one of the API's own namespaces (OData type casts and bound functions,
// `microsoft.graph.user`, `microsoft.graph.delta(token='x')`) are the API's syntax, never values.
import { describe, expect, it } from 'vitest';
import { learn } from './learner';
import { apiNamespaces, inApiNamespace, NAMESPACE_MEMBERS } from './merge-evidence';
import { looksStrongId } from './segment-features';

const S = 'directory/api';
const line = (method: string, path: string, status = 200) => JSON.stringify({ service: S, method, path, status });

describe('API namespaces', () => {
  const members = ['user', 'group', 'device', 'application', 'delta()', 'restore', 'getByPath(path=\'a/b\')', 'reprovision'];

  it('are namespaces that qualify many different names across the service', () => {
    expect(apiNamespaces(members.map((m) => `contoso.dir.${m}`))).toEqual(new Set(['contoso.dir']));
    expect(apiNamespaces(members.slice(0, NAMESPACE_MEMBERS - 1).map((m) => `contoso.dir.${m}`)).size).toBe(0);
  });

  it('are not host names, which qualify a handful of top-level domains', () => {
    const hosts = ['api.example.com', 'api.example.org', 'api.example.net', 'www.example.com', 'mail.example.io', 'shop.example.de', 'eu.example.fr', 'us.example.co'];
    expect(apiNamespaces(hosts).size).toBe(0);
    expect(inApiNamespace('api.example.com', apiNamespaces(hosts))).toBe(false);
  });

  it('keep type casts and function calls literal beside identifiers, with their reason', () => {
    const lines: string[] = [];
    const casts = ['user', 'group', 'device', 'application'];
    for (let i = 0; i < 40; i++) {
      const id = `${4100 + i * 13}`;
      lines.push(line('GET', `/v1/groups/${id}/members`), line('GET', `/v1/groups/${id}/members/${9000 + i}`));
      for (const c of casts) lines.push(line('GET', `/v1/groups/${id}/members/contoso.dir.${c}`));
    }
    // elsewhere in the API, more names of the same namespace
    for (const f of ['delta()', 'restore', 'reprovision', 'getByPath(path=\'x\')', 'follow', 'unfollow']) lines.push(line('POST', `/v1/drives/77/items/88/contoso.dir.${f}`));
    const eps = learn(lines);
    const templates = eps.map((e) => `${e.method} ${e.template}`);
    for (const c of casts) expect(templates).toContain(`GET /v1/groups/{group_id}/members/contoso.dir.${c}`);
    expect(templates).toContain('GET /v1/groups/{group_id}/members/{member_id}');
    const user = eps.find((e) => e.template === '/v1/groups/{group_id}/members/contoso.dir.user');
    expect(user?.evidence?.find((x) => x.at === 4)).toMatchObject({ kind: 'literal', code: 'qualified-name' });
  });

  it('do not fold a namespaced call with numbers in its arguments as an identifier at insert time', () => {
    expect(looksStrongId("contoso.dir.getM365AppUserDetail(date=2024-01-31)")).toBe(false);
    expect(looksStrongId('contoso.dir.cell(row=12,column=3)')).toBe(false);
    // an identifier with a dot and digits still is one
    expect(looksStrongId('inv-20391.x7f3k9')).toBe(true);
  });
});
