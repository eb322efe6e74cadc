import { expect, test, type Browser, type Page } from '@playwright/test';
import { call, startNginxLoop, type NginxLoop } from './nginx-harness';
import { ACCOUNTS, apiAs, baseURL, createToken, setPasswordThroughLink, trpcData, trpcError, trpcMutation, trpcQuery, uniqueEmail } from './support';

/**
 * The whole loop with a real nginx: traffic through nginx teaches the console its endpoints,
 * an analyst approves them and drafts a policy, a second person (an admin who did not issue the
 * analyst's password link) approves the exact content shown and publishes it through the UI,
 * nginx enforces it within seconds, a tampered bundle is refused, and a rollback that re-opens
 * what revision 2 closed needs the second admin's approval before nginx follows it.
 */
const SERVICE = 'demo/orders';
const SHOTS = 'test-results/screenshots';
let loop: NginxLoop;
const admin2 = ACCOUNTS.admin2;
/** a third admin, asked for by the first and approved by the second, who issues its link */
const admin3 = { email: uniqueEmail('third-admin'), password: 'third-admin-password-1' };

test.describe.configure({ mode: 'serial' });
test.setTimeout(240_000);

test.beforeAll(async () => {
  const admin = await apiAs('admin');
  const { token } = await createToken(admin, 'e2e nginx');
  const asked = await trpcData<{ kind: string; grant: { id: string } }>(trpcMutation(admin, 'users.create', { email: admin3.email, name: '', role: 'admin', reason: 'e2e: approves the first admin\'s rollbacks' }));
  expect(asked.kind).toBe('grant_requested');
  await admin.dispose();
  const second = await apiAs('admin2');
  const approved = await trpcData<{ link: { path: string } }>(trpcMutation(second, 'users.decideGrant', { grantId: asked.grant.id, decision: 'approve', reason: 'e2e: known person' }));
  await second.dispose();
  await setPasswordThroughLink(approved.link.path, admin3.password);
  loop = await startNginxLoop({ consoleUrl: baseURL, token, service: SERVICE, proxyId: 'orders-nginx-1' });
});

// when a step fails, what the agent said is what explains it
test.afterEach(async ({}, info) => {
  if (loop && info.status !== info.expectedStatus) await info.attach('nginx-agent.log', { body: loop.agentLog(), contentType: 'text/plain' });
});

test.afterAll(async () => {
  await loop?.stop();
});

async function signedInAs(browser: Browser, email: string, password: string): Promise<Page> {
  const context = await browser.newContext({ baseURL, storageState: { cookies: [], origins: [] } });
  const page = await context.newPage();
  await page.goto('/signin');
  await page.getByLabel('Email').fill(email);
  await page.getByLabel('Password', { exact: true }).fill(password);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await expect(page).not.toHaveURL(/\/signin/);
  return page;
}

/** What the mesh sends before any policy: the service's real API, and an admin tool deleting orders. */
async function traffic() {
  const statuses: number[] = [];
  for (let i = 0; i < 30; i++) statuses.push(await call(loop, 'GET', `/api/orders/${1001 + i}`, 'shop/web'));
  for (let i = 0; i < 25; i++) statuses.push(await call(loop, 'GET', `/api/orders/recent?limit=${i}`, 'shop/web'));
  for (let i = 0; i < 10; i++) statuses.push(await call(loop, 'POST', '/api/orders', 'shop/checkout'));
  for (let i = 0; i < 5; i++) statuses.push(await call(loop, 'DELETE', `/api/orders/${2001 + i}`, 'shop/admin'));
  return statuses;
}

