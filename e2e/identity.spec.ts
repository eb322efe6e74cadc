import { expect, test } from '@playwright/test';
import { apiAs, baseURL, createToken, otlpBatch, postOtlp, stateFile } from './support';

/**
 * A proxy whose log format leaves out the peer certificate: every request it reports comes
 * from `external`. Overview and Fleet say so, name the service and the proxy, and link to
 * configurations that send the identity.
 */
test('traffic without caller identity is flagged on the overview and in Fleet, with the fix one click away', async ({ browser }) => {
  const admin = await apiAs('admin');
  const name = `noid-${Date.now().toString(36)}`;
  const service = `shop/${name}`;
  const proxy = `${name}-7f9c`;
  const { token } = await createToken(admin, `e2e ${name}`, [service]);
  const r = await postOtlp(admin, token, otlpBatch(proxy, { service: name, namespace: 'shop', records: 150 }));
  expect(r.status()).toBe(200);

  const page = await (await browser.newContext({ baseURL, storageState: stateFile('viewer') })).newPage();
  await page.goto('/');
  const onOverview = page.getByTestId('identity-warning');
  await expect(onOverview).toContainText('Telemetry without the caller');
  await page.goto('/fleet');
  const warning = page.getByTestId('identity-warning');
  await expect(warning.getByTestId('identity-service').filter({ hasText: service })).toBeVisible();
  await expect(warning).toContainText(`150 of 150 requests, reported by ${proxy}`);
  await page.screenshot({ path: 'test-results/screenshots/fleet-identity-warning.png', fullPage: true });
  await warning.getByRole('link', { name: /Send the peer certificate/ }).click();
  await expect(page.getByRole('heading', { level: 1, name: /Telemetry with the caller/ })).toBeVisible();
  await expect(page.getByRole('heading', { name: 'Istio: the access-log provider' })).toBeVisible();
  await expect(page.locator('pre.config-block').first()).toContainText('%DOWNSTREAM_PEER_URI_SAN%');
  await page.screenshot({ path: 'test-results/screenshots/help-telemetry.png', fullPage: true });
  await page.context().close();
  await admin.dispose();
});
