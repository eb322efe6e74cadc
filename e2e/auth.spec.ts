import { expect, test, type Page } from '@playwright/test';
import {
  ADMIN, anonymousApi, apiAs, baseURL, createUser, fillSignIn, signIn, stateFile, submitSignIn, trpcData, trpcError, trpcMutation, trpcQuery, uniqueEmail,
} from './support';

const WRONG = 'Email or password is not correct.';
const DISABLED = 'This account is disabled. Ask an administrator.';
const THROTTLED = /^Too many sign-in attempts\. Try again in \d+ s\.$/;

/** The sign-in form's message (Next.js has a route announcer with role=alert too). */
const formAlert = (page: Page) => page.locator('form').getByRole('alert');

test.describe('sign-in page', () => {
  test('the right password lands on the overview as that person', async ({ page }) => {
    await signIn(page, ADMIN.email, ADMIN.password);
    await expect(page.getByRole('complementary').getByText(ADMIN.email)).toBeVisible();
    await expect(page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Users' })).toBeVisible();
  });

  test('after sign-in the console returns to the page asked for, never to another site', async ({ page }) => {
    await page.goto('/signin?callbackUrl=%2Faudit%3Faction%3Duser.');
    await fillSignIn(page, ADMIN.email, ADMIN.password);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await expect(page).toHaveURL(`${baseURL}/audit?action=user.`);
    await expect(page.getByRole('heading', { level: 1, name: 'Audit log' })).toBeVisible();

    // Leave the console before dropping the session: a console page whose next poll answers
    // 401 navigates to /signin by itself, racing the test's own navigation.
    const signOutQuietly = async () => {
      await page.goto('about:blank');
      await page.context().clearCookies();
    };
    await signOutQuietly();
    for (const evil of ['//evil.example/phish', 'http://evil.example/phish', '/\\evil.example']) {
      await page.goto(`/signin?callbackUrl=${encodeURIComponent(evil)}`);
      await fillSignIn(page, ADMIN.email, ADMIN.password);
      await page.getByRole('button', { name: 'Sign in' }).click();
      await expect(page).toHaveURL(`${baseURL}/`);
      await expect(page.getByRole('heading', { level: 1 })).toBeVisible();
      await signOutQuietly();
    }
  });

  test('a wrong password shows an error and stays on /signin', async ({ page }) => {
    await page.goto('/signin');
    await submitSignIn(page, ADMIN.email, 'not-the-admin-password');
    await expect(formAlert(page)).toHaveText(WRONG);
    await expect(page).toHaveURL(/\/signin/);
    // The email stays filled in, the password does not.
    await expect(page.getByLabel('Email')).toHaveValue(ADMIN.email);
    await expect(page.getByLabel('Password', { exact: true })).toHaveValue('');
  });

  test('a disabled account cannot sign in', async ({ page }) => {
    const admin = await apiAs('admin');
    const user = await createUser(admin, 'viewer', uniqueEmail('disabled'), 'disabled-user-password-1');
    await trpcData(trpcMutation(admin, 'users.setDisabled', { userId: user.id, disabled: true, reason: 'e2e: left the company' }));
    await admin.dispose();

    await page.goto('/signin');
    await submitSignIn(page, user.email, user.password);
    await expect(formAlert(page)).toHaveText(DISABLED);
    await expect(page).toHaveURL(/\/signin/);
  });

  test('sign-out returns to /signin, and a copy of the session cookie taken before is refused after it', async ({ page, browser }) => {
    await signIn(page, ADMIN.email, ADMIN.password);
    const captured = (await page.context().cookies()).filter((c) => c.name.endsWith('authjs.session-token'));
    expect(captured).toHaveLength(1);
    await page.getByRole('button', { name: 'Sign out' }).click();
    // the sign-out's own redirect: not the one a query of the page, refused once the session
    // ended, would make with a way back (components/shell/leaving.ts)
    await expect(page).toHaveURL(/\/signin$/);
    await expect(page.getByRole('heading', { name: 'Sign in' })).toBeVisible();
    await page.goto('/fleet');
    await expect(page).toHaveURL(/\/signin/);
    expect((await page.context().cookies()).some((c) => c.name.endsWith('authjs.session-token'))).toBe(false);

    // Someone who copied the cookie before the sign-out gets nothing with it: the session
    // itself was ended on the server, not only the cookie dropped from this browser.
    const thief = await browser.newContext({ baseURL, storageState: { cookies: captured, origins: [] } });
    expect(await trpcError(trpcQuery(thief.request, 'session.me'))).toMatchObject({ status: 401, code: 'UNAUTHORIZED' });
    const stolen = await thief.newPage();
    await stolen.goto('/fleet');
    await expect(stolen).toHaveURL(/\/signin/);
    await thief.close();
  });

  test('five wrong passwords make this address wait, even for the right password, until an admin unlocks the account', async ({ page, browser }) => {
    const admin = await apiAs('admin');
    const user = await createUser(admin, 'viewer', uniqueEmail('throttled'), 'throttled-user-password-1');
    await admin.dispose();

    await page.goto('/signin');
    for (let i = 1; i <= 5; i++) {
      await submitSignIn(page, user.email, `wrong-password-${i}`);
      await expect(formAlert(page)).toHaveText(WRONG);
    }
    // The fifth failure starts a 30 s wait: the right password is not even checked.
    await submitSignIn(page, user.email, user.password);
    await expect(formAlert(page)).toHaveText(THROTTLED);
    await expect(page).toHaveURL(/\/signin/);

    // An admin sees why and unlocks the account, giving a reason.
    const adminContext = await browser.newContext({ baseURL, storageState: stateFile('admin') });
    const users = await adminContext.newPage();
    await users.goto('/settings/users');
    const locks = users.getByRole('region', { name: 'Sign-in throttling' });
    const row = locks.getByTestId('lock-row').filter({ hasText: user.email });
    await expect(row.getByRole('cell').nth(2)).toHaveText('5');
    await expect(row).toContainText(/waiting \d+ s/);
    await row.getByRole('button', { name: `Unlock ${user.email}` }).click();
    const confirm = users.getByRole('dialog', { name: 'Unlock account' });
    await confirm.getByLabel(/Reason/).fill('e2e: the owner called the help desk');
    await confirm.getByRole('button', { name: 'Unlock' }).click();
    await expect(confirm).toBeHidden();
    await expect(row).toHaveCount(0);
    await adminContext.close();

    await fillSignIn(page, user.email, user.password);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await expect(page.getByRole('heading', { level: 1, name: 'Overview' })).toBeVisible();
  });

  test('the sign-in page sends its security headers', async ({ page }) => {
    const res = await page.goto('/signin');
    const h = res!.headers();
    const csp = h['content-security-policy'] ?? '';
    expect(csp).toContain("frame-ancestors 'none'");
    expect(csp).toMatch(/script-src [^;]*'nonce-[A-Za-z0-9+/=]{16,}'/);
    expect(csp).not.toContain('unsafe-eval');
    expect(h['x-content-type-options']).toBe('nosniff');
    expect(h['referrer-policy']).toBeTruthy();
    // The page's own scripts carry the nonce, so they run under that policy: the form is interactive.
    const nonce = /'nonce-([^']+)'/.exec(csp)![1];
    await expect(page.locator(`script[nonce]`).first()).toBeAttached();
    expect(await page.locator('script[src]').evaluateAll((els) => els.map((e) => (e as HTMLScriptElement).nonce))).toContain(nonce);
  });
});

