import { expect, test, type Page } from '@playwright/test';
import { stateFile } from './support';
import { seededTraffic } from './traffic';

/**
 * The time range as a session-wide choice carried in the URL: presets, calendar ranges and
 * expressions, the display zone, the refresh interval, and drag-to-zoom on the overview's
 * charts. As an analyst, against the traffic global-setup sent; the browser is pinned to
 * Berlin so the zone label is known.
 */
test.use({ storageState: stateFile('analyst'), timezoneId: 'Europe/Berlin' });

const picker = (page: Page) => page.getByRole('group', { name: 'Time range' });
const nav = (page: Page) => page.getByRole('navigation', { name: 'Main' });
const param = (page: Page, name: string) => new URL(page.url()).searchParams.get(name);

test('a preset follows the analyst through the sidebar', async ({ page }) => {
  await page.goto('/');
  await expect(page.getByRole('heading', { level: 1, name: 'Overview' })).toBeVisible();
  await picker(page).getByRole('button', { name: '6h', exact: true }).click();
  await expect(page).toHaveURL('/?range=6h');

  await nav(page).getByRole('link', { name: 'Sensitive data' }).click();
  await expect(page).toHaveURL('/data?range=6h');
  await expect(page.getByRole('heading', { level: 1, name: 'Sensitive data' })).toBeVisible();
  await expect(picker(page).getByRole('button', { name: '6h', exact: true })).toHaveAttribute('aria-pressed', 'true');

  await nav(page).getByRole('link', { name: 'Service graph' }).click();
  await expect(page).toHaveURL(/\/graph\?range=6h/);
  await expect(page.getByRole('heading', { level: 1, name: 'Service graph' })).toBeVisible();
  await expect(picker(page).getByRole('button', { name: '6h', exact: true })).toHaveAttribute('aria-pressed', 'true');

  // a page without a range is not given one (only the zone would travel there)
  await expect(nav(page).getByRole('link', { name: 'Fleet' })).toHaveAttribute('href', '/fleet');
});

test('a custom range of expressions, checked inline, kept in the URL and carried on', async ({ page }) => {
  await page.goto('/?range=1h');
  await expect(picker(page).getByTestId('range-zone')).toBeVisible();
  const group = picker(page);
  await group.getByRole('button', { name: 'Custom' }).click();
  const form = page.getByRole('form', { name: 'Custom time range' });
  const from = form.getByLabel('From', { exact: true });
  const to = form.getByLabel('To', { exact: true });
  await expect(from).toBeFocused();
  await expect(from).toHaveValue('now-1h');
  await expect(to).toHaveValue('now');

  // a mistake is explained where it was typed, and nothing changes
  await from.fill('now-5x');
  await form.getByRole('button', { name: 'Apply' }).click();
  await expect(form.getByRole('alert')).toHaveText("From: unknown unit 'x' in now-5x (use s, m, h, d or w)");
  await expect(from).toHaveAttribute('aria-invalid', 'true');
  await expect(page).toHaveURL('/?range=1h');
  // US dates are refused, with the format to use
  await from.fill('12/06/2026 10:00');
  await form.getByRole('button', { name: 'Apply' }).click();
  await expect(form.getByRole('alert')).toContainText('write dates as YYYY-MM-DD HH:mm');

  await from.fill('now-2h');
  await to.fill('now');
  await to.press('Enter');
  await expect(form).toHaveCount(0);
  await expect.poll(() => param(page, 'from')).toBe('now-2h');
  expect(param(page, 'to')).toBe('now');
  expect(param(page, 'range')).toBeNull();
  await expect(group.getByRole('button', { name: 'Custom' })).toHaveAttribute('aria-pressed', 'true');
  await expect(group.getByText('live', { exact: true })).toBeVisible();

  // the expressions travel, and the next page shows them as its range
  await nav(page).getByRole('link', { name: 'Sensitive data' }).click();
  await expect(page).toHaveURL(/\/data\?/);
  expect(param(page, 'from')).toBe('now-2h');
  expect(param(page, 'to')).toBe('now');
  await expect(picker(page).getByRole('button', { name: 'Custom' })).toHaveAttribute('aria-pressed', 'true');
  await expect(picker(page).getByTestId('range-window')).toHaveText(/^\d{4}-\d{2}-\d{2} \d{2}:\d{2} → \d{4}-\d{2}-\d{2} \d{2}:\d{2}$/);
});

test('calendar ranges: today and yesterday', async ({ page }) => {
  await page.goto('/?range=1h');
  // the zone appears once the page is live: a click before that would be lost
  await expect(picker(page).getByTestId('range-zone')).toBeVisible();
  await picker(page).getByRole('button', { name: 'Today' }).click();
  await expect.poll(() => param(page, 'from')).toBe('now/d');
  expect(param(page, 'to')).toBe('now');
  await expect(picker(page).getByRole('button', { name: 'Today' })).toHaveAttribute('aria-pressed', 'true');
  await expect(picker(page).getByRole('button', { name: 'Custom' })).toHaveAttribute('aria-pressed', 'false');
  // today starts at midnight in the shown zone
  await expect(picker(page).getByTestId('range-window')).toHaveText(/^\d{4}-\d{2}-\d{2} 00:00 → /);

  await picker(page).getByRole('button', { name: 'Yesterday' }).click();
  await expect.poll(() => param(page, 'from')).toBe('now-1d/d');
  expect(param(page, 'to')).toBe('now/d');
  await expect(picker(page).getByTestId('range-window')).toHaveText(/^\d{4}-\d{2}-\d{2} 00:00 → \d{4}-\d{2}-\d{2} 00:00$/);
});

