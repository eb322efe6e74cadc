import { expect, it } from 'vitest';
import { verifiedOidcEmail } from './oidc';

it('matches an OIDC login by email only when the provider says email_verified: true', () => {
  const email = 'Ana@Example.test';
  expect(verifiedOidcEmail({ email })).toBeNull();
  expect(verifiedOidcEmail({ email, email_verified: false })).toBeNull();
  expect(verifiedOidcEmail({ email, email_verified: 'true' })).toBeNull();
  expect(verifiedOidcEmail({ email, email_verified: 1 })).toBeNull();
  expect(verifiedOidcEmail({ email, email_verified: null })).toBeNull();
  expect(verifiedOidcEmail({ email, email_verified: true })).toBe('ana@example.test');
});

it('refuses a verified claim without a usable email', () => {
  expect(verifiedOidcEmail(undefined)).toBeNull();
  expect(verifiedOidcEmail({ email_verified: true })).toBeNull();
  expect(verifiedOidcEmail({ email_verified: true, email: ['a@example.test'] })).toBeNull();
  expect(verifiedOidcEmail({ email_verified: true, email: 'not an address' })).toBeNull();
});
