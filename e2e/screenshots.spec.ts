import { expect, test, type Page } from '@playwright/test';
import { seededTraffic } from './traffic';
import { anonymousApi, apiAs, baseURL, createAccount, createToken, createUser, otlpBatch, postHeartbeat, postOtlp, stateFile, submitSignIn, trpcData, trpcMutation, unique, uniqueEmail } from './support';

/**
 * Full-page screenshots of every page, in both colour schemes, for people to look at:
 * test-results/screenshots/<scheme>-<page>.png. Each waits for the data it shows.
 */
const DIR = 'test-results/screenshots';
/** The whole page, from the top (the sidebar is sticky, so a scrolled page would shift it). */
async function shot(page: Page, scheme: string, name: string) {
  await page.evaluate(() => window.scrollTo(0, 0));
  await page.screenshot({ path: `${DIR}/${scheme}-${name}.png`, fullPage: true });
}
/** What is on screen with a modal open (a modal is fixed to the viewport, so a full-page capture misplaces it). */
const dialogShot = (page: Page, scheme: string, name: string) => page.screenshot({ path: `${DIR}/${scheme}-${name}.png` });

let seeded: { proxies: { id: string; version: string; cluster: string; node: string }[]; token: string; tokenName: string; linkPath: string };

test.beforeAll(async ({ browser }) => {
  const admin = await apiAs('admin');
  const request = await anonymousApi();
  const tokenName = unique('prod-eu-1 sidecars');
  const { token } = await createToken(admin, tokenName);
  const spare = await createToken(admin, unique('staging gateways'));
  await trpcData(trpcMutation(admin, 'fleet.revokeToken', { tokenId: spare.id, reason: 'screenshots: a revoked token' }));
  await createUser(admin, 'analyst', uniqueEmail('shot-analyst'), 'screenshot-password-1');
  // An account the sign-in throttle holds failures against, for the users page.
  const locked = await createUser(admin, 'viewer', uniqueEmail('shot-locked'), 'screenshot-password-2');
  const signedOut = await browser.newContext({ baseURL, storageState: { cookies: [], origins: [] } });
  const signInPage = await signedOut.newPage();
  await signInPage.goto('/signin');
  for (let i = 0; i < 5; i++) await submitSignIn(signInPage, locked.email, `not-the-password-${i}`);
  await signedOut.close();
  // an account whose owner has not used the link yet, and an admin request waiting for a second admin
  const { linkPath } = await createAccount(admin, 'viewer', uniqueEmail('shot-waiting'), 'Waiting For Link');
  await trpcData(trpcMutation(admin, 'users.create', { email: uniqueEmail('shot-new-admin'), name: '', role: 'admin', reason: 'screenshots: joins the on-call rota' }));
  const proxies: { id: string; version: string; cluster: string; node: string }[] = [];
  const shapes = [
    { service: 'checkout', namespace: 'shop', cluster: 'eu-1', node: 'ip-10-0-1-17', version: '1.4.2', records: 12 },
    { service: 'payments', namespace: 'pay', cluster: 'eu-1', node: 'ip-10-0-2-9', version: '1.4.2', records: 30 },
    { service: 'catalog', namespace: 'shop', cluster: 'us-2', node: 'gke-pool-a-3', version: '1.3.9', records: 4 },
  ];
  for (const s of shapes) {
    const id = unique(`${s.service}-sidecar`);
    proxies.push({ id, version: s.version, cluster: s.cluster, node: s.node });
    expect((await postOtlp(request, token, otlpBatch(id, s))).status()).toBe(200);
    expect((await postHeartbeat(request, token, { proxy_id: id, version: s.version, cluster: s.cluster, node: s.node, policy_revision: 'r12' })).status()).toBe(200);
  }
  await admin.dispose();
  await request.dispose();
  seeded = { proxies, token, tokenName, linkPath };
});

