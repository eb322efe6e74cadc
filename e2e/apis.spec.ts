import { readFileSync } from 'node:fs';
import { expect, test, type APIRequestContext } from '@playwright/test';
import { apiAs, stateFile, trpcData, trpcError, trpcMutation, trpcQuery } from './support';

interface Row {
  id: string;
  service: string;
  method: string;
  template: string;
  state: string;
  params: { name: string }[];
}

/** Learned endpoints of the seeded traffic, written now rather than at the learner's next pass. */
async function learnedEndpoints(api: APIRequestContext, input: Record<string, unknown>): Promise<Row[]> {
  await trpcData(trpcMutation(api, 'apis.learnNow', {}));
  const r = await trpcData<{ rows: Row[] }>(trpcQuery(api, 'apis.list', { limit: 200, ...input }));
  return r.rows;
}

/** An unreviewed endpoint with a path parameter that no other test has picked. */
async function pickEndpoint(api: APIRequestContext, skip: Set<string>): Promise<Row> {
  const rows = await learnedEndpoints(api, { state: 'learned', q: '{' });
  const row = rows.find((r) => r.params.length > 0 && !skip.has(r.service));
  expect(row, 'the seeded traffic teaches endpoints with parameters').toBeTruthy();
  skip.add(row!.service);
  return row!;
}

const picked = new Set<string>();

test.describe('API inventory as analyst', () => {
  test.use({ storageState: stateFile('analyst') });

  test('review a learned endpoint: rename its parameter, approve it, and export OpenAPI', async ({ page }) => {
    const api = await apiAs('analyst');
    const ep = await pickEndpoint(api, picked);
    await api.dispose();
    const param = ep.params[0].name;

    await page.goto(`/apis?service=${encodeURIComponent(ep.service)}`);
    await expect(page.getByRole('heading', { level: 2, name: `Endpoints of ${ep.service}` })).toBeVisible();
    const row = page.getByTestId('endpoint-row').filter({ hasText: ep.template });
    await expect(row.first()).toBeVisible();
    await row.filter({ hasText: ep.method }).first().getByRole('link').click();

    await expect(page.getByRole('heading', { level: 1 })).toContainText(ep.template);
    const paramRow = page.getByTestId('param-row').filter({ hasText: `{${param}}` });
    // why the learner made it a parameter: how many values, how often each, by which rule
    await expect(page.getByTestId('param-evidence').first()).toContainText(/\d+ values? with [\d,]+ requests?, [\d.,]+ requests? each \(median\); rules?: /);
    await paramRow.getByRole('button', { name: 'Rename' }).click();
    const input = page.getByLabel(`New name for ${param}`);
    await input.fill('bad name');
    await input.press('Enter');
    await expect(page.getByRole('alert').filter({ hasText: 'A parameter name is letters' })).toBeVisible();
    await input.fill('renamed_by_e2e');
    await input.press('Enter');
    const renamed = ep.template.replace(`{${param}}`, '{renamed_by_e2e}');
    await expect(page.getByRole('heading', { level: 1 })).toContainText(renamed);
    await expect(page.getByTestId('param-row').filter({ hasText: '{renamed_by_e2e}' })).toBeVisible();
    // the evidence follows the rename (it is kept by position)
    await expect(page.getByTestId('param-evidence').first()).toContainText(/requests? each \(median\)/);

    await page.getByRole('button', { name: 'Approve', exact: true }).click();
    const dialog = page.getByRole('dialog', { name: 'Approve 1 endpoint' });
    await expect(dialog.getByRole('button', { name: 'Approve 1' })).toBeDisabled();
    await dialog.getByLabel(/Reason/).fill('e2e: matches the service API');
    await dialog.getByRole('button', { name: 'Approve 1' }).click();
    await expect(dialog).toBeHidden();
    await expect(page.getByText('Reviewed by analyst@e2e.test')).toBeVisible();
    await expect(page.locator('.page-head .badge.ok')).toHaveText('approved');

    // back in the inventory, the approved-only export carries the renamed template
    await page.getByRole('link', { name: ep.service }).click();
    await page.getByRole('button', { name: 'Approved' }).click();
    await expect(page).toHaveURL(/state=approved/);
    await expect(page.getByTestId('endpoint-row').filter({ hasText: renamed })).toBeVisible();
    const downloading = page.waitForEvent('download');
    await page.getByRole('button', { name: 'Export OpenAPI' }).click();
    const file = await (await downloading).path();
    const doc = JSON.parse(readFileSync(file, 'utf8')) as { openapi: string; paths: Record<string, Record<string, { 'x-meshward-state': string }>> };
    expect(doc.openapi).toBe('3.1.0');
    expect(doc.paths[renamed][ep.method.toLowerCase()]['x-meshward-state']).toBe('approved');
    expect(Object.values(doc.paths).flatMap((p) => Object.values(p)).every((op) => op['x-meshward-state'] === 'approved')).toBe(true);

    // the decisions are in the audit log, as the analyst
    const admin = await apiAs('admin');
    const audit = await trpcData<{ items: { action: string; targetId: string; actorEmail: string; reason: string | null }[] }>(
      trpcQuery(admin, 'audit.list', { action: 'endpoint.', limit: 200 }),
    );
    await admin.dispose();
    const mine = audit.items.filter((r) => r.targetId === ep.id);
    expect(mine.map((r) => r.action).sort()).toEqual(['endpoint.approve', 'endpoint.rename_param']);
    expect(mine.every((r) => r.actorEmail === 'analyst@e2e.test')).toBe(true);
  });

  test('select endpoints and reject them in bulk, with a reason', async ({ page }) => {
    const api = await apiAs('analyst');
    const ep = await pickEndpoint(api, picked);
    const ofService = await learnedEndpoints(api, { service: ep.service, state: 'learned' });
    await api.dispose();
    await page.goto(`/apis?service=${encodeURIComponent(ep.service)}&state=learned`);
    await expect(page.getByTestId('endpoint-row')).toHaveCount(ofService.length);
    const two = ofService.slice(0, Math.min(2, ofService.length));
    for (const e of two) await page.getByRole('checkbox', { name: `Select ${e.method} ${e.template}`, exact: true }).check();
    await expect(page.getByRole('region', { name: 'Bulk review' })).toContainText(`${two.length} selected`);
    await page.getByRole('region', { name: 'Bulk review' }).getByRole('button', { name: 'Reject' }).click();
    const dialog = page.getByRole('dialog', { name: `Reject ${two.length} endpoint${two.length === 1 ? '' : 's'}` });
    await dialog.getByLabel(/Reason/).fill('e2e: test traffic, not an API');
    await dialog.getByRole('button', { name: `Reject ${two.length}` }).click();
    await expect(dialog).toBeHidden();
    await expect(page.getByTestId('endpoint-row')).toHaveCount(ofService.length - two.length);
    await page.getByRole('button', { name: 'Rejected' }).click();
    for (const e of two) await expect(page.getByTestId('endpoint-row').filter({ hasText: e.template }).first()).toContainText('rejected');
  });

  test('filters live in the URL and survive a reload; nothing matching says so', async ({ page }) => {
    await page.goto('/apis');
    await page.getByLabel('Template').fill('no-such-template-anywhere');
    await expect(page).toHaveURL(/q=no-such-template-anywhere/);
    await expect(page.getByText('No endpoint matches these filters')).toBeVisible();
    // the box follows the URL, which the click changes
    await page.getByLabel('Has sensitive data').click();
    await expect(page).toHaveURL(/sensitive=1/);
    await expect(page.getByLabel('Has sensitive data')).toBeChecked();
    await page.reload();
    await expect(page.getByLabel('Template')).toHaveValue('no-such-template-anywhere');
    await expect(page.getByLabel('Has sensitive data')).toBeChecked();
  });
});

