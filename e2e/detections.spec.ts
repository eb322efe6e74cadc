import { expect, test, type Browser, type Page } from '@playwright/test';
import { startNginxLoop, type NginxLoop } from './nginx-harness';
import { ACCOUNTS, apiAs, baseURL, createToken, setPasswordThroughLink, stateFile, trpcData, trpcMutation, trpcQuery, uniqueEmail } from './support';

/**
 * Detection end to end. The first block needs no detection at all (thresholds with their
 * backtest, the allow-list, who sees which controls, the overview's links). The second is the
 * whole loop through a real nginx: traffic teaches the console the service's API, a whitelist
 * policy is published, a token scrapes accounts through nginx, the detection shows up in the
 * live queue (THIS STEP NEEDS THE REAL ENGINE: with the placeholder engine nothing is found),
 * an analyst acknowledges it, an admin turns the token into a deny entry in a policy draft, an
 * admin who is a different person approves and publishes it, and nginx refuses the token.
 *
 * nginx is the edge of demo/accounts here: its customers' tokens and the scraper call it from
 * outside the mesh (no caller header, so `external`). The engine judges a token by the requests
 * it makes from outside; a call inside the mesh that forwards a token is the fan-out of a request
 * the calling service's own proxy reports, and is not counted for the token again.
 */
const SERVICE = 'demo/accounts';
const SCRAPER = 'tok-e2e-scraper';
const SHOTS = 'test-results/screenshots';
/** an admin whose password link the second admin issued, so the first admin's work is not theirs to refuse */
const admin3 = { email: uniqueEmail('det-third-admin'), password: 'det-third-admin-password-1' };

async function signedInAs(browser: Browser, account: keyof typeof ACCOUNTS | { email: string; password: string }): Promise<Page> {
  if (typeof account === 'string') {
    const context = await browser.newContext({ baseURL, storageState: stateFile(account) });
    return context.newPage();
  }
  const context = await browser.newContext({ baseURL, storageState: { cookies: [], origins: [] } });
  const page = await context.newPage();
  await page.goto('/signin');
  await page.getByLabel('Email').fill(account.email);
  await page.getByLabel('Password', { exact: true }).fill(account.password);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await expect(page).not.toHaveURL(/\/signin/);
  return page;
}

/** Both colour schemes of what is on screen, from the top. */
async function shots(page: Page, name: string) {
  for (const scheme of ['dark', 'light'] as const) {
    await page.emulateMedia({ colorScheme: scheme });
    await page.evaluate(() => window.scrollTo(0, 0));
    await page.screenshot({ path: `${SHOTS}/${scheme}-${name}.png`, fullPage: true });
  }
  await page.emulateMedia({ colorScheme: null });
}

