import { expect, test, type Page } from '@playwright/test';
import {
  ACCOUNTS, apiAs, baseURL, createUser, setPasswordOnPage, signIn, stateFile, submitSignIn, trpcData, trpcError, trpcMutation, trpcQuery, uniqueEmail,
} from './support';

const accountsTable = (page: Page) => page.getByRole('region', { name: 'Accounts' }).getByRole('table');
const userRow = (page: Page, email: string) => accountsTable(page).getByRole('row').filter({ hasText: email });

test.describe('users as admin', () => {
  test.use({ storageState: stateFile('admin') });

  test('add a user: the admin gets a one-time link, the holder sets the password and signs in', async ({ page, browser }) => {
    const email = uniqueEmail('added');
    await page.goto('/settings/users');
    await page.getByRole('button', { name: 'Add user' }).click();
    const form = page.getByRole('dialog', { name: 'Add user' });
    await expect(form.getByLabel(/Password/)).toHaveCount(0);
    await form.getByLabel('Email').fill(email);
    await form.getByLabel('Name').fill('Added By E2E');
    await form.getByLabel('Role').selectOption('analyst');
    await form.getByRole('button', { name: 'Add user' }).click();

    const shown = page.getByRole('dialog', { name: 'Set-password link' });
    await expect(shown).toContainText(`Hand this link to ${email}`);
    const link = (await shown.getByTestId('set-password-link').textContent())?.trim() ?? '';
    expect(link).toMatch(new RegExp(`^${baseURL}/set-password#token=mwl_[\\w-]{43}$`));
    await expect(shown.getByRole('button', { name: 'Copy link' })).toBeVisible();
    await page.screenshot({ path: 'test-results/screenshots/users-link.png' });
    await shown.getByRole('button', { name: 'Done' }).click();
    await expect(shown).toBeHidden();

    const row = userRow(page, email);
    await expect(row).toContainText('Added By E2E');
    await expect(row.getByLabel(`Role of ${email}`)).toHaveValue('analyst');
    await expect(row.getByTestId('provenance')).toContainText('not set yet');
    await expect(row.getByTestId('provenance')).toContainText('link open until');
    // Shown once: nothing on the page reveals it again.
    await expect(page.getByText(link.split('#token=')[1])).toHaveCount(0);

    // the holder, in a browser of their own
    const fresh = await browser.newContext({ baseURL, storageState: { cookies: [], origins: [] } });
    const other = await fresh.newPage();
    await other.goto(link.slice(baseURL.length));
    await expect(other.getByTestId('link-email')).toHaveText(email);
    await other.getByLabel('New password').fill('holder-chosen-password-1');
    await other.getByLabel('Repeat the password').fill('holder-chosen-password-2');
    await expect(other.getByText('The passwords differ')).toBeVisible();
    await expect(other.getByRole('button', { name: 'Set password' })).toBeDisabled();
    await other.getByLabel('Repeat the password').fill('holder-chosen-password-1');
    await other.getByRole('button', { name: 'Set password' }).click();
    await expect(other.getByRole('status')).toContainText(`Password set for ${email}`);
    await expect(other).toHaveURL(`${baseURL}/set-password`);
    await other.screenshot({ path: 'test-results/screenshots/set-password-done.png' });
    // a link works once
    await other.goto(link.slice(baseURL.length));
    await expect(other.getByRole('alert').filter({ hasText: /\S/ })).toHaveText(/used already/);
    await other.screenshot({ path: 'test-results/screenshots/set-password-used.png' });
    await signIn(other, email, 'holder-chosen-password-1');
    await expect(other.getByRole('complementary')).toContainText(email);
    await expect(other.getByRole('complementary')).toContainText('analyst');
    await fresh.close();

    await page.reload();
    await expect(userRow(page, email).getByTestId('provenance')).toContainText(`link from ${ACCOUNTS.admin.email}`);
  });

  test('a new admin needs a second admin: one asks, the other approves and hands over the link', async ({ page, browser }) => {
    const email = uniqueEmail('new-admin');
    await page.goto('/settings/users');
    await page.getByRole('button', { name: 'Add user' }).click();
    const form = page.getByRole('dialog', { name: 'Add user' });
    await form.getByLabel('Email').fill(email);
    await form.getByLabel('Role').selectOption('admin');
    await form.getByLabel('Why they need the admin role').fill('e2e: joins the on-call rota');
    await form.getByRole('button', { name: 'Add user' }).click();
    await expect(page.getByRole('status')).toContainText(`another admin must approve the admin account for ${email}`);
    await expect(userRow(page, email)).toHaveCount(0);
    const mine = page.getByRole('region', { name: 'Admin requests' }).getByTestId('grant-row').filter({ hasText: email });
    await expect(mine).toContainText('waiting');
    // the one who asked cannot approve: they may only withdraw
    await expect(mine.getByRole('button', { name: /^Approve/ })).toHaveCount(0);
    await expect(mine.getByRole('button', { name: `Withdraw admin for ${email}` })).toBeVisible();
    await page.screenshot({ path: 'test-results/screenshots/users-requests.png', fullPage: true });

    // …and the API says the same
    const api = await apiAs('admin');
    const grants = await trpcData<Array<{ id: string; email: string }>>(trpcQuery(api, 'users.grants'));
    const grant = grants.find((g) => g.email === email)!;
    expect(await trpcError(trpcMutation(api, 'users.decideGrant', { grantId: grant.id, decision: 'approve', reason: 'myself' }))).toMatchObject({ status: 403, code: 'FORBIDDEN' });
    await api.dispose();

    const second = await browser.newContext({ baseURL, storageState: stateFile('admin2') });
    const other = await second.newPage();
    await other.goto('/settings/users');
    const row = other.getByRole('region', { name: 'Admin requests' }).getByTestId('grant-row').filter({ hasText: email });
    await expect(row).toContainText(ACCOUNTS.admin.email);
    await expect(row).toContainText('e2e: joins the on-call rota');
    await row.getByRole('button', { name: `Approve admin for ${email}` }).click();
    const confirm = other.getByRole('dialog', { name: 'Approve admin request' });
    await expect(confirm).toContainText('You get the set-password link');
    await confirm.getByLabel(/Reason/).fill('e2e: confirmed with their manager');
    await confirm.getByRole('button', { name: 'Approve' }).click();
    const shown = other.getByRole('dialog', { name: 'Set-password link' });
    const link = (await shown.getByTestId('set-password-link').textContent())?.trim() ?? '';
    await shown.getByRole('button', { name: 'Done' }).click();
    await expect(row).toContainText('approved');
    await expect(row).toContainText(`by ${ACCOUNTS.admin2.email}`);
    await second.close();

    const holder = await browser.newContext({ baseURL, storageState: { cookies: [], origins: [] } });
    const newAdmin = await holder.newPage();
    await setPasswordOnPage(newAdmin, link.slice(baseURL.length), 'new-admin-password-1');
    await signIn(newAdmin, email, 'new-admin-password-1');
    await expect(newAdmin.getByRole('complementary')).toContainText('admin');
    await holder.close();

    await page.reload();
    await expect(userRow(page, email).getByTestId('provenance')).toContainText(`link from ${ACCOUNTS.admin2.email}`);
  });

  test('resetting a password gives a link; an admin password is never reset from the console', async ({ page, browser }) => {
    const admin = await apiAs('admin');
    const user = await createUser(admin, 'viewer', uniqueEmail('reset'), 'reset-old-password-1', browser);
    const users = await trpcData<Array<{ id: string; email: string }>>(trpcQuery(admin, 'users.list'));
    const admin2 = users.find((u) => u.email === ACCOUNTS.admin2.email)!;
    expect(await trpcError(trpcMutation(admin, 'users.resetPassword', { userId: admin2.id, reason: 'take over' })))
      .toMatchObject({ status: 403, code: 'FORBIDDEN', message: expect.stringContaining('meshward user reset-password') });
    await admin.dispose();

    await page.goto('/settings/users');
    await expect(userRow(page, ACCOUNTS.admin2.email).getByRole('button', { name: /Reset password/ })).toHaveCount(0);
    await userRow(page, user.email).getByRole('button', { name: `Reset password for ${user.email}` }).click();
    const confirm = page.getByRole('dialog', { name: 'Reset password' });
    await expect(confirm).toContainText('stops working now');
    await confirm.getByLabel(/Reason/).fill('e2e: forgot it');
    await confirm.getByRole('button', { name: 'Reset password' }).click();
    const shown = page.getByRole('dialog', { name: 'Set-password link' });
    const link = (await shown.getByTestId('set-password-link').textContent())?.trim() ?? '';
    await shown.getByRole('button', { name: 'Done' }).click();

    const fresh = await browser.newContext({ baseURL, storageState: { cookies: [], origins: [] } });
    const other = await fresh.newPage();
    await other.goto('/signin');
    await submitSignIn(other, user.email, user.password);
    await expect(other.locator('form').getByRole('alert')).toHaveText('Email or password is not correct.');
    await setPasswordOnPage(other, link.slice(baseURL.length), 'reset-new-password-2');
    await signIn(other, user.email, 'reset-new-password-2');
    await other.goto('/set-password#token=mwl_not-a-real-token');
    await expect(other.getByRole('alert').filter({ hasText: /\S/ })).toHaveText(/not valid/);
    await fresh.close();
  });

  test('a role change asks for a reason and is audited', async ({ page }) => {
    const admin = await apiAs('admin');
    const user = await createUser(admin, 'viewer', uniqueEmail('promoted'), 'promoted-user-password-1', page.context().browser()!);
    await admin.dispose();
    const reason = `e2e promotion ${Date.now()}`;

    await page.goto('/settings/users');
    const select = userRow(page, user.email).getByLabel(`Role of ${user.email}`);
    await expect(select).toHaveValue('viewer');
    await select.selectOption('analyst');
    const confirm = page.getByRole('dialog', { name: 'Change role' });
    await expect(confirm).toContainText(`Change ${user.email} from viewer to analyst`);
    const submit = confirm.getByRole('button', { name: 'Change role' });
    await expect(submit).toBeDisabled();
    await confirm.getByLabel(/Reason/).fill(reason);
    await submit.click();
    await expect(confirm).toBeHidden();
    await expect(select).toHaveValue('analyst');
    await page.reload();
    await expect(userRow(page, user.email).getByLabel(`Role of ${user.email}`)).toHaveValue('analyst');

    // Cancelling a change leaves the role alone.
    await userRow(page, user.email).getByLabel(`Role of ${user.email}`).selectOption('admin');
    await page.getByRole('dialog', { name: 'Change role' }).getByRole('button', { name: 'Cancel' }).click();
    await expect(userRow(page, user.email).getByLabel(`Role of ${user.email}`)).toHaveValue('analyst');

    await page.goto(`/audit?action=user.set_role&actor=${encodeURIComponent(ACCOUNTS.admin.email)}`);
    const entry = page.getByTestId('audit-row').filter({ hasText: reason });
    await expect(entry).toHaveCount(1);
    await expect(entry).toContainText('user.set_role');
    await expect(entry).toContainText(user.id);
    await entry.getByRole('button', { name: /Details/ }).click();
    await expect(page.getByText('"role": "viewer"')).toBeVisible();
    await expect(page.getByText('"role": "analyst"')).toBeVisible();
  });

  test('disable and enable an account', async ({ page, browser }) => {
    const admin = await apiAs('admin');
    const user = await createUser(admin, 'viewer', uniqueEmail('toggled'), 'toggled-user-password-1', browser);
    await admin.dispose();

    await page.goto('/settings/users');
    const row = userRow(page, user.email);
    await expect(row).toContainText('active');
    await row.getByRole('button', { name: `Disable ${user.email}` }).click();
    const disable = page.getByRole('dialog', { name: 'Disable account' });
    await expect(disable).toContainText(`${user.email} is signed out everywhere`);
    await disable.getByLabel(/Reason/).fill('e2e: on leave');
    await disable.getByRole('button', { name: 'Disable account' }).click();
    await expect(disable).toBeHidden();
    await expect(row).toContainText('disabled');

    const fresh = await browser.newContext({ baseURL, storageState: { cookies: [], origins: [] } });
    const other = await fresh.newPage();
    await other.goto('/signin');
    await submitSignIn(other, user.email, user.password);
    await expect(other.locator('form').getByRole('alert')).toHaveText('This account is disabled. Ask an administrator.');

    await row.getByRole('button', { name: `Enable ${user.email}` }).click();
    const enable = page.getByRole('dialog', { name: 'Enable account' });
    await enable.getByLabel(/Reason/).fill('e2e: back from leave');
    await enable.getByRole('button', { name: 'Enable account' }).click();
    await expect(enable).toBeHidden();
    await expect(row).toContainText('active');
    await expect(row.getByRole('button', { name: `Disable ${user.email}` })).toBeVisible();

    await signIn(other, user.email, user.password);
    await fresh.close();
  });

  test('the admin cannot change their own role or disable themselves', async ({ page }) => {
    await page.goto('/settings/users');
    const row = userRow(page, `${ACCOUNTS.admin.email} (you)`);
    await expect(row.getByLabel(`Role of ${ACCOUNTS.admin.email}`)).toBeDisabled();
    await expect(row.getByRole('button', { name: /Disable/ })).toHaveCount(0);
  });
});

