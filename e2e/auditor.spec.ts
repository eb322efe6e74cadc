import { readFileSync } from 'node:fs';
import { createHash } from 'node:crypto';
import { expect, test, type Page } from '@playwright/test';
import { unzipSync } from 'fflate';
import { ACCOUNTS, apiAs, createToken, stateFile, trpcData, trpcError, trpcMutation, trpcQuery, unique } from './support';

/**
 * The read-only auditor (SPEC "Roles", PCI-DSS 10.3.1): reads the views, the audit log and the
 * reports with their evidence; changes nothing. The account is made by global-setup.
 */
test.use({ storageState: stateFile('auditor'), viewport: { width: 1440, height: 900 } });

const sha256 = (b: Uint8Array) => createHash('sha256').update(b).digest('hex');
const nav = (page: Page) => page.getByRole('navigation', { name: 'Main' });

test('the navigation has the views, the audit log and reports, not the user list', async ({ page }) => {
  await page.goto('/');
  await expect(page.getByRole('heading', { level: 1, name: 'Overview' })).toBeVisible();
  for (const name of ['Overview', 'Service graph', 'Sensitive data', 'Search', 'Detections', 'Thresholds', 'APIs', 'Policies', 'Fleet', 'Reports', 'Audit log', 'My account']) {
    await expect(nav(page).getByRole('link', { name, exact: true })).toBeVisible();
  }
  await expect(nav(page).getByRole('link', { name: 'Users' })).toHaveCount(0);

  await page.goto('/settings/users');
  await expect(page.getByText('You do not have access to this page')).toBeVisible();
  await expect(page.getByText('It needs the admin role.')).toBeVisible();
  await expect(page.getByRole('table')).toHaveCount(0);

  const api = await apiAs('auditor');
  expect(await trpcData(trpcQuery(api, 'session.me'))).toMatchObject({ email: ACCOUNTS.auditor.email, role: 'auditor' });
  expect(await trpcError(trpcQuery(api, 'users.list'))).toMatchObject({ status: 403, code: 'FORBIDDEN' });
  await api.dispose();
});

test('reads the audit log with its targets named, verifies the chain, and the read is itself audited', async ({ page }) => {
  const admin = await apiAs('admin');
  const tokenName = unique('e2e-audited-token');
  const { id: tokenId } = await createToken(admin, tokenName);
  await trpcData(trpcMutation(admin, 'fleet.revokeToken', { tokenId, reason: 'e2e: for the auditor' }));
  await admin.dispose();

  await page.goto('/audit?action=proxy_token.');
  await expect(page.getByRole('heading', { level: 1, name: 'Audit log' })).toBeVisible();
  const revoked = page.getByTestId('audit-row').filter({ hasText: 'proxy_token.revoke' }).filter({ hasText: tokenId });
  await expect(revoked).toHaveCount(1);
  await expect(revoked).toContainText('e2e: for the auditor');
  await expect(revoked.getByRole('link', { name: tokenName, exact: true })).toHaveAttribute('href', '/fleet');
  await expect(revoked).toContainText('revoked');

  await page.getByRole('button', { name: 'Verify hash chain' }).click();
  await expect(page.getByTestId('verify-result')).toHaveText(/^Chain intact: [\d,]+ entries verified\.$/);

  const api = await apiAs('auditor');
  const reads = await trpcData<{ items: Array<{ actorRole: string | null; after: { filters?: { action?: string } } }> }>(
    trpcQuery(api, 'audit.list', { action: 'audit.read', actor: ACCOUNTS.auditor.email, limit: 50 }),
  );
  expect(reads.items.some((e) => e.actorRole === 'auditor' && e.after?.filters?.action === 'proxy_token.')).toBe(true);
  await api.dispose();
});

test('reads and downloads a report and its evidence, but generates and schedules nothing', async ({ page }) => {
  test.setTimeout(120_000);
  const analyst = await apiAs('analyst');
  const to = new Date();
  const report = await trpcData<{ id: string }>(trpcMutation(analyst, 'reports.generate', { framework: 'soc2', from: new Date(to.getTime() - 3_600_000), to }));
  await analyst.dispose();

  await page.goto('/reports');
  await expect(page.getByRole('heading', { level: 1, name: 'Compliance reports' })).toBeVisible();
  await expect(page.getByText('Auditors read and download reports and their evidence.')).toBeVisible();
  const row = page.getByTestId('report-row').filter({ has: page.locator(`a[href="/api/reports/${report.id}/bundle"]`) });
  await expect(row).toHaveCount(1);
  await expect(page.getByRole('button', { name: 'Generate report' })).toHaveCount(0);
  await expect(page.getByRole('button', { name: 'Add schedule' })).toHaveCount(0);
  await expect(page.getByRole('button', { name: 'Delete' })).toHaveCount(0);

  const [bundle] = await Promise.all([page.waitForEvent('download'), row.getByTestId('download-bundle').click()]);
  const files = unzipSync(readFileSync((await bundle.path())!));
  const manifest = JSON.parse(new TextDecoder().decode(files['manifest.json'])) as { files: { path: string; sha256: string }[] };
  for (const f of manifest.files) expect(sha256(files[f.path]), f.path).toBe(f.sha256);
  const pdf = await page.request.get(`/api/reports/${report.id}/pdf`);
  expect(pdf.status()).toBe(200);
  expect((await pdf.body()).subarray(0, 5).toString()).toBe('%PDF-');

  const api = await apiAs('auditor');
  expect(await trpcError(trpcMutation(api, 'reports.generate', { framework: 'soc2', from: new Date(to.getTime() - 3_600_000), to }))).toMatchObject({ status: 403, code: 'FORBIDDEN' });
  expect(await trpcError(trpcMutation(api, 'reports.schedules.create', { framework: 'soc2', cadence: 'daily' }))).toMatchObject({ status: 403, code: 'FORBIDDEN' });
  // and the downloads were recorded under the auditor's name
  const downloads = await trpcData<{ items: Array<{ targetId: string; actorRole: string }> }>(
    trpcQuery(api, 'audit.list', { action: 'report.download', actor: ACCOUNTS.auditor.email, limit: 50 }),
  );
  expect(downloads.items.filter((e) => e.targetId === report.id).map((e) => e.actorRole)).toEqual(['auditor', 'auditor']);
  await api.dispose();
});

