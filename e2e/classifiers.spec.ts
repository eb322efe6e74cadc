import { expect, test, type Browser, type Page } from '@playwright/test';
import { baseURL, stateFile, type Account } from './support';

/**
 * `/data/classifiers`: an admin adds a redaction rule, checks it on a pasted body (the card is
 * found, the other side would get it masked), and publishes it with a reason; a viewer reads the
 * set in force and is offered no control.
 */
const SHOTS = 'test-results/screenshots';

async function signedInAs(browser: Browser, account: Account): Promise<Page> {
  const context = await browser.newContext({ baseURL, storageState: stateFile(account) });
  return context.newPage();
}

test('an admin tries a redaction rule on a body and publishes it', async ({ browser }) => {
  const page = await signedInAs(browser, 'admin');
  await page.goto('/data/classifiers');
  await expect(page.getByRole('heading', { level: 1, name: 'Classifiers' })).toBeVisible();
  await expect(page.getByTestId('builtin-row')).toHaveCount(10);
  const inForce = await page.getByTestId('in-force').innerText();
  const publish = page.getByTestId('publish-classifiers');
  await expect(publish).toBeDisabled();

  await page.getByLabel('Class', { exact: true }).selectOption('credit_card');
  await page.getByLabel('In', { exact: true }).selectOption('response');
  await page.getByLabel('Action', { exact: true }).selectOption('redact');
  await page.getByLabel('Services').fill('shop/*');
  await page.getByLabel('Except callers').fill('payments/billing');
  await page.getByRole('button', { name: 'Add action' }).click();
  await expect(page.getByTestId('rule-row').last()).toContainText('credit_card');
  await expect(publish).toBeEnabled();

  await page.getByLabel('Service', { exact: true }).fill('shop/orders');
  await page.getByRole('button', { name: 'Scan' }).click();
  const result = page.getByTestId('try-result');
  await expect(result).toContainText('The proxy would redact');
  await expect(result.getByTestId('try-match').filter({ hasText: 'credit_card' })).toContainText('$.customer.card.pan');
  const redacted = await page.getByTestId('try-redacted').innerText();
  expect(redacted).not.toContain('4111 1111 1111 1111');
  expect(JSON.parse(redacted).customer.email).toBe('ana@example.com');
  // the excepted caller receives the body as it is
  await page.getByLabel('Caller', { exact: true }).fill('payments/billing');
  await page.getByRole('button', { name: 'Scan' }).click();
  await expect(result).toContainText('The proxy would report');
  await page.screenshot({ path: `${SHOTS}/classifiers-editor.png`, fullPage: true });

  await publish.click();
  const dialog = page.getByRole('dialog', { name: /^Publish classifier revision \d+$/ });
  await dialog.getByLabel(/Reason/).fill('e2e: no card numbers to the shop');
  await dialog.getByRole('button', { name: 'Publish' }).click();
  await expect(dialog).toBeHidden();
  await expect(page.getByTestId('in-force')).not.toHaveText(inForce);
  await expect(page.getByTestId('in-force')).toContainText('e2e: no card numbers to the shop');
  await expect(page.getByTestId('revision-row').first()).toContainText('redact credit_card');
  await expect(publish).toBeDisabled();
  await page.context().close();
});

test('a viewer reads the set in force and its history, with no control', async ({ browser }) => {
  const page = await signedInAs(browser, 'viewer');
  await page.goto('/data/classifiers');
  await expect(page.getByTestId('in-force')).toBeVisible();
  await expect(page.getByTestId('builtin-row').first().getByRole('checkbox')).toBeDisabled();
  await expect(page.getByTestId('publish-classifiers')).toHaveCount(0);
  await expect(page.getByRole('heading', { name: 'Try a body' })).toHaveCount(0);
  await expect(page.getByTestId('revision-row').last()).toContainText('built in');
  await page.context().close();
});