test.describe('detection pages without a detection', () => {
  test('a viewer reads thresholds, the allow-list and the queue but is offered no control', async ({ browser }) => {
    const page = await signedInAs(browser, 'viewer');
    await page.goto('/settings/thresholds');
    await expect(page.getByRole('heading', { level: 1, name: 'Suspicion thresholds' })).toBeVisible();
    await expect(page.getByTestId('threshold-row').first()).toContainText('Global');
    await expect(page.getByRole('heading', { name: 'Change thresholds' })).toHaveCount(0);
    await expect(page.getByLabel('Value')).toHaveCount(0);
    await page.goto('/detections?state=all&actor=no-such-actor-anywhere');
    await expect(page.getByText('No detection matches these filters')).toBeVisible();
    // the filters live in the URL and the page reads them back
    await expect(page.getByLabel(/^Actor/)).toHaveValue('no-such-actor-anywhere');
    await expect(page.getByRole('button', { name: 'All', exact: true })).toHaveAttribute('aria-pressed', 'true');
    await page.context().close();
  });

  test('the overview links each severity of open detections to the filtered queue', async ({ browser }) => {
    const page = await signedInAs(browser, 'analyst');
    await page.goto('/?range=6h');
    const critical = page.getByTestId('open-critical');
    await expect(critical).toHaveAttribute('href', '/detections?state=open&severity=critical&range=6h');
    await critical.click();
    await expect(page).toHaveURL(/\/detections\?state=open&severity=critical&range=6h/);
    await expect(page.getByRole('button', { name: 'Critical' })).toHaveAttribute('aria-pressed', 'true');
    await expect(page.getByRole('button', { name: 'Open', exact: true })).toHaveAttribute('aria-pressed', 'true');
    // keyboard: / goes to the actor search
    await page.locator('body').press('/');
    await expect(page.getByLabel(/^Actor/)).toBeFocused();
    await page.context().close();
  });

  test('an admin backtests a service\'s own thresholds before saving them, and keeps the allow-list', async ({ browser }) => {
    const page = await signedInAs(browser, 'admin');
    await page.goto('/settings/thresholds');
    await page.getByLabel('or another service').fill('shop/catalog');
    await page.getByRole('button', { name: 'Use', exact: true }).click();
    await expect(page).toHaveURL(/scope=shop%2Fcatalog/);
    await page.getByLabel('Alert at score').fill('72');
    await page.getByLabel('Mitigate at score').fill('90');
    const save = page.getByTestId('save-thresholds');
    await expect(save).toBeDisabled();
    await page.getByRole('button', { name: 'last 7 days' }).click();
    await page.getByRole('button', { name: 'Run backtest' }).click();
    const backtest = page.getByTestId('backtest');
    await expect(backtest.getByRole('img', { name: /^Backtest/ }).locator('canvas').first()).toBeVisible({ timeout: 60_000 });
    await expect(backtest).toContainText('events');
    await expect(save).toBeEnabled();
    // a value changed after the backtest needs another one
    await page.getByLabel('Alert at score').fill('73');
    await expect(save).toBeDisabled();
    await page.getByRole('button', { name: 'Run backtest' }).click();
    await expect(save).toBeEnabled({ timeout: 60_000 });
    await shots(page, 'thresholds');
    await save.click();
    const dialog = page.getByRole('dialog', { name: 'Save the shop/catalog thresholds' });
    await dialog.getByLabel(/Reason/).fill('e2e: the catalog is crawled all day');
    await dialog.getByRole('button', { name: 'Save thresholds' }).click();
    await expect(dialog).toBeHidden();
    await expect(page.getByTestId('threshold-row').filter({ hasText: 'shop/catalog' })).toContainText('73');

    await page.getByLabel('Type').selectOption('cidr');
    await page.getByLabel('Value').fill('66.249.70.1/19');
    await page.getByLabel('Who it is').fill('Googlebot, published ranges');
    await page.getByRole('button', { name: 'Add…' }).click();
    const add = page.getByRole('dialog', { name: 'Add to the allow-list' });
    await add.getByLabel(/Reason/).fill('e2e: verified crawler');
    await add.getByRole('button', { name: 'Add', exact: true }).click();
    await expect(add).toBeHidden();
    await expect(page.getByTestId('allow-row').filter({ hasText: '66.249.64.0/19' })).toContainText('Googlebot');

    // both changes are in the audit log
    const admin = await apiAs('admin');
    const log = await trpcData<{ items: { action: string; targetId: string | null }[] }>(trpcQuery(admin, 'audit.list', { action: 'detection.' }));
    expect(log.items.map((r) => r.action)).toEqual(expect.arrayContaining(['detection.thresholds.set', 'detection.allow.add']));
    await admin.dispose();
    await page.context().close();
  });
});

