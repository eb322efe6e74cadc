import { isHTTPAccessFallbackError } from 'next/dist/client/components/http-access-fallback/http-access-fallback';
import { expect, it } from 'vitest';
import { requestedPath } from './not-found-panel';
import { idFromSegment } from './route-param';

const notFound = (fn: () => unknown) => {
  try {
    fn();
  } catch (e) {
    return isHTTPAccessFallbackError(e);
  }
  return false;
};

it('decodes a detail page segment once', () => {
  expect(idFromSegment('ep_123')).toBe('ep_123');
  expect(idFromSegment('shop%2Forders', 256)).toBe('shop/orders');
  expect(idFromSegment('caf%C3%A9')).toBe('café');
});

it('answers not-found for a segment that cannot name anything', () => {
  expect(notFound(() => idFromSegment('%E0%A4%A'))).toBe(true); // broken percent-encoding
  expect(notFound(() => idFromSegment('%ZZ'))).toBe(true);
  expect(notFound(() => idFromSegment('%20%20'))).toBe(true); // blank
  expect(notFound(() => idFromSegment('x'.repeat(65)))).toBe(true);
  expect(notFound(() => idFromSegment('x'.repeat(64)))).toBe(false);
  expect(notFound(() => idFromSegment('x'.repeat(256), 256))).toBe(false);
  expect(notFound(() => idFromSegment('x'.repeat(257), 256))).toBe(true);
});

it('shows only the pathname of the address asked for, and nothing that is not a local path', () => {
  expect(requestedPath('/apis/missing/x?range=1h#top')).toBe('/apis/missing/x');
  expect(requestedPath('/nope')).toBe('/nope');
  expect(requestedPath('//evil.example/x')).toBeNull();
  expect(requestedPath('https://evil.example/')).toBeNull();
  expect(requestedPath('')).toBeNull();
  expect(requestedPath(null)).toBeNull();
});