for (const scheme of ['dark', 'light'] as const) {
  test.describe(`${scheme} scheme`, () => {
    test.use({ colorScheme: scheme, viewport: { width: 1280, height: 800 } });

    test.describe('signed out', () => {
      test.use({ storageState: { cookies: [], origins: [] } });

      test('sign-in page', async ({ page }) => {
        await page.goto('/signin');
        await submitSignIn(page, 'someone@example.com', 'not-the-password');
        await expect(page.locator('form').getByRole('alert')).toBeVisible();
        await shot(page, scheme, 'signin');
      });

      test('set-password page', async ({ page }) => {
        await page.goto(seeded.linkPath);
        await expect(page.getByTestId('link-email')).toContainText('shot-waiting');
        await page.getByLabel('New password').fill('abcdefghijklm');
        await page.getByLabel('Repeat the password').fill('abcdefghijklx');
        await expect(page.getByText('The passwords differ')).toBeVisible();
        await shot(page, scheme, 'set-password');
        await page.goto('/set-password#token=mwl_not-a-real-token');
        await expect(page.getByRole('alert').filter({ hasText: /\S/ })).toContainText('not valid');
        await shot(page, scheme, 'set-password-invalid');
      });
    });

    test.describe('admin', () => {
      test.use({ storageState: stateFile('admin') });

      test('fleet with data and the create-token dialog', async ({ page }) => {
        // the proxies beat again as real ones do: the suite may run longer than two heartbeat intervals since they were seeded
        const request = await anonymousApi();
        for (const p of seeded.proxies) {
          expect((await postHeartbeat(request, seeded.token, { proxy_id: p.id, version: p.version, cluster: p.cluster, node: p.node, policy_revision: 'r12' })).status()).toBe(200);
        }
        await request.dispose();
        await page.goto('/fleet');
        for (const p of seeded.proxies) await expect(page.getByTestId('proxy-row').filter({ hasText: p.id })).toContainText('reporting');
        await expect(page.getByTestId('token-row').filter({ hasText: seeded.tokenName })).toBeVisible();
        await shot(page, scheme, 'fleet');

        await page.getByRole('button', { name: 'Create token' }).click();
        const dialog = page.getByRole('dialog', { name: 'Create proxy token' });
        await dialog.getByLabel('Name').fill('prod-us-2 gateways');
        await dialog.getByLabel('Services').fill('*');
        await dialogShot(page, scheme, 'create-token-dialog');
        await dialog.getByRole('button', { name: 'Create token' }).click();
        await expect(page.getByRole('dialog', { name: 'Token created' }).getByTestId('new-token')).toHaveText(/^mwp_/);
        await dialogShot(page, scheme, 'token-created-dialog');
      });

      test('overview, sensitive data and a token', async ({ page }) => {
        await page.goto('/');
        await expect(page.getByRole('img', { name: /^Requests per interval/ }).locator('canvas').first()).toBeVisible();
        await expect(page.getByTestId('class-link').first()).toBeVisible();
        await expect(page.getByTestId('top-token').first()).toBeVisible();
        await shot(page, scheme, 'overview');

        await page.goto('/data');
        await expect(page.getByRole('region', { name: 'Class × token' }).getByRole('img').locator('canvas').first()).toBeVisible();
        await expect(page.getByTestId('flow-row').first()).toBeVisible();
        await shot(page, scheme, 'data');

        await page.goto(`/data/tokens/${encodeURIComponent(seededTraffic().token)}`);
        await expect(page.getByTestId('token-route').first()).toBeVisible();
        await shot(page, scheme, 'token');
      });

      test('API inventory and an endpoint', async ({ page }) => {
        await page.goto('/apis?service=shop%2Fcatalog');
        await page.getByRole('button', { name: 'Update from traffic' }).click();
        await expect(page.getByTestId('endpoint-row').first()).toBeVisible();
        await shot(page, scheme, 'apis');
        await page.getByTestId('endpoint-row').filter({ hasText: '{' }).first().getByRole('link').click();
        await expect(page.getByTestId('param-row').first()).toBeVisible();
        await expect(page.getByRole('img', { name: /^Calls to this endpoint/ }).locator('canvas').first()).toBeVisible();
        await shot(page, scheme, 'apis-endpoint');
      });

      test('users', async ({ page }) => {
        await page.goto('/settings/users');
        await expect(page.getByTestId('user-row').filter({ hasText: 'shot-analyst' }).first()).toBeVisible();
        await expect(page.getByTestId('lock-row').filter({ hasText: 'shot-locked' }).first()).toBeVisible();
        await expect(page.getByTestId('grant-row').filter({ hasText: 'shot-new-admin' }).first()).toBeVisible();
        await shot(page, scheme, 'users');
        await page.getByTestId('lock-row').filter({ hasText: 'shot-locked' }).first().getByRole('button', { name: /^Unlock/ }).click();
        await expect(page.getByRole('dialog', { name: 'Unlock account' })).toBeVisible();
        await dialogShot(page, scheme, 'unlock-dialog');
        await page.getByRole('dialog', { name: 'Unlock account' }).getByRole('button', { name: 'Cancel' }).click();
        await page.getByRole('button', { name: 'Add user' }).click();
        const dialog = page.getByRole('dialog', { name: 'Add user' });
        await dialog.getByLabel('Role').selectOption('admin');
        await expect(dialog.getByLabel('Why they need the admin role')).toBeVisible();
        await dialogShot(page, scheme, 'add-user-dialog');
      });

      test('search, with an event open', async ({ page }) => {
        const { edge } = seededTraffic();
        await page.goto(`/search?range=1h&q=${encodeURIComponent(`caller:${edge.src} AND service:${edge.dst}`)}`);
        await expect(page.getByTestId('search-total')).toHaveText(/^[\d,]+ events?$/);
        await expect(page.getByRole('img', { name: /^Matching events per/ }).locator('canvas').first()).toBeVisible();
        await page.getByTestId('search-row').nth(1).click();
        await expect(page.getByTestId('event-detail')).toBeVisible();
        await shot(page, scheme, 'search');
        await page.getByRole('combobox', { name: 'Query' }).fill('status:>=500 AND user_a');
        await expect(page.getByRole('listbox').getByRole('option').first()).toBeVisible();
        await dialogShot(page, scheme, 'search-autocomplete');
      });

      test('reports', async ({ page }) => {
        await page.goto('/reports');
        await page.getByLabel('Period').selectOption('last_24h');
        await page.getByRole('button', { name: 'Generate report' }).click();
        await expect(page.getByTestId('report-generated')).toBeVisible({ timeout: 90_000 });
        await shot(page, scheme, 'reports');
      });

      test('account', async ({ page }) => {
        await page.goto('/settings/account');
        await expect(page.getByTestId('session-row').first()).toBeVisible();
        await page.getByLabel('New password', { exact: true }).fill('abcdefghijklm');
        await page.getByLabel('Repeat new password').fill('abcdefghijklx');
        await expect(page.getByText('The passwords differ')).toBeVisible();
        await shot(page, scheme, 'account');
      });

      test('audit log, with an expanded entry', async ({ page }) => {
        await page.goto('/audit');
        await expect(page.getByTestId('audit-row').first()).toBeVisible();
        await page.getByRole('button', { name: 'Verify hash chain' }).click();
        await expect(page.getByTestId('verify-result')).toContainText('Chain intact');
        await shot(page, scheme, 'audit');
        await page.getByTestId('audit-row').filter({ hasText: 'proxy_token.revoke' }).first().getByRole('button', { name: /Details/ }).click();
        await expect(page.getByText('Previous hash')).toBeVisible();
        await shot(page, scheme, 'audit-expanded');
      });
    });

    test.describe('viewer', () => {
      test.use({ storageState: stateFile('viewer') });

      test('fleet and a forbidden page', async ({ page }) => {
        await page.goto('/fleet');
        await expect(page.getByTestId('token-row').filter({ hasText: seeded.tokenName })).toBeVisible();
        await shot(page, scheme, 'fleet-viewer');
        await page.goto('/audit');
        await expect(page.getByText('You do not have access to this page')).toBeVisible();
        await shot(page, scheme, 'forbidden');
      });
    });
  });
}
