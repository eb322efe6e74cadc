import { readFileSync } from 'node:fs';
import { expect, test, type Page } from '@playwright/test';
import { apiAs, baseURL, createToken, stateFile, trpcData, trpcQuery, unique } from './support';
import { seededTraffic } from './traffic';

test.use({ storageState: stateFile('analyst'), viewport: { width: 1440, height: 900 } });

const box = (page: Page) => page.getByRole('combobox', { name: 'Query' });
const total = async (page: Page) => Number((await page.getByTestId('search-total').textContent())!.replace(/\D/g, ''));
const counted = (page: Page) => expect(page.getByTestId('search-total')).toHaveText(/^[\d,]+ events?$/);

test('an analyst pivots from a graph edge into search, zooms with the brush, opens an event, saves the search for the team; a viewer opens it', async ({ page, browser }) => {
  const { edge } = seededTraffic();
  await page.goto(`/graph?range=1h&select=${encodeURIComponent(`edge:${edge.src}->${edge.dst}`)}`);
  await page.getByRole('link', { name: /Search logs for this edge/ }).click();

  await expect(page).toHaveURL(/\/search\?/);
  await expect(box(page)).toHaveValue(`caller:${edge.src} AND service:${edge.dst}`);
  await counted(page);
  const before = await total(page);
  expect(before).toBeGreaterThan(0);
  await expect(page.getByTestId('search-row').first()).toBeVisible();
  const wide = new URL(page.url());
  const wideSpan = Date.parse(wide.searchParams.get('to')!) - Date.parse(wide.searchParams.get('from')!);

  // drag across the middle of the histogram: the range narrows to what was brushed
  const chart = page.getByRole('img', { name: /Matching events per/ });
  const r = (await chart.boundingBox())!;
  await page.mouse.move(r.x + r.width * 0.45, r.y + r.height * 0.5);
  await page.mouse.down();
  await page.mouse.move(r.x + r.width * 0.7, r.y + r.height * 0.5, { steps: 8 });
  await page.mouse.up();
  await expect.poll(() => {
    const u = new URL(page.url());
    return Date.parse(u.searchParams.get('to')!) - Date.parse(u.searchParams.get('from')!);
  }).toBeLessThan(wideSpan / 2);
  await counted(page);
  expect(await total(page)).toBeLessThanOrEqual(before);
  const narrowed = new URL(page.url());
  expect(narrowed.searchParams.get('q')).toBe(`caller:${edge.src} AND service:${edge.dst}`);

  // open an event: its fields, and pivots that search around it
  const row = page.getByTestId('search-row').first();
  await row.click();
  const detail = page.getByTestId('event-detail');
  await expect(detail).toBeVisible();
  await expect(detail.getByText(edge.dst, { exact: true })).toBeVisible();
  await expect(detail.getByRole('link', { name: 'Same edge' })).toHaveAttribute('href', /q=caller/);
  await detail.getByRole('button', { name: 'Close event' }).click();
  await expect(detail).toHaveCount(0);

  // keyboard: the row is focusable and Enter opens it
  await row.focus();
  await page.keyboard.press('Enter');
  await expect(detail).toBeVisible();

  // save for the team
  const name = unique('edge calls');
  await page.getByRole('button', { name: 'Save…' }).click();
  const dialog = page.getByRole('dialog', { name: 'Save search' });
  await dialog.getByLabel('Name').fill(name);
  await dialog.getByLabel(/Everyone on the team/).check();
  await dialog.getByRole('button', { name: 'Save', exact: true }).click();
  await expect(page.getByTestId('saved-current')).toHaveText(name);
  const savedId = new URL(page.url()).searchParams.get('saved');
  expect(savedId).toBeTruthy();

  // a viewer opens the shared link: the same query and window, read-only
  const ctx = await browser.newContext({ storageState: stateFile('viewer'), viewport: { width: 1440, height: 900 } });
  const other = await ctx.newPage();
  await other.goto(`/search?saved=${savedId}`);
  await expect(box(other)).toHaveValue(`caller:${edge.src} AND service:${edge.dst}`);
  await expect(other.getByTestId('saved-current')).toHaveText(name);
  await expect(other).toHaveURL(new RegExp(`from=${encodeURIComponent(narrowed.searchParams.get('from')!)}`));
  await counted(other);
  expect(await total(other)).toBe(await total(page));
  await expect(other.getByRole('button', { name: 'Save…' })).toHaveCount(0);
  await expect(other.getByRole('button', { name: 'Export' })).toBeDisabled();
  await other.locator('summary', { hasText: 'Saved searches' }).click();
  await expect(other.getByRole('button', { name: new RegExp(name) })).toBeVisible();
  await ctx.close();
});