test.describe('API inventory as viewer', () => {
  test.use({ storageState: stateFile('viewer') });

  test('sees the inventory and an endpoint, but cannot approve, rename or export', async ({ page }) => {
    const api = await apiAs('analyst');
    const rows = await learnedEndpoints(api, { q: '{' });
    await api.dispose();
    const ep = rows.find((r) => r.params.length > 0)!;

    await page.goto(`/apis?service=${encodeURIComponent(ep.service)}`);
    await expect(page.getByTestId('endpoint-row').first()).toBeVisible();
    await expect(page.getByRole('table').getByRole('checkbox')).toHaveCount(0);
    await expect(page.getByRole('region', { name: 'Bulk review' })).toHaveCount(0);
    await expect(page.getByRole('button', { name: 'Export OpenAPI' })).toHaveCount(0);
    await page.goto(`/apis/${encodeURIComponent(ep.id)}`);
    await expect(page.getByRole('heading', { level: 1 })).toContainText(ep.method);
    await expect(page.getByTestId('param-row').first()).toBeVisible();
    await expect(page.getByRole('button', { name: 'Approve' })).toHaveCount(0);
    await expect(page.getByRole('button', { name: 'Rename' })).toHaveCount(0);

    const viewer = await apiAs('viewer');
    expect(await trpcError(trpcMutation(viewer, 'apis.review', { ids: [ep.id], decision: 'approve', reason: 'viewer tries' }))).toMatchObject({ status: 403, code: 'FORBIDDEN' });
    expect(await trpcError(trpcQuery(viewer, 'apis.openApi', { service: ep.service }))).toMatchObject({ status: 403, code: 'FORBIDDEN' });
    await viewer.dispose();
  });

  test('every figure on an endpoint says whether it follows the range or counts since first seen', async ({ page }) => {
    const api = await apiAs('analyst');
    const rows = await learnedEndpoints(api, {});
    await api.dispose();
    const ep = rows[0];
    expect(ep, 'the seeded traffic teaches endpoints').toBeTruthy();

    await page.goto(`/apis/${encodeURIComponent(ep.id)}?range=1h`);
    await expect(page.getByRole('heading', { level: 1 })).toContainText(ep.method);
    await expect(page.getByText('Calls in the last hour', { exact: true })).toBeVisible();
    await expect(page.getByText('Calls since first seen', { exact: true })).toBeVisible();
    await expect(page.getByText('Status mix since first seen', { exact: true })).toBeVisible();
    await expect(page.getByRole('heading', { level: 2, name: 'Traffic in the last hour' })).toBeVisible();
    await expect(page.getByRole('heading', { level: 2, name: 'Callers in the last hour' })).toBeVisible();
    await expect(page.getByTestId('calls-since-first-seen')).not.toHaveText('…');

    // The range's figures move with the range; the all-time ones keep their label.
    await page.getByRole('group', { name: 'Time range' }).getByRole('button', { name: '6h', exact: true }).click();
    await expect(page).toHaveURL(/range=6h/);
    await expect(page.getByText('Calls in the last 6 h', { exact: true })).toBeVisible();
    await expect(page.getByRole('heading', { level: 2, name: 'Callers in the last 6 h' })).toBeVisible();
    await expect(page.getByText('Calls since first seen', { exact: true })).toBeVisible();
    await expect(page.getByText('Calls in range', { exact: true })).toHaveCount(0);
  });
});
