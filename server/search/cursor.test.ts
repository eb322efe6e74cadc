import { describe, expect, it } from 'vitest';
import { DomainError } from '@/server/errors';
import { decodeCursor, encodeCursor } from './cursor';
import { eventKey, parseEventKey } from './event-key';
// installs the tests' audit key, from which the cursors' key derives
import '@/server/testing/db';

const scope = { q: 'status:500', from: new Date('2026-01-15T12:00:00Z'), to: new Date('2026-01-15T13:00:00Z') };
const at = { ts: '2026-01-15T12:30:00.123456Z', id: '42' };

const refused = (f: () => unknown) => {
  let err: unknown;
  try {
    f();
  } catch (e) {
    err = e;
  }
  expect(err).toBeInstanceOf(DomainError);
  expect(err).toMatchObject({ code: 'BAD_REQUEST', message: expect.stringMatching(/cursor is not valid/) });
};

describe('search cursor', () => {
  it('round-trips a position to the microsecond', () => {
    expect(decodeCursor(scope, encodeCursor(scope, at))).toEqual(at);
  });

  it('refuses a cursor of another query or range', () => {
    const c = encodeCursor(scope, at);
    refused(() => decodeCursor({ ...scope, q: 'status:404' }, c));
    refused(() => decodeCursor({ ...scope, from: new Date('2026-01-15T11:00:00Z') }, c));
  });

  it('refuses garbled, forged and out-of-range cursors', () => {
    const c = encodeCursor(scope, at);
    refused(() => decodeCursor(scope, 'not a cursor'));
    refused(() => decodeCursor(scope, `${c}x`));
    refused(() => decodeCursor(scope, c.slice(0, -3)));
    refused(() => decodeCursor(scope, ''));
    refused(() => decodeCursor(scope, 'A'.repeat(300)));
    const text = Buffer.from(c, 'base64url').toString();
    const forge = (s: string) => Buffer.from(s).toString('base64url');
    refused(() => decodeCursor(scope, forge(text.replace('.42', ".42'; drop table x"))));
    refused(() => decodeCursor(scope, forge(text.replace('.42', '.99999999999999999999'))));
    // well-formed and inside the range, but not one the server gave out
    refused(() => decodeCursor(scope, forge(text.replace('.42.', '.41.'))));
    refused(() => decodeCursor(scope, forge(text.replace('12:30:00', '12:40:00'))));
    refused(() => decodeCursor(scope, forge(text.replace('12:30:00', '14:30:00'))));
    refused(() => decodeCursor(scope, forge(text.replace('v1.', 'v2.'))));
  });
});

describe('event key', () => {
  it('round-trips and refuses anything else', () => {
    const k = { ts: at.ts, proxyId: 'gw/1', requestId: 'r"1' };
    expect(parseEventKey(eventKey(k))).toEqual(k);
    expect(parseEventKey('%%%')).toBeNull();
    expect(parseEventKey(Buffer.from('[1,2,3]').toString('base64url'))).toBeNull();
    expect(parseEventKey(Buffer.from('["2026-01-15","a","b"]').toString('base64url'))).toBeNull();
  });
});
