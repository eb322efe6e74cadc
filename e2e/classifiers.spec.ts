import { expect, test, type Browser, type Page } from '@playwright/test';
import { apiAs, baseURL, stateFile, trpcData, trpcQuery, type Account } from './support';
import { seededTraffic } from './traffic';

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

test('an admin measures a draft block rule against the findings of the last day before publishing', async ({ browser }) => {
  test.setTimeout(240_000);
  const dataClass = seededTraffic().classes[0];
  const page = await signedInAs(browser, 'admin');
  await page.goto('/data/classifiers');
  const impact = page.getByRole('region', { name: 'Shadow impact' });
  await expect(impact.getByText(/a class the fleet does not report yet has no history/)).toBeVisible();

  await page.getByLabel('Class', { exact: true }).selectOption(dataClass);
  await page.getByLabel('In', { exact: true }).selectOption('both');
  await page.getByLabel('Action', { exact: true }).selectOption('block');
  await page.getByLabel('Services').fill('*');
  await page.getByRole('button', { name: 'Add action' }).click();
  const rule = impact.getByTestId('impact-rule').filter({ hasText: `block ${dataClass}` });
  const measure = impact.getByRole('button', { name: 'Measure impact' });
  // a day is read from the hour rollups, which the rollup job refreshes every minute: measure
  // again until the seeded events are in them
  let events = 0;
  await expect.poll(async () => {
    await measure.click();
    await expect(measure).toBeEnabled();
    await expect(rule).toBeVisible();
    events = Number(await rule.getByTestId('impact-events').getAttribute('data-events'));
    return events;
  }, { timeout: 150_000, intervals: [2_000, 5_000, 10_000] }).toBeGreaterThanOrEqual(seededTraffic().classEvents[dataClass]);
  // and no more than every event that carried the class in the day, as /data counts them
  const admin = await apiAs('admin');
  const classes = await trpcData<{ class: string; events: number }[]>(trpcQuery(admin, 'dataflow.classes', { range: { preset: '24h' } }));
  await admin.dispose();
  expect(events).toBeLessThanOrEqual(classes.find((c) => c.class === dataClass)!.events);
  await expect(impact.getByTestId('impact-line').first()).toContainText('This set would: redact');
  await expect(rule).toContainText(/\(\d/); // callers affected, with their counts

  // the measurement is of the set as it was: a change says so
  await page.getByTestId('rule-row').last().getByRole('button', { name: /Remove/ }).click();
  await expect(impact.getByTestId('impact-stale')).toBeVisible();
  await page.screenshot({ path: `${SHOTS}/classifiers-impact.png`, fullPage: true });
  await page.context().close();
});
