import { expect, test, type Locator, type Page } from '@playwright/test';
import {
  apiAs, createToken, otlpBatch, postHeartbeat, postOtlp, stateFile, trpcData, trpcError, trpcMutation, trpcQuery, unique,
} from './support';

/** Columns of the Proxies table, in order. */
const COL = { proxy: 0, health: 1, service: 2, cluster: 3, node: 4, version: 5, policy: 6, lastSeen: 7, eventsPerMin: 8, token: 9 };

const proxiesTable = (page: Page) => page.getByRole('region', { name: 'Proxies' }).getByRole('table');
const tokensTable = (page: Page) => page.getByRole('region', { name: 'Proxy tokens' }).getByRole('table');
const rowWith = (table: Locator, text: string) => table.getByRole('row').filter({ hasText: text });
const cell = (row: Locator, col: number) => row.getByRole('cell').nth(col);
/** The list narrowed to one proxy (the fleet holds every other spec's proxies too, newest first). */
const fleetOf = (proxyId: string) => `/fleet?q=${encodeURIComponent(proxyId)}`;

test.describe('fleet as admin', () => {
  test.use({ storageState: stateFile('admin') });

  test('create a token, see a proxy report and heartbeat, revoke the token', async ({ page, request }) => {
    const tokenName = unique('e2e-fleet');
    const proxyId = unique('proxy');

    // Create: the secret is shown once. The button is at the top of the page, above the lists.
    await page.goto('/fleet');
    const createButton = page.getByRole('button', { name: 'Create token' });
    await expect(createButton).toBeInViewport();
    const buttonTop = (await createButton.boundingBox())!.y;
    // the lists stream in after the page head (Suspense): measure them once they are there
    const proxiesRegion = page.getByRole('region', { name: 'Proxies' });
    const tokensRegion = page.getByRole('region', { name: 'Proxy tokens' });
    await expect(proxiesRegion).toBeVisible();
    await expect(tokensRegion).toBeVisible();
    expect(buttonTop).toBeLessThan((await proxiesRegion.boundingBox())!.y);
    expect(buttonTop).toBeLessThan((await tokensRegion.boundingBox())!.y);
    await createButton.click();
    const form = page.getByRole('dialog', { name: 'Create proxy token' });
    await expect(form.getByRole('button', { name: 'Create token' })).toBeDisabled();
    await form.getByLabel('Name').fill(tokenName);
    await expect(form.getByRole('button', { name: 'Create token' })).toBeDisabled(); // the services too
    await form.getByLabel('Services').fill('shop/*');
    await form.getByRole('button', { name: 'Create token' }).click();
    const created = page.getByRole('dialog', { name: 'Token created' });
    await expect(created.getByText(`Token for ${tokenName}`)).toBeVisible();
    const token = (await created.getByTestId('new-token').textContent())?.trim() ?? '';
    expect(token).toMatch(/^mwp_[A-Za-z0-9_-]{40,}$/);
    await created.getByRole('button', { name: 'Done' }).click();
    await expect(created).toBeHidden();

    // The list keeps only a prefix.
    const tokenRow = rowWith(tokensTable(page), tokenName);
    await expect(tokenRow).toContainText('active');
    await expect(tokenRow).toContainText(`${token.slice(0, 10)}…`);
    await expect(tokenRow).not.toContainText(token);
    await expect(tokenRow.getByTestId('token-services')).toHaveText('shop/*');

    // A proxy sends one OTLP/JSON record with the token.
    const sent = await postOtlp(request, token, otlpBatch(proxyId, { service: 'checkout', namespace: 'shop' }));
    expect(sent.status(), await sent.text()).toBe(200);
    expect(await sent.json()).toEqual({});

    await page.goto(fleetOf(proxyId));
    const row = rowWith(proxiesTable(page), proxyId);
    await expect(cell(row, COL.proxy)).toHaveText(proxyId);
    await expect(cell(row, COL.health)).toHaveText('reporting');
    await expect(cell(row, COL.lastSeen)).toHaveText(/^(just now|\d{1,2}s ago)$/);
    await expect(cell(row, COL.eventsPerMin)).toHaveText('0.2'); // 1 event over the 5-minute window
    await expect(cell(row, COL.token)).toHaveText(tokenName);
    await expect(cell(row, COL.version)).toHaveText('—');

    // The heartbeat fills in what the proxy says about itself.
    const hb = await postHeartbeat(request, token, { proxy_id: proxyId, version: '1.2.3', cluster: 'eu-1', node: 'n1' });
    expect(hb.status(), await hb.text()).toBe(200);
    expect(await hb.json()).toMatchObject({ ok: true });
    await page.reload();
    await expect(cell(row, COL.version)).toHaveText('1.2.3');
    await expect(cell(row, COL.cluster)).toHaveText('eu-1');
    await expect(cell(row, COL.node)).toHaveText('n1');
    await expect(cell(row, COL.health)).toHaveText('reporting');

    // The token serves shop/*: another namespace's heartbeat and bundle are refused.
    const foreign = await postHeartbeat(request, token, { proxy_id: proxyId, service: 'payments/cards' });
    expect(foreign.status(), await foreign.text()).toBe(403);
    expect((await foreign.json()).error).toContain('outside this proxy token');
    const bundle = await request.get('/api/fleet/v1/bundles/payments/cards', { headers: { authorization: `Bearer ${token}` } });
    expect(bundle.status()).toBe(403);

    // The search finds it by its cluster too, and hides the rest.
    await page.goto('/fleet');
    const search = page.getByLabel('Search proxies');
    // typing before the page has hydrated can be lost: type again until the URL takes it
    await expect(async () => {
      await search.fill(proxyId);
      await expect(page).toHaveURL(new RegExp(`[?&]q=${proxyId}(&|$)`), { timeout: 3000 });
    }).toPass({ timeout: 20_000 });
    await expect(proxiesTable(page).getByRole('row')).toHaveCount(2); // header + this proxy
    await page.getByLabel('Cluster', { exact: true }).selectOption('eu-1');
    await expect(proxiesTable(page).getByRole('row')).toHaveCount(2);
    await search.fill(`${proxyId}-nope`);
    await expect(page.getByText('No proxy matches these filters')).toBeVisible();
    await page.getByRole('button', { name: 'Clear filters' }).first().click();
    await expect(search).toHaveValue('');
    await expect(page).toHaveURL(/\/fleet$/);
    await page.goto(fleetOf(proxyId));

    // Revoke: a reason is required.
    await tokenRow.getByRole('button', { name: `Revoke ${tokenName}` }).click();
    const confirm = page.getByRole('dialog', { name: 'Revoke proxy token' });
    await expect(confirm).toContainText(tokenName);
    const submit = confirm.getByRole('button', { name: 'Revoke token' });
    await expect(submit).toBeDisabled();
    await confirm.getByLabel(/Reason/).fill('ok');
    await expect(submit).toBeDisabled(); // 3 characters at least
    await confirm.getByLabel(/Reason/).fill('e2e: cluster decommissioned');
    await submit.click();
    await expect(confirm).toBeHidden();
    await expect(tokenRow).toContainText('revoked');
    await expect(tokenRow.getByRole('button', { name: /Revoke/ })).toHaveCount(0);
    await expect(cell(rowWith(proxiesTable(page), proxyId), COL.token)).toContainText('revoked');

    // The proxy is refused from now on (the UI promises: within 5 seconds on every replica).
    await expect
      .poll(async () => (await postOtlp(request, token, otlpBatch(proxyId))).status(), { timeout: 7_000, intervals: [250] })
      .toBe(401);
    const refused = await postOtlp(request, token, otlpBatch(proxyId));
    expect(refused.status()).toBe(401);
    expect(refused.headers()['www-authenticate']).toContain('Bearer');
    expect((await postHeartbeat(request, token, { proxy_id: proxyId })).status()).toBe(401);
  });

  test('a token that was never issued is refused', async ({ request }) => {
    const res = await postOtlp(request, `mwp_${'x'.repeat(43)}`, otlpBatch(unique('proxy')));
    expect(res.status()).toBe(401);
    expect(await res.json()).toMatchObject({ code: 16 });
  });
});

