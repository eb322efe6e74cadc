import { expect, test, type Browser, type Page } from '@playwright/test';
import { baseURL, stateFile, type Account } from './support';

/**
 * `/settings/clusters`: everyone reads how policies are compiled for each cluster; an admin sets
 * a cluster's trust domain and service-account template, sees what they make of the mesh's
 * services before saving, is stopped by a value SPIFFE refuses, and saves with a reason.
 */
const SHOTS = 'test-results/screenshots';

async function signedInAs(browser: Browser, account: Account): Promise<Page> {
  const context = await browser.newContext({ baseURL, storageState: stateFile(account) });
  return context.newPage();
}

test('a viewer reads the compile settings in force and is offered no control', async ({ browser }) => {
  const page = await signedInAs(browser, 'viewer');
  await page.goto('/settings/clusters');
  await expect(page.getByRole('heading', { level: 1, name: 'Clusters' })).toBeVisible();
  await expect(page.getByTestId('cluster-row').first()).toContainText('every cluster');
  await expect(page.getByRole('heading', { name: 'Change compile settings' })).toHaveCount(0);
  await expect(page.getByRole('button', { name: /^Edit/ })).toHaveCount(0);
  await page.context().close();
});

test('an admin previews and saves a cluster’s trust domain and service accounts', async ({ browser }) => {
  const cluster = `e2e-${Date.now().toString(36)}`;
  const page = await signedInAs(browser, 'admin');
  await page.goto('/settings/clusters');
  await page.getByLabel('or another cluster').fill(cluster);
  await page.getByRole('button', { name: 'Use', exact: true }).click();
  await expect(page).toHaveURL(new RegExp(`cluster=${cluster}`));
  await expect(page.getByLabel('Cluster', { exact: true })).toHaveValue(cluster);

  const save = page.getByTestId('save-cluster');
  const preview = page.getByTestId('cluster-preview');
  await page.getByLabel('Trust domain').fill('Prod Example');
  await expect(page.getByTestId('cluster-problems')).toContainText('A trust domain is lower-case letters');
  await expect(save).toBeDisabled();

  await page.getByLabel('Trust domain').fill('prod.example');
  await page.getByLabel('Service account', { exact: true }).fill('bookinfo-{name}');
  await page.getByLabel('Workload selector labels').fill('app = {name}\nversion = v1');
  await expect(preview.locator('tbody tr').first()).toContainText(/spiffe:\/\/prod\.example\/ns\/[a-z0-9-]+\/sa\/bookinfo-/);
  await expect(preview.locator('tbody tr').first()).toContainText('version=v1');
  await expect(page.getByTestId('cluster-problems')).toHaveCount(0);
  await page.getByLabel(/dry-run/).check();
  await expect(save).toBeEnabled();
  await page.screenshot({ path: `${SHOTS}/clusters-editor.png`, fullPage: true });

  await save.click();
  const dialog = page.getByRole('dialog', { name: `Save the settings of ${cluster}` });
  await expect(dialog).toContainText('prod.example');
  await dialog.getByLabel(/Reason/).fill('e2e: bookinfo accounts in this cluster');
  await dialog.getByRole('button', { name: 'Save settings' }).click();
  await expect(dialog).toBeHidden();
  const row = page.getByTestId('cluster-row').filter({ hasText: cluster });
  await expect(row).toContainText('prod.example');
  await expect(row).toContainText('bookinfo-{name}');
  await expect(row).toContainText('dry-run');
  await page.screenshot({ path: `${SHOTS}/clusters.png`, fullPage: true });

  // back to the * row, with a reason
  await row.getByRole('button', { name: 'Use *' }).click();
  const back = page.getByRole('dialog', { name: `Compile ${cluster} with the * row` });
  await back.getByLabel(/Reason/).fill('e2e: done');
  await back.getByRole('button', { name: 'Use the * row' }).click();
  await expect(back).toBeHidden();
  await expect(page.getByTestId('cluster-row').filter({ hasText: cluster })).toHaveCount(0);
  await page.context().close();
});
