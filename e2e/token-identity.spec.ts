import { expect, test, type APIRequestContext, type Browser, type Page } from '@playwright/test';
import { apiAs, baseURL, createToken, postOtlp, stateFile, trpcData, trpcError, trpcMutation, trpcQuery, unique, type Account } from './support';

/**
 * Who is behind a token (issue 14 §3). A token of this spec's own calls two services of a
 * namespace of its own from outside the mesh, carrying two users, two client addresses and two
 * user agents (one of each hostile markup). One of the services has a published whitelist. An
 * analyst opens the token's page, sees every list with its counts, and denies the token on that
 * service: a deny entry in a new draft, which still needs an admin who did not write it. A viewer
 * sees the same lists and no deny control.
 */
const NS = unique('tid').replace(/[^a-z0-9-]/g, '').slice(0, 40);
const LEDGER = `${NS}/ledger`;
const WALLET = `${NS}/wallet`;
const TOKEN = `tok-${unique('e2e-identity')}`;
const OTHER_TOKEN = `tok-${unique('e2e-bystander')}`;
const HOSTILE_USER = '<b>mallory</b>';
const HOSTILE_AGENT = '<script>window.__pwned=1</script>';
const PROXY = `${NS}-proxy-1`;

const str = (v: string) => ({ stringValue: v });

interface Call { service: 'ledger' | 'wallet'; path: string; token: string; user: string; address: string; agent: string }

/** One OTLP/JSON batch of access records timed just now, each with its own request id. */
function batch(calls: Call[]) {
  const nowNs = BigInt(Date.now()) * 1_000_000n;
  return {
    resourceLogs: ['ledger', 'wallet'].map((service) => ({
      resource: { attributes: [{ key: 'service.name', value: str(service) }, { key: 'k8s.namespace.name', value: str(NS) }, { key: 'host.name', value: str(PROXY) }] },
      scopeLogs: [{
        scope: { name: 'meshward-e2e' },
        logRecords: calls.filter((c) => c.service === service).map((c, i) => ({
          timeUnixNano: String(nowNs - BigInt(i) * 1_000_000n),
          attributes: [
            { key: 'meshward.request_id', value: str(unique('req')) },
            { key: 'meshward.src_service', value: str('external') },
            { key: 'http.request.method', value: str('GET') },
            { key: 'url.path', value: str(c.path) },
            { key: 'http.response.status_code', value: { intValue: '200' } },
            { key: 'client.address', value: str(c.address) },
            { key: 'user_agent.original', value: str(c.agent) },
            { key: 'meshward.token_id', value: str(c.token) },
            { key: 'meshward.user', value: str(c.user) },
          ],
        })),
      }],
    })),
  };
}

async function pageAs(browser: Browser, account: Account): Promise<Page> {
  const context = await browser.newContext({ baseURL, storageState: stateFile(account) });
  return context.newPage();
}

const tokenPage = (token: string) => `/data/tokens/${encodeURIComponent(token)}?range=1h`;

