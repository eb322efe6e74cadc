import { expect, test, type Browser, type Page } from '@playwright/test';
import { startNginxLoop, type NginxLoop } from './nginx-harness';
import { apiAs, baseURL, createToken, stateFile, trpcData, trpcQuery, type Account } from './support';

/**
 * Content inspection end to end with a real nginx and its njs filter: a stub service answers
 * card numbers and SSNs; the filter's reports (not the simulator's) show the flow on /data and on
 * the token's page; an admin publishes a redaction rule on /data/classifiers and the next
 * response through nginx is masked; the agent reports the classifier revision it applied.
 */
const SERVICE = 'demo/wallet';
const CALLER = 'demo/web';
const CARD = '4111 1111 1111 1111';
const SSN = '123-45-6789';
const TOKEN = `tok-e2e-wallet-${Date.now().toString(36)}`;
const SHOTS = 'test-results/screenshots';
let loop: NginxLoop;

test.beforeAll(async () => {
  const admin = await apiAs('admin');
  const { token } = await createToken(admin, `e2e wallet nginx ${Date.now().toString(36)}`, [SERVICE]);
  await admin.dispose();
  loop = await startNginxLoop({
    consoleUrl: baseURL, token, service: SERVICE, proxyId: 'wallet-nginx-1',
    upstreamBody: (path) => ({ path, customer: { name: 'Ana Silva', ssn: SSN, card: { pan: CARD, expires: '12/29' } } }),
  });
});

test.afterEach(async ({}, info) => {
  if (loop && info.status !== info.expectedStatus) await info.attach('nginx-agent.log', { body: loop.agentLog(), contentType: 'text/plain' });
});

test.afterAll(async () => {
  await loop?.stop();
});

async function signedInAs(browser: Browser, account: Account): Promise<Page> {
  return (await browser.newContext({ baseURL, storageState: stateFile(account) })).newPage();
}

const get = async (path: string) => {
  const r = await fetch(`${loop.url}${path}`, { headers: { 'x-meshward-caller': CALLER, 'x-meshward-token-id': TOKEN } });
  return { status: r.status, text: await r.text() };
};

test('the filter’s reports reach /data, a published redaction rule masks the next response, the heartbeat names the revision', async ({ browser }) => {
  test.setTimeout(180_000);
  const first = await get('/api/wallet/1');
  expect(first.status).toBe(200);
  expect(first.text).toContain(CARD);

  // the flow, from the filter's reports: the edge carries credit_card and ssn in responses
  const analyst = await signedInAs(browser, 'analyst');
  // (one class at a time: the table lists the busiest edges first, and the demo traffic is busier)
  for (const dataClass of ['ssn', 'credit_card']) {
    await expect(async () => {
      await analyst.goto(`/data?range=15m&class=${dataClass}`);
      const row = analyst.getByTestId('flow-row').filter({ hasText: `${CALLER} → ${SERVICE}` });
      await expect(row).toHaveCount(1, { timeout: 2000 });
      await expect(row).toContainText('response');
    }).toPass({ timeout: 60_000 });
  }
  await analyst.screenshot({ path: `${SHOTS}/data-from-nginx-filter.png`, fullPage: true });
  // and the token that received them
  await analyst.goto(`/data/tokens/${encodeURIComponent(TOKEN)}?range=1h`);
  await expect(analyst.getByTestId('token-class').filter({ hasText: 'credit_card' })).toBeVisible({ timeout: 30_000 });
  await analyst.context().close();

  // an admin publishes a redaction rule for this service
  const admin = await signedInAs(browser, 'admin');
  await admin.goto('/data/classifiers');
  await admin.getByLabel('Class', { exact: true }).selectOption('credit_card');
  await admin.getByLabel('In', { exact: true }).selectOption('response');
  await admin.getByLabel('Action', { exact: true }).selectOption('redact');
  await admin.getByLabel('Services').fill(SERVICE);
  await admin.getByRole('button', { name: 'Add action' }).click();
  await admin.getByTestId('publish-classifiers').click();
  const dialog = admin.getByRole('dialog', { name: /^Publish classifier revision \d+$/ });
  await dialog.getByLabel(/Reason/).fill('e2e: no card numbers out of the wallet');
  await dialog.getByRole('button', { name: 'Publish' }).click();
  await expect(dialog).toBeHidden();
  const api = await apiAs('admin');
  const { revision } = await trpcData<{ revision: number }>(trpcQuery(api, 'classifiers.current'));
  expect(revision).toBeGreaterThan(0);

  // within seconds the agent applies it and nginx masks the card, the rest of the body intact
  await expect(async () => {
    const r = await get('/api/wallet/2');
    expect(r.text).not.toContain(CARD);
    const body = JSON.parse(r.text);
    expect(body.customer.name).toBe('Ana Silva');
    expect(body.customer.card.pan).toMatch(/^[* -]+$/);
  }).toPass({ timeout: 90_000 });

  // the heartbeat says which classifier set the proxy runs
  await expect(async () => {
    const list = await trpcData<{ rows: { id: string; classifierRevision: number | null }[] }>(trpcQuery(api, 'fleet.proxies', { q: 'wallet-nginx-1' }));
    expect(list.rows.find((p) => p.id === 'wallet-nginx-1')?.classifierRevision).toBe(revision);
  }).toPass({ timeout: 30_000 });
  await api.dispose();
  await admin.goto('/fleet?q=wallet-nginx-1');
  await expect(admin.getByTestId('proxy-row').first()).toContainText(`classifiers r${revision}`);
  await admin.context().close();
});