test('traffic through nginx is learned, reviewed and turned into a draft policy by an analyst', async ({ browser }) => {
  expect(new Set(await traffic())).toEqual(new Set([200]));
  // the agent ships nginx's log: the proxy shows up in the fleet with its events
  const viewer = await apiAs('viewer');
  await expect.poll(async () => {
    const proxies = await trpcData<{ rows: { id: string; lastEventAt: string | null }[] }>(trpcQuery(viewer, 'fleet.proxies', { q: 'orders-nginx-1' }));
    return proxies.rows.find((p) => p.id === 'orders-nginx-1')?.lastEventAt ?? null;
  }, { timeout: 20_000, message: 'the agent shipped the access log' }).not.toBeNull();
  await viewer.dispose();
  const page = await signedInAs(browser, 'analyst@e2e.test', 'e2e-analyst-password-1');
  await page.goto(`/apis?service=${encodeURIComponent(SERVICE)}`);
  // the agent ships nginx's log within a second or two; each click writes what was learned so far
  await expect(async () => {
    await page.getByRole('button', { name: 'Update from traffic' }).click();
    await expect(page.getByTestId('endpoint-row')).toHaveCount(4, { timeout: 2000 });
  }).toPass({ timeout: 45_000 });
  for (const [method, template] of [['GET', '/api/orders/{order_id}'], ['GET', '/api/orders/recent'], ['POST', '/api/orders']]) {
    await page.getByRole('checkbox', { name: `Select ${method} ${template}`, exact: true }).check();
  }
  await page.getByRole('region', { name: 'Bulk review' }).getByRole('button', { name: 'Approve' }).click();
  const approve = page.getByRole('dialog', { name: 'Approve 3 endpoints' });
  await approve.getByLabel(/Reason/).fill('e2e: the orders API as designed');
  await approve.getByRole('button', { name: 'Approve 3' }).click();
  await expect(approve).toBeHidden();

  await page.goto(`/policies/${SERVICE}`);
  await page.getByRole('button', { name: 'Generate draft' }).click();
  const gen = page.getByRole('dialog', { name: 'Generate the draft' });
  await gen.getByLabel(/Reason/).fill('e2e: first whitelist for orders');
  await gen.getByRole('button', { name: 'Generate draft' }).click();
  await expect(gen).toBeHidden();
  await expect(page.getByRole('heading', { name: 'Revision 1' })).toBeVisible();
  await expect(page.getByTestId('diff-added')).toHaveCount(3);
  await page.screenshot({ path: `${SHOTS}/policy-draft.png`, fullPage: true });
  // analysts draft; only an admin who did not write it approves
  await expect(page.getByRole('button', { name: 'Approve' })).toHaveCount(0);
  await page.getByRole('tab', { name: 'Shadow impact' }).click();
  await expect(page.getByTestId('shadow-denied')).toHaveText('5');
  await expect(page.getByTestId('shadow-group').filter({ hasText: 'shop/admin' })).toContainText('DELETE');
  await page.screenshot({ path: `${SHOTS}/policy-shadow.png`, fullPage: true });
  await page.getByRole('tab', { name: /^Rules/ }).click();
  await expect(page.getByTestId('policy-rule')).toHaveCount(3);
  await page.screenshot({ path: `${SHOTS}/policy-rules.png`, fullPage: true });
  await page.context().close();
});

