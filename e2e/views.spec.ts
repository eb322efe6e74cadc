import { expect, test, type Page } from '@playwright/test';
import { apiAs, stateFile, trpcData, trpcQuery } from './support';
import { SEED_MINUTES, seededTraffic } from './traffic';

/**
 * The traffic views (overview, sensitive data, token) as a viewer, against the half hour of
 * simulated traffic global-setup sent. Other specs add a few plain requests, so figures are
 * compared with the server's answer and with what the seed is known to contain.
 */
test.use({ storageState: stateFile('viewer') });

/** An hour in the past, long before any traffic this console can hold. */
const PAST = 'from=2020-01-01T00%3A00%3A00.000Z&to=2020-01-01T01%3A00%3A00.000Z';

const figure = (text: string) => Number(text.replace(/[^0-9]/g, ''));

async function sorted(page: Page, testId: string) {
  return (await page.getByTestId(testId).allInnerTexts()).map((t) => t.trim()).sort();
}

/**
 * The classes a page lists hold every class the seed sent and only classes the server knows
 * in the last hour (asked after the page was read: other specs, such as the nginx content
 * filter's, add classes of their own while this one runs, and a range's classes only grow).
 */
async function expectSeededClasses(shown: string[], seeded: string[]) {
  for (const cls of seeded) expect(shown).toContain(cls);
  const viewer = await apiAs('viewer');
  const known = await trpcData<{ class: string }[]>(trpcQuery(viewer, 'dataflow.classes', { range: { preset: '1h' } }));
  await viewer.dispose();
  for (const cls of shown) expect(known.map((c) => c.class)).toContain(cls);
}

test.describe('overview', () => {
  test('shows the seeded traffic in its figures and charts', async ({ page }) => {
    const seed = seededTraffic();
    await page.goto('/');
    await expect(page.getByRole('heading', { level: 1, name: 'Overview' })).toBeVisible();

    const requests = page.getByTestId('stat-tiles').getByRole('link', { name: /Requests/ });
    await expect(requests).toContainText('total');
    const shown = figure((await requests.locator('.stat-sub').innerText()).split('·')[1]);
    const viewer = await apiAs('viewer');
    const stats = await trpcData<{ requests: number }>(trpcQuery(viewer, 'overview.stats', { range: { preset: '1h' } }));
    await viewer.dispose();
    expect(shown).toBeGreaterThanOrEqual(seed.events);
    expect(shown).toBeLessThanOrEqual(stats.requests);

    for (const name of ['Requests per interval by outcome: 2xx/3xx, 4xx and 5xx', 'Latency percentiles p50, p95 and p99 per interval']) {
      await expect(page.getByRole('img', { name }).locator('canvas').first()).toBeVisible();
    }

    // The busiest service is one the simulator sent, and it opens in the graph with the same range.
    const busiest = page.getByTestId('top-service').first().getByRole('link');
    expect(seed.services).toContain((await busiest.innerText()).trim());
    await expect(busiest).toHaveAttribute('href', `/graph?range=1h&select=${encodeURIComponent(`node:${(await busiest.innerText()).trim()}`)}`);
    const edge = page.getByTestId('top-edge').first().getByRole('link');
    await expect(edge).toHaveAttribute('href', /^\/graph\?range=1h&select=edge%3A.+-%3E.+$/);

    await expect(page.getByTestId('class-link').first()).toBeVisible();
    await expectSeededClasses(await sorted(page, 'class-link'), seed.classes);
    await expect(page.getByRole('region', { name: 'Fleet health' }).getByRole('link', { name: 'Fleet →' })).toHaveAttribute('href', '/fleet');
  });

  test('a sensitive class opens /data filtered by that class', async ({ page }) => {
    const dataClass = seededTraffic().classes[0];
    await page.goto('/');
    await page.getByTestId('class-link').filter({ hasText: new RegExp(`^${dataClass}$`) }).click();
    await expect(page).toHaveURL(`/data?range=1h&class=${encodeURIComponent(dataClass)}`);
    await expect(page.getByRole('heading', { level: 1, name: 'Sensitive data' })).toBeVisible();
    await expect(page.getByTestId('class-chip').filter({ hasText: dataClass })).toHaveAttribute('aria-pressed', 'true');
    await expect(page.getByTestId('flow-row').first()).toBeVisible();
    for (const row of await page.getByTestId('flow-row').all()) await expect(row.locator('.class-badge')).toHaveText(dataClass);
  });

  test('the time range is in the URL and survives a reload', async ({ page }) => {
    await page.goto('/');
    const picker = page.getByRole('group', { name: 'Time range' });
    await expect(picker.getByRole('button', { name: '1h' })).toHaveAttribute('aria-pressed', 'true');
    await picker.getByRole('button', { name: '6h' }).click();
    await expect(page).toHaveURL('/?range=6h');
    await expect(page.getByTestId('class-link').first()).toHaveAttribute('href', /^\/data\?range=6h&class=/);
    await page.reload();
    await expect(page.getByRole('group', { name: 'Time range' }).getByRole('button', { name: '6h' })).toHaveAttribute('aria-pressed', 'true');
    await expect(page.getByTestId('class-link').first()).toHaveAttribute('href', /^\/data\?range=6h&class=/);
  });

  test('a range without traffic says so instead of drawing empty charts', async ({ page }) => {
    await page.goto(`/?${PAST}`);
    await expect(page.getByRole('group', { name: 'Time range' }).getByRole('button', { name: 'Custom' })).toHaveAttribute('aria-pressed', 'true');
    await expect(page.getByText('No traffic in this range')).toHaveCount(4);
    await expect(page.getByText('No sensitive data in this range')).toBeVisible();
    await expect(page.getByRole('img', { name: /per interval/ })).toHaveCount(0);
  });
});