for (const role of ['analyst', 'viewer'] as const) {
  test.describe(`fleet as ${role}`, () => {
    test.use({ storageState: stateFile(role) });

    test('sees proxies and tokens but cannot create or revoke', async ({ page, request }) => {
      const admin = await apiAs('admin');
      const tokenName = unique(`e2e-${role}`);
      const proxyId = unique(`proxy-${role}`);
      const { token } = await createToken(admin, tokenName);
      expect((await postHeartbeat(request, token, { proxy_id: proxyId, version: '2.0.0', cluster: 'us-2', node: 'n7' })).status()).toBe(200);

      await page.goto(fleetOf(proxyId));
      const row = rowWith(proxiesTable(page), proxyId);
      await expect(cell(row, COL.version)).toHaveText('2.0.0');
      await expect(cell(row, COL.cluster)).toHaveText('us-2');
      const tokenRow = rowWith(tokensTable(page), tokenName);
      await expect(tokenRow).toContainText('active');
      await expect(tokenRow).toContainText(`${token.slice(0, 10)}…`);
      await expect(page.getByRole('button', { name: 'Create token' })).toHaveCount(0);
      await expect(page.getByRole('button', { name: /Revoke/ })).toHaveCount(0);

      const api = await apiAs(role);
      const name = unique(`by-${role}`);
      expect(await trpcError(trpcMutation(api, 'fleet.createToken', { name }))).toMatchObject({ status: 403, code: 'FORBIDDEN' });
      const tokens = await trpcData<Array<{ id: string; name: string }>>(trpcQuery(api, 'fleet.tokens'));
      expect(tokens.map((t) => t.name)).not.toContain(name);
      const target = tokens.find((t) => t.name === tokenName)!;
      expect(await trpcError(trpcMutation(api, 'fleet.revokeToken', { tokenId: target.id, reason: `${role} tries` }))).toMatchObject({ status: 403, code: 'FORBIDDEN' });
      // The token still works.
      expect((await postOtlp(request, token, otlpBatch(proxyId))).status()).toBe(200);
      await api.dispose();
      await admin.dispose();
    });
  });
}

