import { expect, it } from 'vitest';
import { throttledMessage } from './retry-text';

it('says how long to wait, in seconds, then in minutes rounded up', () => {
  expect(throttledMessage(30)).toBe('Too many sign-in attempts. Try again in 30 s.');
  expect(throttledMessage(0.2)).toBe('Too many sign-in attempts. Try again in 1 s.');
  expect(throttledMessage(119)).toBe('Too many sign-in attempts. Try again in 119 s.');
  expect(throttledMessage(121)).toBe('Too many sign-in attempts. Try again in 3 min.');
  expect(throttledMessage(900)).toBe('Too many sign-in attempts. Try again in 15 min.');
  expect(throttledMessage(undefined)).toBe('Too many sign-in attempts. Try again later.');
});