test.describe('sensitive data', () => {
  test('heatmaps and flows show the seeded edge and classes', async ({ page }) => {
    const seed = seededTraffic();
    await page.goto('/data');
    await expect(page.getByRole('heading', { level: 1, name: 'Sensitive data' })).toBeVisible();
    await expect(page.getByTestId('class-chip').first()).toBeVisible();
    const chips = (await page.getByTestId('class-chip').locator('.class-chip-name').allInnerTexts()).sort();
    await expectSeededClasses(chips, seed.classes);

    const services = page.getByRole('region', { name: 'Class × service' });
    await expect(services.getByRole('img').locator('canvas').first()).toBeVisible();
    await services.getByText('Table view').click();
    await expect(services.getByRole('columnheader')).toHaveCount(2 + chips.length);
    expect((await services.getByRole('columnheader').allInnerTexts()).slice(2).sort()).toEqual(chips);
    await expect(services.getByRole('link', { name: seed.edge.dst, exact: true })).toBeVisible();
    const tokens = page.getByRole('region', { name: 'Class × token' });
    await expect(tokens.getByRole('img').locator('canvas').first()).toBeVisible();

    // The flows are paged on the server: walk the pages until the seeded edge shows.
    const flows = page.getByRole('region', { name: 'Flows' });
    const edgeRows = flows.getByTestId('flow-row').filter({ hasText: `${seed.edge.src} → ${seed.edge.dst}` });
    await expect(flows.getByTestId('flow-row').first()).toBeVisible();
    const pages = Number(/of (\d+)$/.exec(await flows.getByText(/^Page \d+ of \d+$/).innerText())![1]);
    for (let p = 1; p < pages && (await edgeRows.count()) === 0; p++) {
      await flows.getByRole('button', { name: 'Next' }).click();
      await expect(flows.getByText(`Page ${p + 1} of ${pages}`)).toBeVisible();
    }
    await expect(edgeRows.first()).toBeVisible();
    await expect(edgeRows.first().getByRole('link')).toHaveAttribute('href', new RegExp(`select=${encodeURIComponent(`edge:${seed.edge.src}->${seed.edge.dst}`)}$`));
    for (const cls of await edgeRows.locator('.class-badge').allInnerTexts()) expect(seed.classes).toContain(cls);
  });

  test('a range without traffic shows empty states', async ({ page }) => {
    await page.goto(`/data?${PAST}`);
    await expect(page.getByRole('region', { name: 'Class × service' }).getByText('No sensitive data in this range')).toBeVisible();
    await expect(page.getByRole('region', { name: 'Class × token' }).getByText('No sensitive data in this range')).toBeVisible();
    await expect(page.getByRole('region', { name: 'Flows' }).getByText('No sensitive data in this range')).toBeVisible();
    await expect(page.getByTestId('class-chip')).toHaveCount(0);
  });
});

test.describe('token page', () => {
  test('shows where the seeded token went, what it touched, and when', async ({ page }) => {
    const seed = seededTraffic();
    await page.goto(`/data/tokens/${encodeURIComponent(seed.token)}?range=1h`);
    await expect(page.getByRole('heading', { level: 1 })).toHaveText(`Token ${seed.token}`);
    await expect(page.getByTestId('token-edge').filter({ hasText: `${seed.edge.src} → ${seed.edge.dst}` })).toBeVisible();
    await expect(page.getByTestId('token-class').first()).toBeVisible();
    for (const cls of await page.getByTestId('token-class').locator('.class-badge').allInnerTexts()) expect(seed.classes).toContain(cls);
    await expect(page.getByTestId('token-route').first()).toBeVisible();
    await expect(page.getByRole('img', { name: /of this token per interval/ }).locator('canvas').first()).toBeVisible();

    const first = new Date((await page.getByTestId('first-seen').locator('.stat-value time').getAttribute('datetime'))!);
    const last = new Date((await page.getByTestId('last-seen').locator('.stat-value time').getAttribute('datetime'))!);
    expect(first.getTime()).toBeLessThanOrEqual(last.getTime());
    expect(last.getTime() - first.getTime()).toBeLessThanOrEqual(SEED_MINUTES * 60_000);
    expect(last.getTime()).toBeLessThanOrEqual(Date.now());
  });

  test('the overview links a token to its page', async ({ page }) => {
    await page.goto('/');
    const link = page.getByTestId('top-token').first().getByRole('link');
    const id = (await link.innerText()).trim();
    await link.click();
    await expect(page).toHaveURL(`/data/tokens/${encodeURIComponent(id)}?range=1h`);
    await expect(page.getByRole('heading', { level: 1 })).toHaveText(`Token ${id}`);
    await expect(page.getByTestId('token-edge').first()).toBeVisible();
  });

  test('an unknown token, with characters that need encoding, gets a clear empty state', async ({ page }) => {
    const id = 'no such token/ä?%41';
    await page.goto(`/data/tokens/${encodeURIComponent(id)}`);
    await expect(page.getByRole('heading', { level: 1 })).toHaveText(`Token ${id}`);
    await expect(page.getByText('No traffic with this token has been recorded')).toBeVisible();
    await expect(page.getByTestId('first-seen')).toHaveCount(0);
    await page.goto(`/data/tokens/${'x'.repeat(300)}`);
    await expect(page.getByText('This is not a token id')).toBeVisible();
  });
});