test('a query error points at its column and nothing is searched', async ({ page }) => {
  await page.goto('/search?range=1h');
  await box(page).fill('status:');
  await box(page).press('Enter');
  await expect(page.locator('#search-error')).toContainText('col 8: expected a value after');
  await expect(page.getByTestId('search-total')).toHaveCount(0);
  // autocomplete: a field, then a value from the range
  await box(page).fill('meth');
  await expect(page.getByRole('option', { name: /^method/ })).toBeVisible();
  await page.keyboard.press('ArrowDown');
  await page.keyboard.press('Enter');
  await expect(box(page)).toHaveValue('method:');
  await expect(page.getByRole('listbox').getByRole('option').first()).toBeVisible();
  await page.keyboard.press('ArrowDown');
  await page.keyboard.press('Enter');
  await expect(box(page)).toHaveValue(/^method:[A-Z]+ $/);
  await page.keyboard.press('Enter');
  await counted(page);
});

const EXPORT_ROWS = 100_000;

/** 100k events of a service of their own, sent through the real Envoy ingest route. */
async function seedExport(service: string, from: number): Promise<void> {
  const admin = await apiAs('admin');
  const { token } = await createToken(admin, unique('e2e export'));
  const chunk = 10_000;
  for (let start = 0; start < EXPORT_ROWS; start += chunk) {
    const lines: string[] = [];
    for (let i = start; i < start + chunk; i++) {
      lines.push(JSON.stringify({
        start_time: new Date(from + i * 3).toISOString(), method: 'GET', path: `/bulk/${i}`, response_code: 200, request_id: `bulk-${i}`,
        dst_service: service, src_service: 'external', bytes_sent: 100 + (i % 50), user_agent: i % 1000 === 0 ? '=HYPERLINK("x")' : 'bulk-client',
        proxy_id: 'e2e-export-proxy',
      }));
    }
    const res = await admin.post(`${baseURL}/api/ingest/envoy`, { headers: { authorization: `Bearer ${token}`, 'content-type': 'application/x-ndjson' }, data: lines.join('\n') });
    expect(res.status(), await res.text()).toBe(200);
  }
}

test('an analyst exports 100,000 matching events as CSV and the file has every one; the export is audited', async ({ page }) => {
  test.setTimeout(240_000);
  const service = `e2e/${unique('bulk').replace(/[^a-z0-9-]/g, '-')}`;
  // eight hours back: outside the 1 h and 6 h views the other specs read, so the bulk service is not their busiest
  const from = Date.now() - 8 * 3_600_000;
  await seedExport(service, from);
  const q = `service:${service}`;
  const window = `from=${encodeURIComponent(new Date(from - 60_000).toISOString())}&to=${encodeURIComponent(new Date(from + 6 * 60_000).toISOString())}`;
  await page.goto(`/search?q=${encodeURIComponent(q)}&${window}`);
  await expect(page.getByTestId('search-total')).toHaveText('100,000 events');
  // the request id as a column: on screen, and so in the export
  await page.locator('summary', { hasText: 'Columns' }).click();
  await page.getByRole('group', { name: 'Columns shown' }).getByLabel('Request id').check();
  await expect(page).toHaveURL(/cols=[^&]*requestId/);
  await expect(page.getByRole('columnheader', { name: 'Request id' })).toBeVisible();
  await page.locator('summary', { hasText: 'Columns' }).click();

  await page.locator('summary', { hasText: 'Export' }).click();
  const [download] = await Promise.all([page.waitForEvent('download'), page.getByTestId('export-csv').click()]);
  expect(download.suggestedFilename()).toMatch(/^meshward-search-.*\.csv$/);
  const text = readFileSync((await download.path())!, 'utf8');
  const lines = text.split(/\r?\n/).filter(Boolean);
  expect(lines).toHaveLength(EXPORT_ROWS + 1);
  const header = lines[0].split(',');
  const idAt = header.indexOf('requestId');
  expect(idAt).toBeGreaterThanOrEqual(0);
  const ids = new Set(lines.slice(1).map((l) => l.split(',')[idAt]));
  expect(ids.size).toBe(EXPORT_ROWS);
  expect(ids.has('bulk-0') && ids.has(`bulk-${EXPORT_ROWS - 1}`)).toBe(true);
  // newest first, as on screen
  expect(lines[1]).toContain(`bulk-${EXPORT_ROWS - 1}`);

  const admin = await apiAs('admin');
  const audit = await trpcData<{ items: { action: string; after: unknown }[] }>(trpcQuery(admin, 'audit.list', { action: 'search.export', limit: 5 }));
  const entry = audit.items.find((r) => JSON.stringify(r.after).includes(service));
  expect(entry, 'the export is in the audit log').toBeTruthy();
  expect(entry!.after).toMatchObject({ query: q, rows: EXPORT_ROWS, complete: true, format: 'csv' });
});