for (const role of ['analyst', 'viewer'] as const) {
  test.describe(`users as ${role}`, () => {
    test.use({ storageState: stateFile(role) });

    test('no Users page and no user API', async ({ page }) => {
      await page.goto('/fleet');
      const nav = page.getByRole('navigation', { name: 'Main' });
      await expect(nav.getByRole('link', { name: 'My account' })).toBeVisible();
      await expect(nav.getByRole('link', { name: 'Fleet' })).toBeVisible();
      await expect(nav.getByRole('link', { name: 'Users' })).toHaveCount(0);
      await expect(nav.getByRole('link', { name: 'Audit log' })).toHaveCount(0);

      await page.goto('/settings/users');
      await expect(page.getByText('You do not have access to this page')).toBeVisible();
      await expect(page.getByRole('table')).toHaveCount(0);

      const api = await apiAs(role);
      const email = uniqueEmail(`by-${role}`);
      expect(await trpcError(trpcMutation(api, 'users.create', { email, name: '', role: 'admin' })))
        .toMatchObject({ status: 403, code: 'FORBIDDEN' });
      expect(await trpcError(trpcQuery(api, 'users.list'))).toMatchObject({ status: 403, code: 'FORBIDDEN' });
      const me = await trpcData<{ email: string; role: string }>(trpcQuery(api, 'session.me'));
      expect(me).toMatchObject({ email: ACCOUNTS[role].email, role });
      await api.dispose();

      // …and the account was not created.
      const admin = await apiAs('admin');
      const users = await trpcData<Array<{ email: string }>>(trpcQuery(admin, 'users.list'));
      expect(users.map((u) => u.email)).not.toContain(email);
      await admin.dispose();
    });
  });
}

