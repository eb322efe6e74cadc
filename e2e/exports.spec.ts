import { readFileSync } from 'node:fs';
import { expect, test, type Download, type Page } from '@playwright/test';
import { ACCOUNTS, apiAs, createToken, otlpBatch, postOtlp, stateFile, trpcData, trpcMutation, trpcQuery, unique } from './support';

// "Download CSV" on the console's tables (GET /api/export/<table>, server/exports/tables.ts): the
// file has the table's on-screen filters, every row of them (not the page), and is audited.

/** RFC 4180 records; throws on a malformed file. */
function parseCsv(text: string): string[][] {
  const out: string[][] = [];
  let rec: string[] = [];
  let field = '';
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (quoted) {
      if (c === '"' && text[i + 1] === '"') {
        field += '"';
        i++;
      } else if (c === '"') quoted = false;
      else field += c;
    } else if (c === '"') quoted = true;
    else if (c === ',') {
      rec.push(field);
      field = '';
    } else if (c === '\r' && text[i + 1] === '\n') {
      rec.push(field);
      out.push(rec);
      rec = [];
      field = '';
      i++;
    } else field += c;
  }
  if (quoted || field || rec.length) throw new Error('the file does not end with a complete CRLF-terminated record');
  return out;
}

/** Clicks the table's download link (by its accessible name) and reads the file. */
async function download(page: Page, name: string): Promise<{ file: Download; rows: string[][] }> {
  const link = page.getByRole('link', { name });
  await expect(link).toBeVisible();
  await expect(link).toHaveAttribute('download', '');
  const [file] = await Promise.all([page.waitForEvent('download'), link.click()]);
  expect(await file.failure()).toBeNull();
  return { file, rows: parseCsv(readFileSync((await file.path())!, 'utf8')) };
}

/** Waits until the page has asked who is signed in (the download links depend on the role). */
const roleKnown = (page: Page) => page.waitForResponse((r) => r.url().includes('/api/trpc/') && r.url().includes('session.me') && r.ok());

test.describe('exports as admin', () => {
  test.use({ storageState: stateFile('admin') });

  test('the audit log downloads with its filter, every entry the page can load, target names; the download is audited', async ({ page }) => {
    const admin = await apiAs('admin');
    const tokenName = unique('e2e-export');
    const { id: tokenId } = await createToken(admin, tokenName);
    await trpcData(trpcMutation(admin, 'fleet.revokeToken', { tokenId, reason: 'e2e: "exported", then revoked' }));

    await page.goto('/audit?action=proxy_token.');
    const rows = page.getByTestId('audit-row');
    await expect(rows.filter({ hasText: tokenId })).toHaveCount(2);
    // the whole filtered log on the page, to count it
    const older = page.getByRole('button', { name: 'Load older entries' });
    const endOfLog = page.getByText('end of log', { exact: true });
    for (;;) {
      // (while a page loads, the button reads "Loading…": neither is shown)
      await expect(older.or(endOfLog)).toBeVisible();
      if (await endOfLog.isVisible()) break;
      const before = await rows.count();
      await older.click();
      await expect.poll(() => rows.count()).toBeGreaterThan(before);
    }
    const shown = await rows.count();
    expect(shown).toBeGreaterThanOrEqual(2);

    const { file, rows: csv } = await download(page, 'Download audit log as CSV');
    expect(file.suggestedFilename()).toMatch(/^meshward-audit-log-start-\d{8}T\d{6}Z\.csv$/);
    const [header, ...entries] = csv;
    expect(header).toEqual(['id', 'ts', 'actorEmail', 'actorRole', 'action', 'targetType', 'targetId', 'targets', 'reason', 'sourceIp', 'requestId', 'before', 'after', 'hash', 'prevHash']);
    expect(entries).toHaveLength(shown);
    expect(entries.every((e) => e[4].startsWith('proxy_token.'))).toBe(true);
    // newest first, as on the page
    expect(entries.map((e) => Number(e[0]))).toEqual([...entries.map((e) => Number(e[0]))].sort((a, b) => b - a));
    expect(entries[0][0]).toBe((await rows.first().locator('td').first().textContent())?.trim());
    const mine = entries.filter((e) => e[6] === tokenId);
    expect(mine.map((e) => e[4])).toEqual(['proxy_token.revoke', 'proxy_token.create']);
    expect(mine.every((e) => e[2] === ACCOUNTS.admin.email && e[7] === tokenName)).toBe(true);
    expect(mine[0][8]).toBe('e2e: "exported", then revoked');

    // reading the log by download is recorded, with the filter and the count
    const audit = await trpcData<{ items: Array<{ actorEmail: string; after: { table: string; filters: { action: string }; rows: number; complete: boolean } }> }>(
      trpcQuery(admin, 'audit.list', { action: 'audit.export', limit: 5 }),
    );
    await admin.dispose();
    expect(audit.items[0]).toMatchObject({ actorEmail: ACCOUNTS.admin.email, after: { table: 'audit-log', filters: { action: 'proxy_token.' }, rows: shown, complete: true } });
  });
});