test('a second person approves and publishes it, and nginx enforces it within seconds', async ({ browser }) => {
  // the first admin issued the analyst's password link: they may not approve the analyst's draft
  const first = await apiAs('admin');
  const view = await trpcData<{ open: { id: string; sha256: string } }>(trpcQuery(first, 'policies.service', { service: SERVICE }));
  expect(await trpcError(trpcMutation(first, 'policies.approve', { id: view.open.id, sha256: view.open.sha256, reason: 'e2e: mine' })))
    .toMatchObject({ status: 403, code: 'FORBIDDEN', message: expect.stringContaining('You issued the password link of analyst@e2e.test') });
  await first.dispose();

  const page = await signedInAs(browser, admin2.email, admin2.password);
  await page.goto(`/policies/${SERVICE}`);
  await expect(page.getByTestId('open-sha')).toHaveText(`sha256 ${view.open.sha256.slice(0, 12)}`);
  await page.getByRole('button', { name: 'Approve', exact: true }).click();
  let dialog = page.getByRole('dialog', { name: 'Approve revision 1' });
  // the approval names the content on screen
  await expect(dialog.getByTestId('approve-sha')).toHaveText(view.open.sha256);
  await dialog.getByLabel(/Reason/).fill('e2e: shadow impact only hits the admin tool');
  await page.screenshot({ path: `${SHOTS}/policy-approve.png` });
  await dialog.getByRole('button', { name: 'Approve' }).click();
  await expect(dialog).toBeHidden();
  await page.getByRole('button', { name: 'Publish to the fleet' }).click();
  dialog = page.getByRole('dialog', { name: 'Publish revision 1' });
  await dialog.getByLabel(/Reason/).fill('e2e: enforce');
  await dialog.getByRole('button', { name: 'Publish' }).click();
  await expect(dialog).toBeHidden();

  await expect.poll(() => call(loop, 'DELETE', '/api/orders/2001', 'shop/admin'), { timeout: 5000, intervals: [100] }).toBe(403);
  expect(await call(loop, 'GET', '/api/orders/1005', 'shop/web')).toBe(200);
  expect(await call(loop, 'GET', '/api/orders/recent', 'shop/web')).toBe(200);
  expect(await call(loop, 'POST', '/api/orders', 'shop/checkout')).toBe(200);
  expect(await call(loop, 'GET', '/api/orders/1005', 'shop/evil')).toBe(403);
  expect(await call(loop, 'GET', '/api/orders/1005')).toBe(403);
  expect(await call(loop, 'GET', '/api/orders/1005/', 'shop/web')).toBe(403);
  expect(await call(loop, 'GET', '/api/orders/%2e%2e/recent', 'shop/web')).toBe(403);
  expect(await call(loop, 'POST', '/api/orders/1005', 'shop/web')).toBe(403);

  // the proxy reports the revision it applied, and the denied calls reach the console's data
  await expect(page.getByTestId('policy-proxy').filter({ hasText: 'orders-nginx-1' })).toContainText('current', { timeout: 15_000 });
  const viewer = await apiAs('viewer');
  await expect.poll(async () => {
    const edge = await trpcData<{ totals: { clientErrors: number } }>(trpcQuery(viewer, 'graph.edge', { range: { preset: '15m' }, src: 'shop/evil', dst: SERVICE }));
    return edge.totals.clientErrors;
  }, { timeout: 20_000 }).toBeGreaterThanOrEqual(1);
  await viewer.dispose();
  await page.context().close();
});