test.describe('token identity and "deny this actor"', () => {
  test.describe.configure({ mode: 'serial' });
  test.setTimeout(120_000);

  test.beforeAll(async () => {
    const admin = await apiAs('admin');
    const { token: proxyToken } = await createToken(admin, `e2e token identity ${NS}`, ['*']);
    // the token of this spec: 6 calls to the ledger as alice from one address, 3 to the wallet as the hostile user from another
    const mine: Call[] = [
      ...Array.from({ length: 6 }, (_, i) => ({ service: 'ledger' as const, path: `/api/ledger/${1001 + i}`, token: TOKEN, user: 'alice', address: '203.0.113.50', agent: 'Mozilla/5.0 (e2e)' })),
      ...Array.from({ length: 3 }, (_, i) => ({ service: 'wallet' as const, path: `/api/wallet/${2001 + i}`, token: TOKEN, user: HOSTILE_USER, address: '198.51.100.23', agent: HOSTILE_AGENT })),
    ];
    // somebody else's traffic, so the ledger's API is learned from more than this token
    const others: Call[] = Array.from({ length: 40 }, (_, i) => ({
      service: 'ledger' as const, path: `/api/ledger/${3001 + (i % 12)}`, token: OTHER_TOKEN, user: 'bob', address: '192.0.2.77', agent: 'curl/8.5.0',
    }));
    const res = await postOtlp(admin, proxyToken, batch([...mine, ...others]));
    const body = await res.text();
    expect(res.status(), body).toBe(200);
    expect((JSON.parse(body) as { partialSuccess?: { rejectedLogRecords?: number } }).partialSuccess?.rejectedLogRecords ?? 0, body).toBe(0);
    await admin.dispose();

    // the ledger's API is learned, approved by an analyst and published as a whitelist by an admin
    const analyst = await apiAs('analyst');
    let rows: { id: string }[] = [];
    await expect.poll(async () => {
      await trpcData(trpcMutation(analyst, 'apis.learnNow', {}));
      rows = (await trpcData<{ rows: { id: string }[] }>(trpcQuery(analyst, 'apis.list', { service: LEDGER }))).rows;
      return rows.length;
    }, { timeout: 45_000, message: 'the ledger traffic was learned' }).toBeGreaterThan(0);
    await trpcData(trpcMutation(analyst, 'apis.review', { ids: rows.map((r) => r.id), decision: 'approve', reason: 'e2e: the ledger API' }));
    const draft = await trpcData<{ id: string; sha256: string }>(trpcMutation(analyst, 'policies.generate', { service: LEDGER, reason: 'e2e: whitelist' }));
    await analyst.dispose();
    const approver = await apiAs('admin2');
    await trpcData(trpcMutation(approver, 'policies.approve', { id: draft.id, sha256: draft.sha256, reason: 'e2e: whitelist reviewed' }));
    await trpcData(trpcMutation(approver, 'policies.publish', { id: draft.id, reason: 'e2e: enforce' }));
    await approver.dispose();
  });

  test('an analyst sees who is behind the token, with counts, hostile strings as text', async ({ browser }) => {
    const page = await pageAs(browser, 'analyst');
    await page.goto(tokenPage(TOKEN));
    await expect(page.getByRole('heading', { level: 1 })).toContainText(TOKEN);
    const panel = page.getByTestId('token-identity');
    await expect(panel.getByTestId('identity-seen')).toContainText('9 requests', { timeout: 30_000 });

    const service = page.getByTestId('token-service');
    await expect(service).toHaveCount(2);
    await expect(service.nth(0)).toContainText(LEDGER);
    await expect(service.nth(0).locator('.share-value')).toHaveText('6');
    await expect(service.nth(1)).toContainText(WALLET);
    await expect(service.nth(1).locator('.share-value')).toHaveText('3');

    const address = page.getByTestId('token-address');
    await expect(address).toHaveCount(2);
    await expect(address.nth(0)).toContainText('203.0.113.50');
    await expect(address.nth(0).locator('.share-value')).toHaveText('6');
    await expect(address.nth(1)).toContainText('198.51.100.23');
    await expect(address.nth(1).locator('.share-value')).toHaveText('3');

    const user = page.getByTestId('token-user');
    await expect(user.nth(0)).toContainText('alice');
    await expect(user.nth(0).locator('.share-value')).toHaveText('6');
    await expect(user.nth(1)).toContainText(HOSTILE_USER);
    await expect(user.nth(1).locator('.share-value')).toHaveText('3');
    const agent = page.getByTestId('token-user-agent');
    await expect(agent.nth(0)).toContainText('Mozilla/5.0 (e2e)');
    // the markup is shown as text, never run or parsed
    await expect(agent.nth(1)).toContainText(HOSTILE_AGENT);
    await expect(agent.nth(1).locator('.share-value')).toHaveText('3');
    await expect(user.nth(1).locator('b')).toHaveCount(0);
    expect(await page.evaluate(() => (window as unknown as { __pwned?: number }).__pwned)).toBeUndefined();
    // a value pivots to search with the token
    await expect(address.nth(0).getByRole('link', { name: '203.0.113.50' })).toHaveAttribute('href', /\/search\?q=/);
    await page.context().close();
  });

  test('a deny entry needs a reason, and a service without a policy is refused with a message', async ({ browser }) => {
    const page = await pageAs(browser, 'analyst');
    await page.goto(tokenPage(TOKEN));
    await page.getByRole('button', { name: 'Deny address 198.51.100.23' }).click();
    const dialog = page.getByRole('dialog', { name: 'Deny this actor' });
    await expect(dialog.getByTestId('deny-actor-value')).toHaveText('198.51.100.23');
    // the address may go to either service the token reached
    await expect(dialog.getByLabel('Service')).toHaveValue(LEDGER);
    await dialog.getByRole('button', { name: 'Add to the draft' }).click();
    await expect(dialog.getByText('Say why: it is recorded in the audit log and the policy')).toBeVisible();
    await expect(dialog.getByLabel(/^Reason/)).toHaveAttribute('aria-invalid', 'true');
    await dialog.getByLabel('Service').selectOption(WALLET);
    await dialog.getByLabel(/^Reason/).fill('e2e: address with no policy to go in');
    await dialog.getByRole('button', { name: 'Add to the draft' }).click();
    await expect(dialog.getByRole('alert')).toContainText('has no policy yet');
    await expect(page).toHaveURL(/\/data\/tokens\//);
    // Escape closes it, from the keyboard
    await page.keyboard.press('Escape');
    await expect(dialog).toBeHidden();
    await page.context().close();
  });

  test('the analyst denies the token on the ledger: a new draft holds the entry, and someone else must approve it', async ({ browser }) => {
    const page = await pageAs(browser, 'analyst');
    await page.goto(tokenPage(TOKEN));
    await page.getByRole('button', { name: `Deny this token on ${LEDGER}` }).click();
    const dialog = page.getByRole('dialog', { name: 'Deny this actor' });
    await expect(dialog.getByTestId('deny-actor-value')).toHaveText(TOKEN);
    await expect(dialog.getByLabel('Service')).toHaveValue(LEDGER);
    await dialog.getByLabel('Expires after').selectOption({ label: '7 days' });
    await dialog.getByLabel(/^Reason/).fill('e2e: token replayed from two addresses');
    await dialog.getByRole('button', { name: 'Add to the draft' }).click();

    await expect(page).toHaveURL(new RegExp(`/policies/${NS}/ledger\\?tab=rules`));
    await expect(page.getByRole('heading', { name: 'Revision 2' })).toBeVisible();
    const entry = page.getByTestId('policy-deny').filter({ hasText: TOKEN });
    await expect(entry).toBeVisible();
    await expect(entry).toContainText('e2e: token replayed from two addresses');
    await expect(page.getByRole('note').filter({ hasText: 'An admin who did not edit it approves this revision' })).toBeVisible();

    // not enforced: revision 1 is still what the fleet runs; the analyst cannot approve; the step is audited
    const analyst = await apiAs('analyst');
    const policy = await trpcData<{ published: { revision: number } | null; open: { id: string; sha256: string; state: string; editors: string[] } | null }>(
      trpcQuery(analyst, 'policies.service', { service: LEDGER }));
    expect(policy.published?.revision).toBe(1);
    expect(policy.open).toMatchObject({ state: 'draft', editors: ['analyst@e2e.test'] });
    expect(await trpcError(trpcMutation(analyst, 'policies.approve', { id: policy.open!.id, sha256: policy.open!.sha256, reason: 'e2e: mine' })))
      .toMatchObject({ status: 403, code: 'FORBIDDEN' });
    await analyst.dispose();
    await expectAudited(policy.open!.id);
    await page.context().close();
  });

  test('a viewer sees the same lists and no deny control', async ({ browser }) => {
    const page = await pageAs(browser, 'viewer');
    await page.goto(tokenPage(TOKEN));
    await expect(page.getByTestId('token-service')).toHaveCount(2, { timeout: 30_000 });
    await expect(page.getByTestId('token-address')).toHaveCount(2);
    await expect(page.getByTestId('token-user')).toHaveCount(2);
    await expect(page.getByRole('button', { name: /^Deny/ })).toHaveCount(0);
    const viewer = await apiAs('viewer');
    expect(await trpcError(trpcMutation(viewer, 'policies.denyActor', {
      service: LEDGER, actor: { kind: 'token', value: TOKEN }, reason: 'e2e: not mine to do', expiresAt: new Date(Date.now() + 3600_000).toISOString(),
    }))).toMatchObject({ status: 403, code: 'FORBIDDEN' });
    await viewer.dispose();
    await page.context().close();
  });
});

async function expectAudited(policyId: string) {
  const admin: APIRequestContext = await apiAs('admin');
  const log = await trpcData<{ items: { action: string; targetId: string | null; reason: string | null }[] }>(trpcQuery(admin, 'audit.list', { action: 'policy.deny' }));
  expect(log.items).toEqual(expect.arrayContaining([expect.objectContaining({ action: 'policy.deny', targetId: policyId, reason: 'e2e: token replayed from two addresses' })]));
  await admin.dispose();
}
