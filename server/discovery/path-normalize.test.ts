import { describe, expect, it } from 'vitest';
import { normalizePath, splitExtension } from './path-normalize';

describe('normalizePath', () => {
  it('drops the trailing slash and empty segments', () => {
    expect(normalizePath('/users/12/').segments).toEqual(['users', '12']);
    expect(normalizePath('/').segments).toEqual([]);
  });

  it('decodes each segment on its own, keeping an encoded slash inside it', () => {
    expect(normalizePath('/files/a%2Fb/caf%C3%A9').segments).toEqual(['files', 'a/b', 'café']);
    expect(normalizePath('/bad/%E0%A4%A').segments).toEqual(['bad', '%E0%A4%A']);
  });

  it('separates the query string', () => {
    const p = normalizePath('/search?q=red+fox&page=2&flag');
    expect(p.segments).toEqual(['search']);
    expect(p.queryKeys).toEqual(['q', 'page', 'flag']);
    expect(p.queryValues).toEqual(['red fox', '2', '']);
  });
});

describe('splitExtension', () => {
  it('splits file types and custom methods off a stem', () => {
    expect(splitExtension('8812.json')).toEqual({ stem: '8812', ext: '.json' });
    expect(splitExtension('instance-1:restart')).toEqual({ stem: 'instance-1', ext: ':restart' });
  });
  it('leaves versions and dotted names alone', () => {
    expect(splitExtension('v1.2')).toEqual({ stem: 'v1.2', ext: '' });
    expect(splitExtension('Microsoft.Sql')).toEqual({ stem: 'Microsoft.Sql', ext: '' });
  });
});
