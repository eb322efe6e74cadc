import { existsSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { expect, test, type APIRequestContext } from '@playwright/test';
import { FIRST_RUN } from '../playwright.config';
import { fillSignIn } from './support';

/**
 * A console started as a fresh `npm start` starts it (FIRST_RUN in playwright.config.ts: no
 * MESHWARD_ADMIN_PASSWORD): the first admin's generated password is in an owner-only file in the
 * data directory, must be replaced at first sign-in, and the file goes once it is.
 */
const FILE = path.join(FIRST_RUN.dataDir, 'initial-admin-password');
const NEW_PASSWORD = 'first-admin-own-passphrase-1';

function usersList(api: APIRequestContext) {
  return api.get(`${FIRST_RUN.url}/api/trpc/users.list`, { failOnStatusCode: false });
}

test('first run: the generated admin password is kept in an owner-only file and must be replaced before anything else', async ({ page }) => {
  expect(existsSync(FILE), `${FILE} is written at first start`).toBe(true);
  expect(statSync(FILE).mode & 0o777).toBe(0o600);
  const text = readFileSync(FILE, 'utf8');
  const email = /^email: (.+)$/m.exec(text)?.[1];
  const password = /^password: (.+)$/m.exec(text)?.[1];
  expect(email).toBe(FIRST_RUN.email);
  expect(password).toMatch(/^[\w-]{20}$/);

  await page.goto(`${FIRST_RUN.url}/signin`);
  await fillSignIn(page, email!, password!);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await expect(page).toHaveURL(`${FIRST_RUN.url}/change-password`);
  await expect(page.getByRole('heading', { level: 1, name: 'Replace your password' })).toBeVisible();
  await expect(page.getByText(`Signed in as ${FIRST_RUN.email}`)).toBeVisible();

  // Every console page sends the account back here…
  for (const p of ['/', '/fleet', '/settings/users', '/no-such-page']) {
    await page.goto(`${FIRST_RUN.url}${p}`);
    await expect(page).toHaveURL(`${FIRST_RUN.url}/change-password`);
  }
  // …and the server refuses the rest, whatever a page would show.
  const refused = await usersList(page.request);
  expect(refused.status()).toBe(403);
  const body = (await refused.json()) as { error: { json: { message: string; data: { code: string } } } };
  expect(body.error.json.data.code).toBe('FORBIDDEN');
  expect(body.error.json.message).toContain('Change the password Meshward generated for this account first');
  const download = await page.request.get(`${FIRST_RUN.url}/api/search/export?q=&format=csv&range=1h`, { failOnStatusCode: false });
  expect(download.status()).toBe(403);

  // The same password again is no change.
  await page.getByLabel('Current password').fill(password!);
  await page.getByLabel('New password', { exact: true }).fill(password!);
  await page.getByLabel('Repeat new password').fill(password!);
  await page.getByRole('button', { name: 'Change password' }).click();
  await expect(page.getByRole('alert').filter({ hasText: 'Choose a new password' })).toBeVisible();
  expect(existsSync(FILE)).toBe(true);

  await page.getByLabel('New password', { exact: true }).fill(NEW_PASSWORD);
  await page.getByLabel('Repeat new password').fill(NEW_PASSWORD);
  await page.getByRole('button', { name: 'Change password' }).click();
  // Changing it ends every session of the account, this one included.
  await expect(page).toHaveURL(`${FIRST_RUN.url}/signin?notice=password-changed`);
  expect(existsSync(FILE), 'the file goes with the generated password').toBe(false);

  await fillSignIn(page, FIRST_RUN.email, NEW_PASSWORD);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await expect(page).toHaveURL(`${FIRST_RUN.url}/`);
  await expect(page.getByRole('heading', { level: 1, name: 'Overview' })).toBeVisible();
  expect((await usersList(page.request)).status()).toBe(200);
  await page.goto(`${FIRST_RUN.url}/change-password`);
  await expect(page).toHaveURL(`${FIRST_RUN.url}/settings/account`);
});
