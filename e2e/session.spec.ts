import { expect, test, type BrowserContext } from '@playwright/test';
import { encode } from 'next-auth/jwt';
import { E2E_AUTH_SECRET } from '../playwright.config';
import { apiAs, baseURL, trpcData, trpcQuery } from './support';

const COOKIE = 'authjs.session-token';
const HOUR_MS = 3_600_000;

async function adminIdentity() {
  const api = await apiAs('admin');
  const me = await trpcData<{ id: string; email: string; role: string }>(trpcQuery(api, 'session.me'));
  await api.dispose();
  return me;
}

/** A session token as the console would issue it, signed with its secret. */
async function session(context: BrowserContext, claims: { signedInAt: number }, maxAgeS: number) {
  const me = await adminIdentity();
  const value = await encode({
    token: { sub: me.id, email: me.email, uid: me.id, role: me.role, signedInAt: claims.signedInAt },
    secret: E2E_AUTH_SECRET,
    salt: COOKIE,
    maxAge: maxAgeS,
  });
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
});
