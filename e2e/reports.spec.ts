import { mkdirSync, readFileSync } from 'node:fs';
import { expect, test } from '@playwright/test';
import { unzipSync } from 'fflate';
import { createHash } from 'node:crypto';
import { stateFile } from './support';

test.use({ viewport: { width: 1440, height: 900 } });

/** where a run keeps the report it generated, beside test-results/screenshots */
const KEEP = 'test-results/reports';

const sha256 = (b: Uint8Array) => createHash('sha256').update(b).digest('hex');

test.describe('as an analyst', () => {
  test.use({ storageState: stateFile('analyst') });

  test('generates a PCI-DSS report for the fleet, downloads the PDF and the evidence bundle whose manifest holds', async ({ page }) => {
    test.setTimeout(120_000);
    await page.goto('/reports');
    await expect(page.getByRole('heading', { level: 1, name: 'Compliance reports' })).toBeVisible();
    await page.getByLabel('Framework').first().selectOption('pci_dss_v4');
    await page.getByLabel('Period').selectOption('last_24h');
    // count the reports once the list has loaded (rows, or its empty state), not while it loads
    await expect(page.getByTestId('report-row').first().or(page.getByText('No reports yet'))).toBeVisible();
    const before = await page.getByTestId('report-row').count();
    await page.getByRole('button', { name: 'Generate report' }).click();
    await expect(page.getByTestId('report-generated')).toBeVisible({ timeout: 90_000 });
    await expect(page.getByTestId('report-row')).toHaveCount(before + 1);
    const row = page.getByTestId('report-row').first();
    await expect(row).toContainText('PCI');

    const [pdf] = await Promise.all([page.waitForEvent('download'), row.getByTestId('download-pdf').click()]);
    const pdfBytes = readFileSync((await pdf.path())!);
    expect(pdfBytes.subarray(0, 5).toString()).toBe('%PDF-');
    // kept with the run's screenshots, for a person to read
    mkdirSync(KEEP, { recursive: true });
    await pdf.saveAs(`${KEEP}/pci-dss-report.pdf`);

    const [bundle] = await Promise.all([page.waitForEvent('download'), row.getByTestId('download-bundle').click()]);
    const files = unzipSync(readFileSync((await bundle.path())!));
    const manifest = JSON.parse(new TextDecoder().decode(files['manifest.json'])) as { files: { path: string; sha256: string }[]; pdfSha256?: string };
    expect(manifest.files.length).toBeGreaterThan(2);
    for (const f of manifest.files) expect(sha256(files[f.path]), f.path).toBe(f.sha256);
    // the PDF downloaded is the one the bundle vouches for
    expect(sha256(files['report.pdf'])).toBe(sha256(pdfBytes));
    await bundle.saveAs(`${KEEP}/pci-dss-evidence.zip`);
  });

  test('adds a weekly schedule and deletes it', async ({ page }) => {
    await page.goto('/reports');
    const rows = page.getByTestId('schedule-row');
    await expect(rows.first().or(page.getByText('No schedules'))).toBeVisible();
    const before = await rows.count();
    await page.getByLabel('Cadence').selectOption('weekly');
    await page.locator('#schedule-services').fill('shop/cart');
    await page.getByRole('button', { name: 'Add schedule' }).click();
    await expect(rows).toHaveCount(before + 1);
    const added = rows.filter({ hasText: 'shop/cart' }).first();
    await expect(added).toContainText('weekly');
    await added.getByRole('button', { name: 'Delete' }).click();
    await page.getByRole('dialog', { name: 'Delete schedule' }).getByRole('button', { name: 'Delete schedule' }).click();
    await expect(rows).toHaveCount(before);
  });
});

test.describe('as a viewer', () => {
  test.use({ storageState: stateFile('viewer') });

  test('reads the history but cannot generate or download', async ({ page }) => {
    await page.goto('/reports');
    await expect(page.getByRole('heading', { level: 1, name: 'Compliance reports' })).toBeVisible();
    await expect(page.getByRole('button', { name: 'Generate report' })).toHaveCount(0);
    await expect(page.getByTestId('download-pdf')).toHaveCount(0);
    const res = await page.request.get('/api/reports/anything/pdf');
    expect(res.status()).toBe(403);
  });
});
