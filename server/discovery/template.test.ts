import { describe, expect, it } from 'vitest';
import { covers, formatTemplate, parseTemplate, templateKey } from './template';

const p = parseTemplate;

describe('templates', () => {
  it('parse and format round-trip, with parameters inside a segment', () => {
    for (const t of ['/', '/api/v1/users/{user_id}', '/files/{file_id}.json', '/v{version}/x', '/projects/{name}:cancel']) {
      expect(formatTemplate(p(t))).toBe(t);
    }
    expect(p('/files/{id}.json')).toEqual([{ kind: 'literal', text: 'files' }, { kind: 'mixed', prefix: '', name: 'id', suffix: '.json' }]);
  });

  it('keys ignore parameter names and trailing slashes', () => {
    expect(templateKey('/users/{user_id}/cars/{car_id}.json')).toBe('/users/{}/cars/{}.json');
    expect(templateKey('/users/{id}/')).toBe(templateKey('/users/{owner}'));
    expect(templateKey('/users/me')).toBe('/users/me');
  });

  it('a parameter covers literals and mixed segments; a literal covers only itself', () => {
    expect(covers(p('/users/{id}'), p('/users/me'))).toBe(true);
    expect(covers(p('/users/me'), p('/users/{id}'))).toBe(false);
    expect(covers(p('/users/{id}'), p('/users/{x}'))).toBe(true);
    expect(covers(p('/files/{id}'), p('/files/{id}.json'))).toBe(true);
    expect(covers(p('/files/{id}.json'), p('/files/a.json'))).toBe(true);
    expect(covers(p('/files/{id}.json'), p('/files/a.xml'))).toBe(false);
    expect(covers(p('/files/{id}.json'), p('/files/{id}'))).toBe(false);
    expect(covers(p('/users/{id}'), p('/users/{id}/cars'))).toBe(false);
    // `.json` alone is not a value of `{id}.json`: the parameter is never empty
    expect(covers(p('/files/{id}.json'), p('/files/.json'))).toBe(false);
  });
});