test.describe('without a session', () => {
  test('every console page redirects to /signin', async ({ page }) => {
    for (const path of ['/fleet', '/audit', '/settings/users', '/settings/account', '/']) {
      await test.step(path, async () => {
        await page.goto(path);
        // …remembering where the visitor was going
        await expect(page).toHaveURL(path === '/' ? /\/signin$/ : `/signin?callbackUrl=${encodeURIComponent(path)}`);
        await expect(page.getByRole('heading', { name: 'Sign in' })).toBeVisible();
        await expect(page.getByRole('navigation', { name: 'Main' })).toHaveCount(0);
      });
    }
  });

  test('a forged session cookie counts as signed out', async ({ page, context }) => {
    await context.addCookies([
      { name: 'authjs.session-token', value: 'eyJhbGciOiJkaXIiLCJlbmMiOiJBMjU2R0NNIn0..forged.forged.forged', url: baseURL },
    ]);
    await page.goto('/fleet');
    await expect(page).toHaveURL(/\/signin/);
    const api = context.request;
    expect(await trpcError(trpcQuery(api, 'session.me'))).toMatchObject({ status: 401, code: 'UNAUTHORIZED' });
  });

  test('tRPC queries and mutations answer 401', async () => {
    const api = await anonymousApi();
    expect(await trpcError(trpcQuery(api, 'fleet.proxies'))).toMatchObject({ status: 401, code: 'UNAUTHORIZED' });
    expect(await trpcError(trpcQuery(api, 'users.list'))).toMatchObject({ status: 401, code: 'UNAUTHORIZED' });
    expect(await trpcError(trpcMutation(api, 'fleet.createToken', { name: 'anonymous' }))).toMatchObject({ status: 401, code: 'UNAUTHORIZED' });
    await api.dispose();
  });
});

test.describe('with an admin session', () => {
  test.use({ storageState: stateFile('admin') });

  test('a cross-origin mutation is refused with 403', async () => {
    const admin = await apiAs('admin');
    const name = `cross-origin-${Date.now()}`;
    const refused = await trpcError(trpcMutation(admin, 'fleet.createToken', { name }, 'http://evil.example'));
    expect(refused).toMatchObject({ status: 403, code: 'FORBIDDEN', message: 'Cross-origin request refused' });
    // …and nothing was created.
    const tokens = await trpcData<Array<{ name: string }>>(trpcQuery(admin, 'fleet.tokens'));
    expect(tokens.map((t) => t.name)).not.toContain(name);
    await admin.dispose();
  });

  test('the saved session opens the console', async ({ page }) => {
    await page.goto('/fleet');
    await expect(page.getByRole('heading', { level: 1, name: 'Fleet' })).toBeVisible();
  });
});
