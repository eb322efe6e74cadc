import { expect, test, type Page } from '@playwright/test';
import { anonymousApi, stateFile } from './support';

/** What the browser reports when the Content-Security-Policy blocks something (a script without the nonce). */
function cspViolations(page: Page): string[] {
  const seen: string[] = [];
  page.on('console', (m) => {
    if (/Content[- ]Security[- ]Policy/i.test(m.text())) seen.push(m.text());
  });
  return seen;
}

test.describe('an address that leads nowhere, signed in', () => {
  test.use({ storageState: stateFile('viewer') });

  for (const path of ['/nope', '/apis/does-not-exist/x', '/settings/nothing-here']) {
    test(`${path}: "Page not found" inside the console, with its navigation`, async ({ page }) => {
      const csp = cspViolations(page);
      const res = await page.goto(path);
      expect(res?.status()).toBe(404);
      await expect(page.getByRole('heading', { level: 1, name: 'Page not found' })).toBeVisible();
      await expect(page.getByTestId('not-found')).toContainText(`There is no page at ${path}`);
      const nav = page.getByRole('navigation', { name: 'Main' });
      await expect(nav.getByRole('link', { name: 'Fleet' })).toBeVisible();
      await expect(page.getByRole('button', { name: 'Sign out' })).toBeVisible();
      // The page's scripts run (they carry the request's nonce): a client-side link works.
      await nav.getByRole('link', { name: 'Fleet' }).click();
      await expect(page).toHaveURL(/\/fleet$/);
      await expect(page.getByRole('heading', { level: 1, name: 'Fleet' })).toBeVisible();
      expect(csp).toEqual([]);
    });
  }

  test('the ways back: the browser\'s Back, and the overview', async ({ page }) => {
    await page.goto('/fleet');
    await expect(page.getByRole('heading', { level: 1, name: 'Fleet' })).toBeVisible();
    await page.goto('/fleet/no-such-tab');
    const panel = page.getByTestId('not-found');
    await expect(panel).toContainText('There is no page at /fleet/no-such-tab');
    await panel.getByRole('button', { name: 'Go back' }).click();
    await expect(page).toHaveURL(/\/fleet$/);
    await expect(page.getByRole('heading', { level: 1, name: 'Fleet' })).toBeVisible();

    await page.goto('/nope?range=1h');
    await expect(page.getByTestId('not-found')).toContainText('There is no page at /nope'); // the path, not the query
    await expect(page.getByTestId('not-found')).not.toContainText('range=1h');
    await page.getByTestId('not-found').getByRole('link', { name: 'Go to the overview' }).click();
    await expect(page).toHaveURL(/\/$/);
    await expect(page.getByRole('heading', { level: 1, name: 'Overview' })).toBeVisible();
  });

  test('a detail page whose id names nothing says so inside the console', async ({ page }) => {
    const nav = page.getByRole('navigation', { name: 'Main' });

    await page.goto('/detections/det_does-not-exist');
    await expect(page.getByText('No such detection')).toBeVisible();
    await expect(page.getByRole('link', { name: 'Back to the queue' })).toBeVisible();
    await expect(nav).toBeVisible();

    await page.goto('/apis/ep_does-not-exist');
    await expect(page.getByText('This endpoint is no longer in the inventory')).toBeVisible();
    await expect(page.getByRole('link', { name: 'Back to the inventory' })).toBeVisible();
    await expect(nav).toBeVisible();

    await page.goto('/data/tokens/tok-never-seen');
    await expect(page.getByText('No traffic with this token has been recorded')).toBeVisible();
    await expect(nav).toBeVisible();

    // an id longer than any the console issues: the not-found page, not an input error
    const res = await page.goto(`/detections/${'x'.repeat(80)}`);
    expect(res?.status()).toBe(404);
    await expect(page.getByRole('heading', { level: 1, name: 'Page not found' })).toBeVisible();
    await expect(nav).toBeVisible();
  });
});

test.describe('an address that leads nowhere, signed out', () => {
  test.use({ storageState: { cookies: [], origins: [] } });

  test('a page address goes to sign-in, remembering where the visitor was going', async ({ page }) => {
    await page.goto('/apis/does-not-exist/x');
    await expect(page).toHaveURL(`/signin?callbackUrl=${encodeURIComponent('/apis/does-not-exist/x')}`);
    await expect(page.getByRole('heading', { name: 'Sign in' })).toBeVisible();
    await expect(page.getByRole('navigation', { name: 'Main' })).toHaveCount(0);
  });

  test('an unknown API path answers 404 without a redirect or the console', async () => {
    const api = await anonymousApi();
    for (const path of ['/api/does-not-exist', '/v1/traces']) {
      const res = await api.get(path, { maxRedirects: 0, failOnStatusCode: false });
      expect(res.status(), path).toBe(404);
      expect(await res.text(), path).not.toContain('Sign out');
    }
    await api.dispose();
  });
});