test.describe('exports as analyst', () => {
  test.use({ storageState: stateFile('analyst') });

  test('a service\'s endpoints download with the page\'s filter: as many rows as the page counts, the page\'s rows among them', async ({ page }) => {
    const api = await apiAs('analyst');
    await trpcData(trpcMutation(api, 'apis.learnNow', {}));
    const services = await trpcData<Array<{ service: string; learned: number; approved: number; rejected: number }>>(trpcQuery(api, 'apis.services'));
    await api.dispose();
    const busiest = [...services].sort((a, b) => b.learned + b.approved + b.rejected - (a.learned + a.approved + a.rejected))[0];
    expect(busiest, 'the seeded traffic taught endpoints').toBeTruthy();

    await page.goto(`/apis?service=${encodeURIComponent(busiest.service)}`);
    const table = page.getByRole('region', { name: `Endpoints of ${busiest.service}` });
    await expect(page.getByTestId('endpoint-row').first()).toBeVisible();
    const count = table.locator('.card-head .muted');
    await expect(count).toHaveText(/^[\d,]+ endpoints?$/);
    const total = Number((await count.textContent())!.replace(/[^\d]/g, ''));
    const onPage = await page.getByTestId('endpoint-row').count();

    const { file, rows } = await download(page, 'Download endpoints as CSV');
    expect(file.suggestedFilename()).toMatch(/^meshward-endpoints-\d{8}T\d{6}Z\.csv$/);
    const [header, ...endpoints] = rows;
    expect(header.slice(0, 5)).toEqual(['id', 'service', 'method', 'template', 'state']);
    expect(endpoints).toHaveLength(total);
    expect(endpoints.length).toBeGreaterThanOrEqual(onPage);
    expect(endpoints.every((e) => e[1] === busiest.service)).toBe(true);
    // the first row on the page is the first in the file (the same order)
    const first = page.getByTestId('endpoint-row').first();
    await expect(first).toContainText(endpoints[0][3].replace(/^'/, ''));
  });

  test('the fleet\'s proxies download with the search of the page, every match', async ({ page, request }) => {
    const admin = await apiAs('admin');
    const { token } = await createToken(admin, unique('e2e-export-fleet'));
    await admin.dispose();
    const prefix = unique('exp-proxy');
    const ids = [`${prefix}-a`, `${prefix}-b`, `${prefix}-c`];
    for (const id of ids) {
      const sent = await postOtlp(request, token, otlpBatch(id, { service: 'export-e2e', namespace: 'shop' }));
      expect(sent.status(), await sent.text()).toBe(200);
    }

    await page.goto(`/fleet?q=${encodeURIComponent(prefix)}&sort=name&dir=asc`);
    await expect(page.getByTestId('proxy-row')).toHaveCount(3);
    await expect(page.getByTestId('proxy-count')).toContainText('of 3 proxies');

    const { file, rows } = await download(page, 'Download proxies as CSV');
    expect(file.suggestedFilename()).toMatch(/^meshward-fleet-proxies-\d{8}T\d{6}Z\.csv$/);
    const [header, ...proxies] = rows;
    expect(header[0]).toBe('id');
    expect(header).toContain('tokenName');
    // the page's filter and sort: these three, by name
    expect(proxies.map((p) => p[0])).toEqual(ids);
    // no token value in the file
    expect(readFileSync((await file.path())!, 'utf8')).not.toContain(token);

    // the proxy tokens table downloads too, prefixes only
    const tokens = await download(page, 'Download proxy tokens as CSV');
    expect(tokens.rows[0]).toEqual(['id', 'name', 'prefix', 'status', 'services', 'createdAt', 'createdBy', 'lastUsedAt', 'revokedAt', 'proxies']);
    expect(readFileSync((await tokens.file.path())!, 'utf8')).not.toContain(token);
    expect(tokens.rows.length - 1).toBe(await page.getByTestId('token-row').count());
  });
});

test.describe('exports by role', () => {
  test.describe('viewer', () => {
    test.use({ storageState: stateFile('viewer') });
    test('sees no download links (exports are the analyst\'s), and the route refuses', async ({ page }) => {
      const known = roleKnown(page);
      await page.goto('/fleet');
      await known;
      await expect(page.getByTestId('proxy-row').first()).toBeVisible();
      await expect(page.getByRole('link', { name: /as CSV$/ })).toHaveCount(0);
      const res = await page.request.get('/api/export/fleet-proxies', { headers: { 'sec-fetch-site': 'same-origin' } });
      expect(res.status()).toBe(403);
    });
  });

  test.describe('auditor', () => {
    test.use({ storageState: stateFile('auditor') });
    test('downloads the audit log, but sees no other table\'s link', async ({ page }) => {
      let known = roleKnown(page);
      await page.goto('/fleet');
      await known;
      await expect(page.getByTestId('proxy-row').first()).toBeVisible();
      await expect(page.getByRole('link', { name: /as CSV$/ })).toHaveCount(0);

      known = roleKnown(page);
      await page.goto('/audit?action=auth.');
      await known;
      await expect(page.getByTestId('audit-row').first()).toBeVisible();
      const { rows } = await download(page, 'Download audit log as CSV');
      expect(rows[0][0]).toBe('id');
      expect(rows.slice(1).every((r) => r[4].startsWith('auth.'))).toBe(true);
    });
  });
});
