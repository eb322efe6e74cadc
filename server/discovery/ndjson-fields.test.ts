import { describe, expect, it } from 'vitest';
import { parseAccessLine } from './ndjson-fields';

describe('parseAccessLine', () => {
  it('reads the fields and ignores the rest', () => {
    expect(parseAccessLine('{"service":"a","method":"GET","path":"/x?y=1","status":200,"extra":[1]}')).toEqual({ service: 'a', method: 'GET', path: '/x?y=1', status: 200 });
    expect(parseAccessLine('{"path":"/x","service":"a","method":"GET"}')).toEqual({ service: 'a', method: 'GET', path: '/x', status: undefined });
  });

  it('falls back to JSON for escapes, spacing and repeated keys', () => {
    expect(parseAccessLine('{"service": "a", "method": "GET", "path": "/q\\"x", "status": 404}')).toEqual({ service: 'a', method: 'GET', path: '/q"x', status: 404 });
    expect(parseAccessLine('{"meta":{"path":"/inner"},"service":"a","method":"GET","path":"/outer"}')?.path).toBe('/outer');
    expect(parseAccessLine('{"service":"a","method":"GET","path":"/x","status":"oops"}')?.status).toBeUndefined();
  });

  it('reads the common field order in one pass, and anything after it through the general path', () => {
    expect(parseAccessLine('{"service":"a","method":"GET","path":"/x/1","status":200}')).toEqual({ service: 'a', method: 'GET', path: '/x/1', status: 200 });
    expect(parseAccessLine('{"service":"a","method":"PURGE","path":"/x"}')).toEqual({ service: 'a', method: 'PURGE', path: '/x', status: undefined });
    expect(parseAccessLine('{"service":"a","method":"GET","path":"/a\\"b","status":201}')?.path).toBe('/a"b');
    expect(parseAccessLine('{"service":"a","method":"GET","path":"/outer","status":200,"meta":{"path":"/inner"}}')?.path).toBe('/outer');
    expect(parseAccessLine('{"service":"a","method":"GET","path":"/x","status":200,"path":"/y"}')?.path).toBe('/y');
  });

  it('rejects what is not an observation', () => {
    expect(parseAccessLine('{not json')).toBeNull();
    expect(parseAccessLine('{"service":"a","path":"/x"}')).toBeNull();
    expect(parseAccessLine('[1,2]')).toBeNull();
  });
});