test('is offered no control that changes anything, and the API refuses the changes', async ({ page }) => {
  const analyst = await apiAs('analyst');
  await trpcData(trpcMutation(analyst, 'apis.learnNow', {}));
  const { rows } = await trpcData<{ rows: Array<{ id: string; service: string; method: string }> }>(trpcQuery(analyst, 'apis.list', { limit: 20 }));
  await analyst.dispose();
  expect(rows.length, 'the seeded traffic teaches endpoints').toBeGreaterThan(0);
  const ep = rows[0];

  await test.step('APIs: no selection, review or export', async () => {
    await page.goto(`/apis?service=${encodeURIComponent(ep.service)}`);
    await expect(page.getByTestId('endpoint-row').first()).toBeVisible();
    await expect(page.getByRole('table').getByRole('checkbox')).toHaveCount(0);
    await expect(page.getByRole('region', { name: 'Bulk review' })).toHaveCount(0);
    await expect(page.getByRole('button', { name: 'Export OpenAPI' })).toHaveCount(0);
    await page.goto(`/apis/${encodeURIComponent(ep.id)}`);
    await expect(page.getByRole('heading', { level: 1 })).toContainText(ep.method);
    await expect(page.getByRole('button', { name: 'Approve' })).toHaveCount(0);
    await expect(page.getByRole('button', { name: 'Rename' })).toHaveCount(0);
  });

  await test.step('policies: no draft, approval or publication', async () => {
    await page.goto(`/policies/${ep.service.split('/').map(encodeURIComponent).join('/')}`);
    await expect(page.getByRole('link', { name: 'Endpoints', exact: true })).toBeVisible();
    for (const name of [/Generate draft|Refresh draft/, /^Approve$/, 'Publish to the fleet', 'Discard', 'Roll back']) {
      await expect(page.getByRole('button', { name })).toHaveCount(0);
    }
  });

  await test.step('thresholds: read, not changed', async () => {
    await page.goto('/settings/thresholds');
    await expect(page.getByTestId('threshold-row').first()).toContainText('Global');
    await expect(page.getByRole('heading', { name: 'Change thresholds' })).toHaveCount(0);
    await expect(page.getByLabel('Value')).toHaveCount(0);
  });

  await test.step('fleet: no token created', async () => {
    await page.goto('/fleet');
    await expect(page.getByRole('heading', { level: 1, name: 'Fleet' })).toBeVisible();
    await expect(page.getByRole('button', { name: 'Create token' })).toHaveCount(0);
  });

  await test.step('search: reads events, saves and exports nothing', async () => {
    await page.goto('/search?range=1h');
    await expect(page.getByTestId('search-total')).toHaveText(/^[\d,]+ events?$/);
    await expect(page.getByRole('button', { name: 'Save…' })).toHaveCount(0);
    await expect(page.getByRole('button', { name: 'Export' })).toBeDisabled();
    expect((await page.request.get(`/api/search/export?from=${encodeURIComponent(new Date(Date.now() - 3_600_000).toISOString())}&to=${encodeURIComponent(new Date().toISOString())}`)).status()).toBe(403);
  });

  const api = await apiAs('auditor');
  const refused = [
    trpcMutation(api, 'apis.review', { ids: [ep.id], decision: 'approve', reason: 'auditor tries' }),
    trpcMutation(api, 'policies.generate', { service: ep.service, reason: 'auditor tries' }),
    trpcMutation(api, 'fleet.createToken', { name: unique('by-auditor'), services: ['*'] }),
    trpcMutation(api, 'thresholds.set', { service: '*', thresholds: { alert: 10, mitigate: 20, windows: {} }, reason: 'auditor tries' }),
    trpcMutation(api, 'search.saved.create', { name: unique('by-auditor'), query: '', range: { preset: '1h' } }),
    trpcMutation(api, 'users.create', { email: `${unique('by-auditor')}@e2e.test`, name: '', role: 'auditor' }),
  ];
  for (const res of refused) expect(await trpcError(res)).toMatchObject({ status: 403, code: 'FORBIDDEN' });
  await api.dispose();
});
