import { expect, test, type Page } from '@playwright/test';
import {
  ACCOUNTS, apiAs, createToken, createUser, stateFile, trpcData, trpcError, trpcMutation, trpcQuery, unique, uniqueEmail,
} from './support';

const rows = (page: Page) => page.getByTestId('audit-row');
/** The Action column of every shown entry. */
const actions = (page: Page) => rows(page).locator('td:nth-child(4)').allTextContents();

test.describe('audit log as admin', () => {
  test.use({ storageState: stateFile('admin') });

  test('token creation is recorded; filter by action prefix, kept in the URL', async ({ page }) => {
    const admin = await apiAs('admin');
    const tokenName = unique('e2e-audit');
    const { id: tokenId, token } = await createToken(admin, tokenName);
    await trpcData(trpcMutation(admin, 'fleet.revokeToken', { tokenId, reason: 'e2e: audit trail' }));
    const other = await createUser(admin, 'viewer', uniqueEmail('audited'), 'audited-user-password-1');
    await admin.dispose();

    await page.goto('/audit');
    await expect(page.getByRole('heading', { level: 1, name: 'Audit log' })).toBeVisible();
    const created = rows(page).filter({ hasText: 'proxy_token.create' }).filter({ hasText: tokenId });
    await expect(created).toHaveCount(1);
    await expect(created).toContainText(ACCOUNTS.admin.email);
    await expect(created).toContainText('admin');
    // The target is named and linked to its page, its id beneath.
    await expect(created.getByRole('link', { name: tokenName, exact: true })).toHaveAttribute('href', '/fleet');
    // The unfiltered log holds other kinds of entries too.
    const userCreated = rows(page).filter({ hasText: 'user.create' }).filter({ hasText: other.id });
    await expect(userCreated).toHaveCount(1);
    await expect(userCreated.getByRole('link', { name: other.email, exact: true })).toHaveAttribute('href', '/settings/users');

    await page.getByLabel('Action starts with').fill('proxy_token.');
    await page.getByRole('button', { name: 'Apply' }).click();
    await expect(page).toHaveURL(/[?&]action=proxy_token\.(&|$)/);
    await expect(rows(page).filter({ hasText: tokenId })).toHaveCount(2); // create + revoke
    await expect(userCreated).toHaveCount(0);
    const filtered = await actions(page);
    expect(filtered.length).toBeGreaterThanOrEqual(2);
    expect(filtered.every((a) => a.startsWith('proxy_token.'))).toBe(true);
    const revoked = rows(page).filter({ hasText: 'proxy_token.revoke' }).filter({ hasText: tokenId });
    await expect(revoked).toContainText('e2e: audit trail');

    // Reload: the filter comes back from the URL, in the form and in the list.
    await page.reload();
    await expect(page.getByLabel('Action starts with')).toHaveValue('proxy_token.');
    await expect(rows(page).filter({ hasText: tokenId })).toHaveCount(2);
    expect((await actions(page)).every((a) => a.startsWith('proxy_token.'))).toBe(true);

    // Details: before/after and the hash chain links; the secret is never in the log.
    const createdRow = rows(page).filter({ hasText: 'proxy_token.create' }).filter({ hasText: tokenId });
    const details = createdRow.getByRole('button', { name: /^Details of entry \d+$/ });
    await details.click();
    await expect(createdRow.getByRole('button', { name: /^Hide of entry \d+$/ })).toHaveAttribute('aria-expanded', 'true');
    const expanded = createdRow.locator('xpath=following-sibling::tr[1]');
    await expect(expanded).toContainText('Before');
    await expect(expanded).toContainText(`"name": "${tokenName}"`);
    await expect(expanded).toContainText(`"prefix": "${token.slice(0, 10)}"`);
    await expect(expanded).not.toContainText(token);
    await expect(expanded.getByRole('definition').nth(1)).toHaveText(/^[0-9a-f]{64}$/); // hash
    await expect(expanded.getByRole('definition').nth(2)).toHaveText(/^[0-9a-f]{64}$/); // previous hash

    // Clear restores the full log.
    await page.getByRole('button', { name: 'Clear' }).click();
    await expect(page).toHaveURL(/\/audit$/);
    await expect(userCreated).toHaveCount(1);
    await expect(page.getByLabel('Action starts with')).toHaveValue('');
  });

  test('a filter that matches nothing says so', async ({ page }) => {
    await page.goto(`/audit?action=${unique('no.such.action')}`);
    await expect(page.getByText('No entries match these filters')).toBeVisible();
    await expect(rows(page)).toHaveCount(0);
  });

  test('verify the hash chain', async ({ page }) => {
    await page.goto('/audit');
    await page.getByRole('button', { name: 'Verify hash chain' }).click();
    await expect(page.getByTestId('verify-result')).toHaveText(/^Chain intact: [\d,]+ entries verified\.$/);
    const checked = Number((await page.getByTestId('verify-result').textContent())!.replace(/\D/g, ''));
    expect(checked).toBeGreaterThan(5);
  });

  test('reading the log is itself audited', async ({ page }) => {
    const marker = unique('read.marker');
    await page.goto(`/audit?action=${marker}`);
    await expect(page.getByText('No entries match these filters')).toBeVisible();
    const admin = await apiAs('admin');
    const reads = await trpcData<{ items: Array<{ action: string; after: { filters?: { action?: string } } }> }>(
      trpcQuery(admin, 'audit.list', { action: 'audit.read', limit: 50 }),
    );
    await admin.dispose();
    expect(reads.items.some((e) => e.after?.filters?.action === marker)).toBe(true);
  });
});

for (const role of ['analyst', 'viewer'] as const) {
  test.describe(`audit log as ${role}`, () => {
    test.use({ storageState: stateFile(role) });

    test('access denied, in the page and the API', async ({ page }) => {
      await page.goto('/audit');
      await expect(page.getByText('You do not have access to this page')).toBeVisible();
      await expect(page.getByText('It needs the admin or auditor role.')).toBeVisible();
      await expect(page.getByRole('button', { name: 'Verify hash chain' })).toHaveCount(0);

      const api = await apiAs(role);
      expect(await trpcError(trpcQuery(api, 'audit.list', { limit: 10 }))).toMatchObject({ status: 403, code: 'FORBIDDEN' });
      expect(await trpcError(trpcQuery(api, 'audit.verify'))).toMatchObject({ status: 403, code: 'FORBIDDEN' });
      await api.dispose();
    });
  });
}