test('the zone is shown, switches to UTC, and follows the analyst', async ({ page }) => {
  await page.goto('/?range=1h');
  const zone = picker(page).getByTestId('range-zone');
  await expect(zone).toHaveText(/^Europe\/Berlin \(UTC\+0[12]:00\)$/);
  const utc = picker(page).getByRole('button', { name: 'UTC', exact: true });
  await expect(utc).toHaveAttribute('aria-pressed', 'false');
  await utc.click();
  await expect(zone).toHaveText('UTC');
  await expect(utc).toHaveAttribute('aria-pressed', 'true');
  await expect.poll(() => param(page, 'tz')).toBe('utc');

  // Today in UTC starts at UTC midnight
  await picker(page).getByRole('button', { name: 'Today' }).click();
  await expect.poll(() => param(page, 'from')).toBe('now/d');
  await expect(picker(page).getByTestId('range-window')).toHaveText(/^\d{4}-\d{2}-\d{2} 00:00 → /);

  await nav(page).getByRole('link', { name: 'Service graph' }).click();
  await expect(page).toHaveURL(/\/graph\?/);
  expect(param(page, 'tz')).toBe('utc');
  expect(param(page, 'from')).toBe('now/d');
  await expect(picker(page).getByTestId('range-zone')).toHaveText('UTC');
  // pages without a range keep only the zone
  await expect(nav(page).getByRole('link', { name: 'Fleet' })).toHaveAttribute('href', '/fleet?tz=utc');

  await picker(page).getByRole('button', { name: 'UTC', exact: true }).click();
  await expect(picker(page).getByTestId('range-zone')).toHaveText(/^Europe\/Berlin/);
  await expect.poll(() => param(page, 'tz')).toBeNull();
});

test('the refresh interval is chosen and kept in the URL', async ({ page }) => {
  await page.goto('/?range=6h');
  await expect(picker(page).getByTestId('range-zone')).toBeVisible();
  const refresh = picker(page).getByLabel('Refresh');
  await expect(refresh).toHaveValue('30s');
  await refresh.selectOption('1m');
  await expect.poll(() => param(page, 'refresh')).toBe('1m');
  expect(param(page, 'range')).toBe('6h');
  await expect(picker(page).getByText('live', { exact: true })).toHaveAttribute('title', /every 1 min/);

  await nav(page).getByRole('link', { name: 'Sensitive data' }).click();
  await expect(page).toHaveURL('/data?range=6h&refresh=1m');
  await expect(picker(page).getByLabel('Refresh')).toHaveValue('1m');

  await picker(page).getByLabel('Refresh').selectOption('off');
  await expect.poll(() => param(page, 'refresh')).toBe('off');
  await expect(picker(page).getByText('live', { exact: true })).toHaveAttribute('title', /refresh is off/);
});

/** Drags across 30–60 % of a chart's plot area (`left`/`right`: its grid's margins in px). */
async function dragAcross(page: Page, chartName: RegExp, left: number, right: number) {
  const chart = page.getByRole('img', { name: chartName });
  await expect(chart.locator('canvas').first()).toBeVisible();
  await chart.scrollIntoViewIfNeeded();
  const box = (await chart.boundingBox())!;
  const y = box.y + box.height / 2;
  const plot = box.width - left - right;
  await page.mouse.move(box.x + left + plot * 0.3, y);
  await page.mouse.down();
  await page.mouse.move(box.x + left + plot * 0.6, y, { steps: 12 });
  await page.mouse.up();
}

/** After a drag inside a 1 h range: an absolute, shorter range, not live. */
async function expectZoomedIn(page: Page) {
  await expect.poll(() => param(page, 'range')).toBeNull();
  const from = Date.parse(param(page, 'from')!);
  const to = Date.parse(param(page, 'to')!);
  expect(Number.isNaN(from)).toBe(false);
  expect(to - from).toBeGreaterThan(0);
  expect(to - from).toBeLessThan(3600_000);
  await expect(picker(page).getByRole('button', { name: 'Custom' })).toHaveAttribute('aria-pressed', 'true');
  await expect(picker(page).getByText('live', { exact: true })).toHaveCount(0);
}

test('dragging across the requests chart zooms into that span', async ({ page }) => {
  await page.goto('/?range=1h');
  // the grid leaves 52 px on the left, 12 on the right
  await dragAcross(page, /^Requests per interval/, 52, 12);
  await expectZoomedIn(page);
});

test("dragging across a token's volume chart zooms the same way", async ({ page }) => {
  await page.goto(`/data/tokens/${encodeURIComponent(seededTraffic().token)}?range=1h`);
  await dragAcross(page, /^Requests and sensitive-data matches of this token/, 52, 52);
  await expectZoomedIn(page);
});