test('a tampered bundle is refused and the last good rules stay; a rollback is followed', async ({ browser }) => {
  // revision 2 denies this host's address: everything nginx serves here would be refused
  const analyst = await apiAs('analyst');
  const draft = await trpcData<{ id: string }>(trpcMutation(analyst, 'policies.generate', { service: SERVICE, reason: 'e2e: second revision' }));
  await trpcData(trpcMutation(analyst, 'policies.edit', { id: draft.id, addDeny: [{ kind: 'ip', value: '127.0.0.0/8', reason: 'e2e: block the test host' }], reason: 'e2e: deny localhost' }));
  const reviewed = await trpcData<{ sha256: string }>(trpcMutation(analyst, 'policies.edit', { id: draft.id, addDeny: [], reason: 'e2e: no change' }));
  const second = await apiAs('admin2');
  // an edit between review and approval: the approval of what was reviewed is refused
  const changed = await trpcData<{ sha256: string }>(trpcMutation(analyst, 'policies.edit', { id: draft.id, addDeny: [{ kind: 'user', value: 'mallory', reason: 'e2e: late edit' }], reason: 'e2e: late edit' }));
  expect(await trpcError(trpcMutation(second, 'policies.approve', { id: draft.id, sha256: reviewed.sha256, reason: 'e2e' })))
    .toMatchObject({ status: 409, code: 'CONFLICT', message: expect.stringContaining('changed since it was reviewed') });
  await trpcData(trpcMutation(second, 'policies.approve', { id: draft.id, sha256: changed.sha256, reason: 'e2e' }));
  await analyst.dispose();

  loop.tamper = true;
  await trpcData(trpcMutation(second, 'policies.publish', { id: draft.id, reason: 'e2e: published while a man in the middle tampers' }));
  await expect.poll(() => loop.tampered, { timeout: 10_000 }).toBeGreaterThanOrEqual(1);
  await expect.poll(() => loop.agentLog(), { timeout: 10_000 }).toContain('refused a bundle');
  // the previous rules hold: approved calls pass, others do not
  expect(await call(loop, 'GET', '/api/orders/1005', 'shop/web')).toBe(200);
  expect(await call(loop, 'DELETE', '/api/orders/2001', 'shop/admin')).toBe(403);

  loop.tamper = false;
  await expect.poll(() => call(loop, 'GET', '/api/orders/1005', 'shop/web'), { timeout: 10_000, intervals: [200] }).toBe(403);
  await second.dispose();

  // roll back to revision 1 through the UI: it lifts revision 2's deny entries, so it is a
  // draft another admin approves and publishes; then nginx follows. Not admin2: the first admin
  // issued admin2's password link, so admin2 may not approve the first admin's work.
  const page = await signedInAs(browser, 'admin@e2e.test', 'e2e-admin-password-1');
  await page.goto(`/policies/${SERVICE}`);
  await page.getByTestId('revision-row').filter({ hasText: /^1/ }).getByRole('button', { name: 'Roll back' }).click();
  const dialog = page.getByRole('dialog', { name: 'Roll back to revision 1' });
  await expect(dialog.getByTestId('rollback-words')).toContainText('it would lift 2 deny entries in force now');
  await expect(dialog.getByTestId('rollback-words')).toContainText('another admin approves');
  await dialog.getByLabel(/Reason/).fill('e2e: revision 2 blocked everyone');
  await page.screenshot({ path: `${SHOTS}/policy-rollback.png` });
  await dialog.getByRole('button', { name: 'Ask for approval' }).click();
  await expect(dialog).toBeHidden();
  await expect(page.getByRole('heading', { name: 'Revision 3' })).toBeVisible();
  await expect(page.locator('.open-revision')).toContainText('rollback to revision 1 asked by admin@e2e.test');
  // nothing changed on the mesh yet
  expect(await call(loop, 'GET', '/api/orders/1005', 'shop/web')).toBe(403);
  await expect(page.getByRole('button', { name: 'Approve', exact: true })).toBeDisabled();

  const blocked = await apiAs('admin2');
  const rollbackDraft = await trpcData<{ open: { id: string; sha256: string } }>(trpcQuery(blocked, 'policies.service', { service: SERVICE }));
  expect(await trpcError(trpcMutation(blocked, 'policies.approve', { id: rollbackDraft.open.id, sha256: rollbackDraft.open.sha256, reason: 'e2e' })))
    .toMatchObject({ status: 403, message: expect.stringContaining('Your password was set through a link admin@e2e.test issued') });
  await blocked.dispose();
  const approver = await signedInAs(browser, admin3.email, admin3.password);
  await approver.goto(`/policies/${SERVICE}`);
  await approver.getByRole('button', { name: 'Approve', exact: true }).click();
  let step = approver.getByRole('dialog', { name: 'Approve revision 3' });
  await step.getByLabel(/Reason/).fill('e2e: the rollback is right');
  await step.getByRole('button', { name: 'Approve' }).click();
  await expect(step).toBeHidden();
  await approver.getByRole('button', { name: 'Publish to the fleet' }).click();
  step = approver.getByRole('dialog', { name: 'Publish revision 3' });
  await step.getByLabel(/Reason/).fill('e2e: publish the rollback');
  await step.getByRole('button', { name: 'Publish' }).click();
  await expect(step).toBeHidden();
  await approver.context().close();

  await expect.poll(() => call(loop, 'GET', '/api/orders/1005', 'shop/web'), { timeout: 5000, intervals: [100] }).toBe(200);
  await page.reload();
  expect(await call(loop, 'DELETE', '/api/orders/2001', 'shop/admin')).toBe(403);
  await expect(page.getByTestId('revision-row').first()).toContainText('rollback to 1');
  await expect(page.getByTestId('policy-proxy').filter({ hasText: 'orders-nginx-1' })).toContainText('current', { timeout: 15_000 });
  await page.getByRole('button', { name: 'Show diff' }).click();
  await expect(page.getByTestId('policy-diff')).toBeVisible();
  await page.screenshot({ path: `${SHOTS}/policy-history.png`, fullPage: true });
  await page.goto('/policies');
  await expect(page.getByTestId('policy-service-row').filter({ hasText: SERVICE })).toContainText('revision 3');
  await page.screenshot({ path: `${SHOTS}/policies.png`, fullPage: true });
  await page.context().close();
});