test.describe('fleet: token bookkeeping', () => {
  test.use({ storageState: stateFile('admin') });

  test('the token list counts the proxies that use each token', async ({ page, request }) => {
    const admin = await apiAs('admin');
    const tokenName = unique('e2e-count');
    const { token } = await createToken(admin, tokenName);
    for (const n of [1, 2]) {
      expect((await postHeartbeat(request, token, { proxy_id: `${tokenName}-p${n}` })).status()).toBe(200);
    }
    const tokens = await trpcData<Array<{ name: string; proxies: number }>>(trpcQuery(admin, 'fleet.tokens'));
    await admin.dispose();
    expect(tokens.find((t) => t.name === tokenName)?.proxies).toBe(2);
    await page.goto('/fleet');
    await expect(rowWith(tokensTable(page), tokenName).getByRole('cell').nth(6)).toHaveText('2');
  });

  test('a revoked token is refused at once by the console that revoked it', async ({ request }) => {
    const admin = await apiAs('admin');
    const { id, token } = await createToken(admin, unique('e2e-revoke-now'));
    const proxyId = unique('proxy-revoke-now');
    expect((await postOtlp(request, token, otlpBatch(proxyId))).status()).toBe(200);
    await trpcData(trpcMutation(admin, 'fleet.revokeToken', { tokenId: id, reason: 'e2e: revoke takes effect at once' }));
    await admin.dispose();
    expect((await postOtlp(request, token, otlpBatch(proxyId))).status()).toBe(401);
  });
});

