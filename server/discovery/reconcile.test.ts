import { describe, expect, it } from 'vitest';
import { planReconcile, type StoredRef } from './reconcile';

const stored = (id: string, template: string, state: StoredRef['state'] = 'learned', origin: StoredRef['origin'] = 'learned', method = 'GET'): StoredRef => ({
  id, method, template, state, origin,
});
const learned = (template: string, method = 'GET') => ({ method, template });

describe('planReconcile', () => {
  it('updates what is stored already, whatever its parameter names', () => {
    const p = planReconcile([stored('a', '/users/{owner}')], [learned('/users/{user_id}')]);
    expect(p.update).toEqual([{ id: 'a', learned: learned('/users/{user_id}') }]);
    expect(p.create).toEqual([]);
    expect(p.flag).toEqual([]);
  });

  it('unreviewed literals merged by new evidence are replaced by the wider template', () => {
    const p = planReconcile([stored('a', '/users/alice'), stored('b', '/users/bob')], [learned('/users/{user_id}')]);
    expect(p.create).toEqual([{ learned: learned('/users/{user_id}'), replaces: ['a', 'b'] }]);
    expect(p.remove.sort()).toEqual(['a', 'b']);
  });

  it('an approved endpoint stays approved when evidence merges it, and is flagged changed', () => {
    const p = planReconcile([stored('a', '/users/alice', 'approved'), stored('b', '/users/bob')], [learned('/users/{user_id}')]);
    expect(p.remove).toEqual(['b']);
    expect(p.flag).toEqual([{ id: 'a', reason: 'new evidence merges it into GET /users/{user_id}' }]);
  });

  it('a literal split out of an approved parameter flags the parameter; both stay', () => {
    const p = planReconcile([stored('a', '/users/{user_id}', 'approved')], [learned('/users/{user_id}'), learned('/users/me')]);
    expect(p.update.map((u) => u.id)).toEqual(['a']);
    expect(p.create).toEqual([{ learned: learned('/users/me'), replaces: [] }]);
    expect(p.flag).toEqual([{ id: 'a', reason: 'new evidence splits GET /users/me out of it' }]);
    expect(p.remove).toEqual([]);
  });

  it('an unreviewed parameter the learner now splits into literals goes; a rejected one stays', () => {
    const p = planReconcile([stored('a', '/files/{file_id}'), stored('r', '/x/{id}', 'rejected')], [learned('/files/a'), learned('/files/b'), learned('/x/1')]);
    expect(p.remove).toEqual(['a']);
    expect(p.create.map((c) => c.learned.template)).toEqual(['/files/a', '/files/b', '/x/1']);
    expect(p.flag).toEqual([{ id: 'r', reason: 'new evidence splits GET /x/1 out of it' }]);
  });

  it("an analyst's merge absorbs the narrower templates the learner keeps finding", () => {
    const p = planReconcile([stored('m', '/users/{user_id}', 'learned', 'manual')], [learned('/users/me'), learned('/users/{user_id}/cars')]);
    expect(p.absorb).toEqual([{ id: 'm', learned: learned('/users/me') }]);
    expect(p.create.map((c) => c.learned.template)).toEqual(['/users/{user_id}/cars']);
    expect(p.remove).toEqual([]);
  });

  it('methods are apart, and unrelated stored endpoints are left alone', () => {
    const p = planReconcile([stored('a', '/users/alice', 'learned', 'learned', 'POST'), stored('old', '/gone')], [learned('/users/{user_id}')]);
    expect(p.create).toEqual([{ learned: learned('/users/{user_id}'), replaces: [] }]);
    expect(p.remove).toEqual([]);
    expect(p.flag).toEqual([]);
  });
});