test.describe('my account', () => {
  test('change my own password, then sign in with the new one', async ({ page }) => {
    const admin = await apiAs('admin');
    const user = await createUser(admin, 'viewer', uniqueEmail('own-password'), 'own-old-password-1', page.context().browser()!);
    await admin.dispose();
    const next = 'own-new-password-22';

    await signIn(page, user.email, user.password);
    await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'My account' }).click();
    await expect(page.getByRole('heading', { level: 1, name: 'My account' })).toBeVisible();
    await expect(page.getByText(`Signed in as ${user.email}`)).toBeVisible();

    const form = page.getByRole('region', { name: 'Change password' });
    const submit = form.getByRole('button', { name: 'Change password' });
    await form.getByLabel('Current password').fill('not-my-password-1');
    await form.getByLabel('New password', { exact: true }).fill(next);
    await form.getByLabel('Repeat new password').fill(`${next}x`);
    await expect(form.getByText('The passwords differ')).toBeVisible();
    await expect(submit).toBeDisabled();
    await form.getByLabel('Repeat new password').fill(next);
    await submit.click();
    await expect(form.getByRole('alert')).toHaveText('The current password is not correct');

    // A second browser signed in as the same person loses its session with the change.
    const elsewhere = await page.context().browser()!.newPage();
    await signIn(elsewhere, user.email, user.password);

    await form.getByLabel('Current password').fill(user.password);
    await submit.click();
    // Changing the password ends every session of the account, this one included.
    await expect(page).toHaveURL(/\/signin\?notice=password-changed$/);
    await expect(page.getByRole('status')).toHaveText('Password changed. Sign in with the new one.');
    // its open page may notice first (a query refused) and go to /signin itself, aborting this navigation
    await elsewhere.goto('/fleet').catch((e: Error) => {
      if (!/ERR_ABORTED/.test(e.message)) throw e;
    });
    await expect(elsewhere).toHaveURL(/\/signin/);
    await elsewhere.close();

    await submitSignIn(page, user.email, user.password);
    await expect(page.locator('form').getByRole('alert')).toHaveText('Email or password is not correct.');
    await signIn(page, user.email, next);
  });
});
