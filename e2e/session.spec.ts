import { readFileSync } from 'node:fs';
import { expect, test, type BrowserContext } from '@playwright/test';
import { decode, encode } from 'next-auth/jwt';
import { E2E_AUTH_SECRET } from '../playwright.config';
import { apiAs, baseURL, createUser, signIn, stateFile, trpcError, trpcQuery, uniqueEmail } from './support';

const COOKIE = 'authjs.session-token';
const HOUR_MS = 3_600_000;

/** The claims of the admin session global-setup signed in (its server-side session is live). */
async function adminClaims() {
  const state = JSON.parse(readFileSync(stateFile('admin'), 'utf8')) as { cookies: Array<{ name: string; value: string }> };
  const cookie = state.cookies.find((c) => c.name === COOKIE);
  if (!cookie) throw new Error(`no ${COOKIE} in ${stateFile('admin')}`);
  const claims = await decode({ token: cookie.value, secret: E2E_AUTH_SECRET, salt: COOKIE });
  if (!claims?.sid) throw new Error('the admin session token names no session record');
  return claims;
}

/** A session token as the console would issue it, signed with its secret, for the admin's live session. */
async function session(context: BrowserContext, claims: { signedInAt: number; sid?: string | null }, maxAgeS: number) {
  const me = await adminClaims();
  const token: Record<string, unknown> = { sub: me.sub, email: me.email, uid: me.uid, role: me.role, signedInAt: claims.signedInAt };
  if (claims.sid !== null) token.sid = claims.sid ?? me.sid;
  const value = await encode({ token, secret: E2E_AUTH_SECRET, salt: COOKIE, maxAge: maxAgeS });
  await context.addCookies([{ name: COOKIE, value, url: baseURL }]);
}

test.describe('session lifetime', () => {
  test('a well-formed current session opens the console (control for the cases below)', async ({ page, context }) => {
    await session(context, { signedInAt: Date.now() }, 3600);
    await page.goto('/fleet');
    await expect(page.getByRole('heading', { level: 1, name: 'Fleet' })).toBeVisible();
  });

  test('an expired session token counts as signed out', async ({ page, context }) => {
    await session(context, { signedInAt: Date.now() - 2 * HOUR_MS }, -60);
    await page.goto('/fleet');
    await expect(page).toHaveURL(/\/signin/);
  });

  test('a session older than the lifetime ends, however recently it was refreshed', async ({ page, context }) => {
    await session(context, { signedInAt: Date.now() - 9 * HOUR_MS }, 3600);
    await page.goto('/fleet');
    await expect(page).toHaveURL(/\/signin/);
  });

  test('a validly signed token naming no session record, or one that does not exist, counts as signed out', async ({ page, context }) => {
    await session(context, { signedInAt: Date.now(), sid: null }, 3600);
    await page.goto('/fleet');
    await expect(page).toHaveURL(/\/signin/);
    await context.clearCookies();
    await session(context, { signedInAt: Date.now(), sid: 'ses_forged_but_well_signed' }, 3600);
    expect(await trpcError(trpcQuery(context.request, 'session.me'))).toMatchObject({ status: 401, code: 'UNAUTHORIZED' });
  });
});

test.describe('sign out everywhere', () => {
  test('ends the account\'s session in another browser, and lists the sessions before', async ({ browser }) => {
    const admin = await apiAs('admin');
    const user = await createUser(admin, 'viewer', uniqueEmail('everywhere'), 'everywhere-password-1');
    await admin.dispose();
    const laptop = await browser.newContext({ baseURL, storageState: { cookies: [], origins: [] } });
    const phone = await browser.newContext({ baseURL, storageState: { cookies: [], origins: [] } });
    const onLaptop = await laptop.newPage();
    const onPhone = await phone.newPage();
    await signIn(onLaptop, user.email, user.password);
    await signIn(onPhone, user.email, user.password);

    await onPhone.goto('/settings/account');
    const sessions = onPhone.getByRole('region', { name: 'Sessions' });
    await expect(sessions.getByTestId('session-row')).toHaveCount(2);
    await expect(sessions.getByTestId('session-row').filter({ hasText: 'this browser' })).toHaveCount(1);
    await sessions.getByRole('button', { name: 'Sign out everywhere' }).click();
    const confirm = onPhone.getByRole('dialog', { name: 'Sign out everywhere' });
    await confirm.getByRole('button', { name: 'Sign out everywhere' }).click();
    await expect(onPhone).toHaveURL(/\/signin\?notice=signed-out-everywhere$/);
    await expect(onPhone.getByRole('status')).toHaveText('Signed out everywhere: every session of your account has ended.');

    // The laptop still holds its cookie, but its session is over.
    expect((await laptop.cookies()).some((c) => c.name === COOKIE)).toBe(true);
    expect(await trpcError(trpcQuery(laptop.request, 'session.me'))).toMatchObject({ status: 401, code: 'UNAUTHORIZED' });
    await onLaptop.goto('/fleet');
    await expect(onLaptop).toHaveURL(/\/signin/);

    // Signing in again starts a new session.
    await signIn(onPhone, user.email, user.password);
    await laptop.close();
    await phone.close();
  });
});
