import { describe, expect, it } from 'vitest';
import { compileQuery, parse } from '@/server/search/query';
import { pivotsOf } from './pivots';

const event = {
  token: 'tok_1"x', user: 'alice smith', clientAddress: '2001:db8::5', caller: 'shop/web', service: 'shop/cart', method: 'POST', endpoint: '/carts/{id}/items',
};

describe('pivots from an event', () => {
  it('offers each identity the event carries, the edge and the endpoint, as queries that parse', () => {
    const pivots = pivotsOf(event);
    expect(pivots.map((p) => p.label)).toEqual(['Same token', 'Same user', 'Same client address', 'Same edge', 'Same endpoint']);
    expect(pivots[3].q).toBe('caller:shop/web AND service:shop/cart');
    for (const p of pivots) expect(() => compileQuery(p.q), p.q).not.toThrow();
    expect(parse(pivots[0].q).root).toMatchObject({ kind: 'match', field: 'token', pattern: { parts: [{ kind: 'lit', text: 'tok_1"x' }] } });
    expect(parse(pivots[2].q).root).toMatchObject({ kind: 'address', match: { kind: 'exact', address: '2001:db8::5' } });
  });

  it('leaves out identities the event lacks', () => {
    expect(pivotsOf({ ...event, token: null, user: null, clientAddress: null }).map((p) => p.label)).toEqual(['Same edge', 'Same endpoint']);
  });
});