test.describe('an attack through nginx, from the queue to enforcement', () => {
  test.describe.configure({ mode: 'serial' });
  test.setTimeout(240_000);
  let loop: NginxLoop;
  let detectionPath = '';

  /** One request through nginx from outside the mesh, or as `caller` from inside it, carrying the token id the edge would set. */
  const hit = async (path: string, opts: { caller?: string; token?: string; method?: string } = {}) => {
    const headers: Record<string, string> = {};
    if (opts.caller) headers['x-meshward-caller'] = opts.caller;
    if (opts.token) headers['x-meshward-token-id'] = opts.token;
    const r = await fetch(`${loop.url}${path}`, { method: opts.method ?? 'GET', headers });
    await r.arrayBuffer();
    return r.status;
  };

  test.beforeAll(async () => {
    const admin = await apiAs('admin');
    const { token } = await createToken(admin, 'e2e detection nginx', [SERVICE]);
    const asked = await trpcData<{ grant: { id: string } }>(trpcMutation(admin, 'users.create', { email: admin3.email, name: '', role: 'admin', reason: 'e2e: approves the first admin\'s deny entries' }));
    await admin.dispose();
    const second = await apiAs('admin2');
    const approved = await trpcData<{ link: { path: string } }>(trpcMutation(second, 'users.decideGrant', { grantId: asked.grant.id, decision: 'approve', reason: 'e2e: known person' }));
    await second.dispose();
    await setPasswordThroughLink(approved.link.path, admin3.password);
    loop = await startNginxLoop({ consoleUrl: baseURL, token, service: SERVICE, proxyId: 'accounts-nginx-1' });

    // the service's real API, used from outside by a handful of customers' tokens
    for (let i = 0; i < 40; i++) expect(await hit(`/api/accounts/${1001 + (i % 12)}`, { token: `tok-e2e-user-${i % 5}` })).toBe(200);
    for (let i = 0; i < 8; i++) expect(await hit('/api/transfers', { method: 'POST', token: `tok-e2e-user-${i % 5}` })).toBe(200);
    // it is learned, approved by an analyst and published as a whitelist by a second person
    const analyst = await apiAs('analyst');
    let rows: { id: string }[] = [];
    await expect.poll(async () => {
      await trpcData(trpcMutation(analyst, 'apis.learnNow', {}));
      rows = (await trpcData<{ rows: { id: string }[] }>(trpcQuery(analyst, 'apis.list', { service: SERVICE }))).rows;
      return rows.length;
    }, { timeout: 45_000, message: 'the nginx traffic was learned' }).toBe(2);
    await trpcData(trpcMutation(analyst, 'apis.review', { ids: rows.map((r) => r.id), decision: 'approve', reason: 'e2e: the accounts API' }));
    const draft = await trpcData<{ id: string; sha256: string }>(trpcMutation(analyst, 'policies.generate', { service: SERVICE, reason: 'e2e: whitelist' }));
    await analyst.dispose();
    const approver = await apiAs('admin2');
    await trpcData(trpcMutation(approver, 'policies.approve', { id: draft.id, sha256: draft.sha256, reason: 'e2e: whitelist reviewed' }));
    await trpcData(trpcMutation(approver, 'policies.publish', { id: draft.id, reason: 'e2e: enforce' }));
    await approver.dispose();
    // a service inside the mesh that never called it is refused; customers from outside still pass
    await expect.poll(() => hit('/api/accounts/1001', { caller: 'shop/evil' }), { timeout: 15_000, intervals: [200] }).toBe(403);
    expect(await hit('/api/accounts/1001', { token: 'tok-e2e-user-0' })).toBe(200);
  });

  test.afterEach(async ({}, info) => {
    if (loop && info.status !== info.expectedStatus) await info.attach('nginx-agent.log', { body: loop.agentLog(), contentType: 'text/plain' });
  });

  test.afterAll(async () => {
    await loop?.stop();
  });

  test('a token walking every account shows up in the live queue, and an analyst acknowledges it [needs the real engine]', async ({ browser }) => {
    const page = await signedInAs(browser, 'analyst');
    await page.goto('/detections?range=1h');
    await expect(page.getByRole('heading', { level: 1, name: 'Detections' })).toBeVisible();
    // the scraper walks 1,200 account ids in order from outside, with a valid token: the whitelist lets it through
    for (let i = 0; i < 1200; i += 40) {
      const statuses = await Promise.all(Array.from({ length: 40 }, (_, j) => hit(`/api/accounts/${20000 + i + j}`, { token: SCRAPER })));
      expect(new Set(statuses)).toEqual(new Set([200]));
    }
    // the queue refreshes by itself; the detection names the token
    const row = page.getByTestId('detection-row').filter({ hasText: SCRAPER });
    await expect(row.first()).toBeVisible({ timeout: 150_000 });
    await row.first().getByRole('link').first().click();
    await expect(page).toHaveURL(/\/detections\/det_/);
    detectionPath = new URL(page.url()).pathname;
    await expect(page.getByTestId('actor-row').filter({ hasText: SCRAPER })).toBeVisible();
    await expect(page.getByRole('img', { name: /^Requests and errors per minute/ }).locator('canvas').first()).toBeVisible();
    // analysts triage; the deny button is offered to them too (a draft entry only)
    await page.getByRole('button', { name: 'Acknowledge' }).click();
    const dialog = page.getByRole('dialog', { name: 'Acknowledge this detection' });
    await dialog.getByLabel(/Reason/).fill('e2e: looking into the scraper');
    await dialog.getByRole('button', { name: 'Acknowledge' }).click();
    await expect(dialog).toBeHidden();
    await expect(page.getByTestId('triage-state')).toHaveText('Acknowledged');
    await expect(page.getByTestId('history-row').first()).toContainText('e2e: looking into the scraper');
    await expect(page.getByLabel('Assignee')).toHaveValue(/usr_/);
    await page.context().close();
  });

  test('an admin denies the token from the detection: an expiring entry in a new policy draft, not yet on the mesh', async ({ browser }) => {
    test.skip(!detectionPath, 'needs the detection of the previous step');
    const page = await signedInAs(browser, 'admin');
    await page.goto(detectionPath);
    await page.getByRole('button', { name: `Deny ${SCRAPER}` }).click();
    const dialog = page.getByRole('dialog', { name: 'Deny this actor' });
    await expect(dialog).toContainText(`token ${SCRAPER}`);
    await dialog.getByLabel('Expires after').selectOption({ label: '7 days' });
    await dialog.getByLabel(/Reason/).fill('e2e: scraped 1,200 accounts');
    await page.screenshot({ path: `${SHOTS}/detection-deny-dialog.png` });
    await dialog.getByRole('button', { name: 'Add to the draft' }).click();
    await expect(dialog.getByTestId('deny-done')).toContainText('Another admin must approve it');
    await dialog.getByRole('link', { name: 'Open the draft' }).click();
    await expect(page).toHaveURL(/\/policies\/demo\/accounts/);
    await expect(page.getByRole('heading', { name: 'Revision 2' })).toBeVisible();
    await page.getByRole('tab', { name: /^Rules/ }).click();
    await expect(page.getByTestId('policy-deny').filter({ hasText: SCRAPER })).toBeVisible();
    // whoever wrote it cannot approve it; the mesh still lets the token through
    await expect(page.getByRole('button', { name: 'Approve', exact: true })).toBeDisabled();
    expect(await hit('/api/accounts/1001', { token: SCRAPER })).toBe(200);
    await page.goto(detectionPath);
    await expect(page.getByTestId('mitigation')).toContainText(`token ${SCRAPER}`);
    await shots(page, 'detection');
    await page.goto('/detections?range=1h&state=all');
    await expect(page.getByTestId('detection-row').first()).toBeVisible();
    await shots(page, 'detections');
    // a backtest of the service's thresholds finds the attack in the stored traffic too
    await page.goto('/settings/thresholds');
    await page.getByLabel('or another service').fill(SERVICE);
    await page.getByRole('button', { name: 'Use', exact: true }).click();
    await expect(page).toHaveURL(/scope=demo%2Faccounts/);
    await page.getByRole('button', { name: 'Run backtest' }).click();
    const backtest = page.getByTestId('backtest');
    await expect(backtest.getByRole('img', { name: /^Backtest/ }).locator('canvas').first()).toBeVisible({ timeout: 60_000 });
    await expect(backtest.getByTestId('bt-current')).toHaveText(/^[1-9]\d* detections?$/);
    await shots(page, 'thresholds-detections');
    await page.goto('/?range=1h');
    await expect(page.getByTestId('open-detections')).toBeVisible();
    await expect(page.getByRole('img', { name: /^Requests per interval/ }).locator('canvas').first()).toBeVisible();
    await shots(page, 'overview-detections');
    await page.context().close();
  });

  test('another admin approves and publishes it, and nginx refuses the token while others pass', async ({ browser }) => {
    test.skip(!detectionPath, 'needs the detection of the first step');
    const page = await signedInAs(browser, admin3);
    await page.goto(`/policies/${SERVICE}`);
    await page.getByRole('button', { name: 'Approve', exact: true }).click();
    let step = page.getByRole('dialog', { name: 'Approve revision 2' });
    await step.getByLabel(/Reason/).fill('e2e: the scraper goes');
    await step.getByRole('button', { name: 'Approve' }).click();
    await expect(step).toBeHidden();
    await page.getByRole('button', { name: 'Publish to the fleet' }).click();
    step = page.getByRole('dialog', { name: 'Publish revision 2' });
    await step.getByLabel(/Reason/).fill('e2e: enforce the deny entry');
    await step.getByRole('button', { name: 'Publish' }).click();
    await expect(step).toBeHidden();
    await expect.poll(() => hit('/api/accounts/1001', { token: SCRAPER }), { timeout: 10_000, intervals: [200] }).toBe(403);
    expect(await hit('/api/accounts/1001', { token: 'tok-e2e-user-1' })).toBe(200);
    await page.context().close();

    // the analyst closes the incident
    const analyst = await signedInAs(browser, 'analyst');
    await analyst.goto(detectionPath);
    await analyst.getByRole('button', { name: 'Resolve' }).click();
    const dialog = analyst.getByRole('dialog', { name: 'Resolve this detection' });
    await dialog.getByLabel(/Reason/).fill('e2e: denied at nginx');
    await dialog.getByRole('button', { name: 'Resolve' }).click();
    await expect(analyst.getByTestId('triage-state')).toHaveText('Resolved');
    await analyst.context().close();
  });
});
