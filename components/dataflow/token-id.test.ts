import { describe, expect, it } from 'vitest';
import { tokenHref } from './links';
import { isTokenId, tokenIdFromSegment, TOKEN_ID_MAX } from './token-id';

describe('tokenIdFromSegment', () => {
  it('reverses the encoding tokenHref applies', () => {
    for (const id of ['tok_3f9a', 'a/b c?d=e&f#g', 'ünïcode+%41', 'x%']) {
      const segment = tokenHref('range=1h', id).split('?')[0].slice('/data/tokens/'.length);
      expect(segment).not.toContain('/');
      expect(tokenIdFromSegment(segment)).toBe(id);
    }
  });

  it('keeps a segment that is not valid percent-encoding as written', () => {
    expect(tokenIdFromSegment('50%off')).toBe('50%off');
  });
});

describe('isTokenId', () => {
  it('refuses what the server would refuse', () => {
    expect(isTokenId('   ')).toBe(false);
    expect(isTokenId('a'.repeat(TOKEN_ID_MAX + 1))).toBe(false);
    expect(isTokenId('a'.repeat(TOKEN_ID_MAX))).toBe(true);
  });
});