test.describe('fleet: a fleet too long for one page', () => {
  test.use({ storageState: stateFile('admin'), viewport: { width: 1440, height: 900 } });

  test('filters by health, version, cluster and revision, sorts by a column, pages with a count, the view in the URL', async ({ page, request }) => {
    const admin = await apiAs('admin');
    const tag = unique('fl'); // every proxy of this test carries it: the search keeps other specs' proxies out
    const { token } = await createToken(admin, tag);
    await admin.dispose();
    const eu = `${tag}-eu`;
    const us = `${tag}-us`;
    const id = (i: number) => `${tag}-p${String(i).padStart(2, '0')}`;
    // 30 proxies: p00–p19 in eu, p20–p29 in us; every third runs 1.10.0, the rest 1.9.2; odd ones
    // applied r7, even ones r6; p00 and p01 promise a heartbeat every 5 s and send no more.
    for (let i = 0; i < 30; i++) {
      const res = await postHeartbeat(request, token, {
        proxy_id: id(i), version: i % 3 === 0 ? '1.10.0' : '1.9.2', cluster: i < 20 ? eu : us,
        policy_revision: i % 2 ? 'r7' : 'r6', interval_s: i < 2 ? 5 : 3600,
      });
      expect(res.status(), await res.text()).toBe(200);
    }

    const rows = page.getByTestId('proxy-row');
    const count = page.getByTestId('proxy-count');
    const firstId = () => cell(rows.first(), COL.proxy);
    await page.goto(`/fleet?q=${tag}`);
    await expect(page.getByRole('button', { name: 'Create token' })).toBeInViewport();

    // 25 to a page, with the count; Next and Previous move through the pages.
    await expect(count).toHaveText(/^1–25 of 30 proxies matching, [\d,]+ in the fleet$/);
    await expect(rows).toHaveCount(25);
    await page.getByRole('button', { name: 'Next', exact: true }).click();
    await expect(page).toHaveURL(/[?&]page=2(&|$)/);
    await expect(count).toHaveText(/^26–30 of 30 /);
    await expect(rows).toHaveCount(5);
    await expect(page.getByRole('button', { name: 'Next', exact: true })).toBeDisabled();
    await page.getByRole('button', { name: 'Previous', exact: true }).click();
    await expect(count).toHaveText(/^1–25 of 30 /);
    await page.getByLabel('Per page').selectOption('50');
    await expect(page).toHaveURL(/[?&]size=50(&|$)/);
    await expect(rows).toHaveCount(30);
    await expect(page.getByText('Page 1 of 1')).toBeVisible();

    // Sort by a column header, from the keyboard too; the header says which way.
    const byName = page.getByRole('button', { name: 'Proxy', exact: true });
    await byName.click();
    await expect(page).toHaveURL(/sort=name&dir=asc/);
    await expect(page.getByRole('columnheader', { name: 'Proxy', exact: true })).toHaveAttribute('aria-sort', 'ascending');
    await expect(firstId()).toHaveText(id(0));
    await byName.focus();
    await page.keyboard.press('Enter');
    await expect(page.getByRole('columnheader', { name: 'Proxy', exact: true })).toHaveAttribute('aria-sort', 'descending');
    await expect(firstId()).toHaveText(id(29));
    // versions by their numbers: 1.10.0 is newer than 1.9.2
    await page.getByRole('button', { name: 'Version', exact: true }).click();
    await expect(page).toHaveURL(/sort=version&dir=desc/);
    await expect(cell(rows.first(), COL.version)).toHaveText('1.10.0');
    await expect(cell(rows.last(), COL.version)).toHaveText('1.9.2');

    // Filters narrow the list and each other, and live in the URL.
    await page.getByLabel('Version', { exact: true }).selectOption('1.10.0');
    await expect(rows).toHaveCount(10); // p00, p03 … p27
    await page.getByLabel('Cluster', { exact: true }).selectOption(us);
    await expect(rows).toHaveCount(3); // p21, p24, p27
    await page.getByLabel('Policy revision', { exact: true }).selectOption('r7');
    await expect(rows).toHaveCount(2); // p21, p27
    await expect(count).toHaveText(/^1–2 of 2 proxies matching/);
    await expect(page).toHaveURL(/[?&]version=1\.10\.0(&|$)/);
    await expect(page).toHaveURL(new RegExp(`[?&]cluster=${us}(&|$)`));
    await expect(page).toHaveURL(/[?&]revision=r7(&|$)/);
    // a reload (or a shared link) shows the same view
    await page.reload();
    await expect(rows).toHaveCount(2);
    await expect(page.getByLabel('Cluster', { exact: true })).toHaveValue(us);
    await expect(page.getByLabel('Search proxies')).toHaveValue(tag);

    // Nothing matches: say so, and offer the way out.
    await page.getByLabel('Version', { exact: true }).selectOption('1.9.2');
    await page.getByLabel('Health', { exact: true }).selectOption('silent');
    await expect(page.getByText('No proxy matches these filters')).toBeVisible();
    await expect(rows).toHaveCount(0);

    // Health: the two that promised a heartbeat every 5 s go silent after two missed beats
    // (the list refreshes itself every 10 s).
    await page.goto(`/fleet?q=${tag}&health=silent&sort=name&dir=asc`);
    await expect(rows).toHaveCount(2, { timeout: 30_000 });
    await expect(cell(rows.first(), COL.proxy)).toHaveText(id(0));
    await expect(cell(rows.first(), COL.health)).toHaveText('silent');
    await page.getByLabel('Health', { exact: true }).selectOption('reporting');
    await expect(count).toHaveText(/^1–25 of 28 /);
    await expect(cell(rows.first(), COL.proxy)).toHaveText(id(2));

    // Clear filters: the whole fleet again, the search box empty.
    await page.getByRole('button', { name: 'Clear filters' }).first().click();
    await expect(page).toHaveURL(/\/fleet\?sort=name&dir=asc$/);
    await expect(page.getByLabel('Search proxies')).toHaveValue('');
    await expect(count).not.toContainText('matching');
  });
});
