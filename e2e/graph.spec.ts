import { expect, test, type Locator, type Page } from '@playwright/test';
import type { GraphContainer } from '@/components/graph/graph-canvas';
import { stateFile } from './support';
import { seededTraffic } from './traffic';

test.use({ storageState: stateFile('viewer'), viewport: { width: 1440, height: 900 } });

const canvasOf = (page: Page) => page.getByTestId('graph-canvas');
const panel = (page: Page) => page.getByTestId('graph-panel');

/** Waits until the graph is laid out and painted. */
async function openGraph(page: Page, query = 'range=1h'): Promise<Locator> {
  await page.goto(`/graph?${query}`);
  const canvas = canvasOf(page);
  await expect(canvas).toHaveAttribute('data-state', 'ready');
  return canvas;
}

/**
 * A point where clicking hits `id`. Edges cross and nodes sit on edges, so
 * the midpoint of an edge may belong to another element in some layouts: candidate points along
 * the element are checked with cytoscape's own hit test (the one its click handling uses) and the
 * first that hits `id` is returned. Edges both ways between two services lie a few pixels apart,
 * and a click lands up to a pixel from where it was aimed: the point must hit `id` within 2 px
 * around it too. Relative to the canvas.
 */
async function drawnAt(canvas: Locator, id: string): Promise<{ x: number; y: number }> {
  await expect(canvas).toHaveAttribute('data-state', 'ready');
  const p = await canvas.evaluate((el, elementId) => {
    type Pt = { x: number; y: number };
    const cy = (el as GraphContainer).cy!;
    const e = cy.getElementById(elementId);
    if (e.empty()) return { error: 'not drawn' };
    const hitTest = (cy as unknown as { renderer(): { findNearestElement(x: number, y: number, interactive: boolean, touch: boolean): { id(): string } | null } }).renderer();
    const candidates: Pt[] = [];
    if (e.isEdge()) {
      const edge = e as unknown as { sourceEndpoint(): Pt; targetEndpoint(): Pt; midpoint(): Pt; controlPoints(): Pt[] | undefined };
      const a = edge.sourceEndpoint();
      const b = edge.targetEndpoint();
      const c = edge.controlPoints()?.[0];
      candidates.push(edge.midpoint());
      for (let i = 1; i < 40; i++) {
        const t = i / 40;
        // a quadratic bezier through the control point when the edge is curved, else the straight line
        const ctrl = c ?? { x: (a.x + b.x) / 2, y: (a.y + b.y) / 2 };
        candidates.push({
          x: (1 - t) ** 2 * a.x + 2 * (1 - t) * t * ctrl.x + t ** 2 * b.x,
          y: (1 - t) ** 2 * a.y + 2 * (1 - t) * t * ctrl.y + t ** 2 * b.y,
        });
      }
    } else {
      const n = e as unknown as { position(): Pt; width(): number; height(): number };
      const { x, y } = n.position();
      for (const [dx, dy] of [[0, 0], [0.25, 0], [-0.25, 0], [0, 0.25], [0, -0.25]]) candidates.push({ x: x + dx * n.width(), y: y + dy * n.height() });
    }
    const pan = cy.pan();
    const zoom = cy.zoom();
    const rect = el.getBoundingClientRect();
    const onCanvas = (m: Pt) => ({ x: m.x * zoom + pan.x, y: m.y * zoom + pan.y });
    const onPage = (m: Pt) => ({ x: rect.left + onCanvas(m).x, y: rect.top + onCanvas(m).y });
    // the canvas must be what is under the pointer there (not the legend or a panel), and the
    // element cytoscape finds there must be this one
    const slack = 2 / zoom;
    const around = [[0, 0], [1, 0], [-1, 0], [0, 1], [0, -1], [1, 1], [1, -1], [-1, 1], [-1, -1]];
    const hit = candidates.find((m) => around.every(([dx, dy]) => {
      const q = { x: m.x + dx * slack, y: m.y + dy * slack };
      const at = onPage(q);
      return el.contains(document.elementFromPoint(at.x, at.y)) && hitTest.findNearestElement(q.x, q.y, true, false)?.id() === elementId;
    }));
    return hit ? onCanvas(hit) : { error: `no point of ${elementId} is clickable: other elements cover it` };
  }, id);
  expect('error' in p ? p.error : null, `${id} is drawn where a click reaches it`).toBeNull();
  return p as { x: number; y: number };
}

/**
 * Clicks `id` on the canvas until the URL selects it. Other tests ingest traffic meanwhile, and the
 * live graph lays out again when a new service appears: a point found before that may hit another
 * element, so the point is found afresh on each try. The click is relative to the canvas, so a
 * banner appearing above it does not move the target.
 */
async function clickOn(page: Page, canvas: Locator, id: string, select: string) {
  await expect(async () => {
    await canvas.click({ position: await drawnAt(canvas, id) });
    await expect(page).toHaveURL((u) => u.searchParams.get('select') === select, { timeout: 2_000 });
  }).toPass();
}

const namespaceOf = (service: string) => service.split('/')[0];

test('click an edge: its endpoints and tokens, then on to the token', async ({ page }) => {
  const { edge, token } = seededTraffic();
  const canvas = await openGraph(page);

  await clickOn(page, canvas, `${edge.src}->${edge.dst}`, `edge:${edge.src}->${edge.dst}`);
  const side = panel(page);
  await expect(side.getByRole('heading', { level: 2 })).toHaveText(`${edge.src} → ${edge.dst}`);
  await expect(side.getByTestId('panel-routes').getByRole('row')).not.toHaveCount(0);
  await expect(side.getByTestId('panel-classes')).toBeVisible();
  const search = side.getByRole('link', { name: /Search logs for this edge/ });
  const searchUrl = new URL((await search.getAttribute('href'))!, 'http://x');
  expect(searchUrl.pathname).toBe('/search');
  expect(searchUrl.searchParams.get('q')).toBe(`caller:${edge.src} AND service:${edge.dst}`);
  expect(Number(new Date(searchUrl.searchParams.get('to')!)) - Number(new Date(searchUrl.searchParams.get('from')!))).toBeGreaterThanOrEqual(3600_000);

  await side.getByTestId('panel-tokens').getByRole('link', { name: token, exact: true }).click();
  await expect(page).toHaveURL((u) => u.pathname === `/data/tokens/${encodeURIComponent(token)}`);
  await expect(page.getByText(token).first()).toBeVisible();
});

test('click a service: its panel, with callers that open their edge', async ({ page }) => {
  const { edge } = seededTraffic();
  const canvas = await openGraph(page);
  await clickOn(page, canvas, edge.dst, `node:${edge.dst}`);
  const side = panel(page);
  await expect(side.getByRole('heading', { level: 2 })).toHaveText(edge.dst);
  await side.getByRole('button', { name: edge.src, exact: true }).click();
  await expect(side.getByRole('heading', { level: 2 })).toHaveText(`${edge.src} → ${edge.dst}`);
  await side.getByRole('button', { name: 'Close details' }).click();
  await expect(side).toHaveCount(0);
  await expect(page).toHaveURL((u) => !u.searchParams.has('select'));
});

test('filters and colour mode live in the URL and survive a reload, with the same layout', async ({ page }) => {
  const { edge } = seededTraffic();
  const ns = namespaceOf(edge.src);
  const canvas = await openGraph(page);

  await page.locator('.ns-picker > summary').click();
  const box = page.getByRole('group', { name: 'Namespaces to show' }).getByRole('checkbox', { name: new RegExp(`^${ns}\\b`) });
  await box.click();
  await expect(box).toBeChecked();
  await page.getByLabel('Min requests').fill('1');
  await page.getByLabel('Min requests').press('Enter');
  const before = await canvas.evaluate((el, id) => (el as GraphContainer).cy!.getElementById(id).style('line-color'), `${edge.src}->${edge.dst}`);
  await page.getByRole('button', { name: 'Sensitive data', exact: true }).click();

  await expect(page).toHaveURL((u) => u.searchParams.getAll('ns').join() === ns && u.searchParams.get('min') === '1' && u.searchParams.get('color') === 'data');
  await expect(canvas).toHaveAttribute('data-state', 'ready');
  // Every edge drawn touches the namespace; the seeded edge now wears its data-class colour.
  const drawn = await canvas.evaluate((el, id) => {
    const cy = (el as GraphContainer).cy!;
    const e = cy.getElementById(id);
    return {
      ends: cy.edges().map((x) => [x.data('source'), x.data('target')] as [string, string]),
      colour: e.style('line-color') as string,
      dataColour: e.data('dataColor') as string,
      position: cy.getElementById(id.split('->')[0]).position(),
    };
  }, `${edge.src}->${edge.dst}`);
  expect(drawn.ends.length).toBeGreaterThan(0);
  for (const [s, d] of drawn.ends) expect([s, d].some((x) => namespaceOf(x) === ns), `${s} → ${d}`).toBe(true);
  const rgb = (hex: string) => `rgb(${[1, 3, 5].map((i) => parseInt(hex.slice(i, i + 2), 16)).join(',')})`;
  expect(drawn.colour.replace(/\s/g, '')).toBe(rgb(drawn.dataColour));
  expect(drawn.colour).not.toBe(before);
  await expect(page.getByRole('complementary', { name: 'Legend' })).toContainText('Top data class');

  await page.reload();
  await expect(canvas).toHaveAttribute('data-state', 'ready');
  await expect(page.locator('.ns-picker > summary')).toHaveText(ns);
  await expect(page.getByLabel('Min requests')).toHaveValue('1');
  await expect(page.getByRole('button', { name: 'Sensitive data', exact: true })).toHaveAttribute('aria-pressed', 'true');
  await expect(page.getByRole('complementary', { name: 'Legend' })).toContainText('Top data class');
  const after = await canvas.evaluate((el, id) => (el as GraphContainer).cy!.getElementById(id).position(), edge.src);
  expect(after).toEqual(drawn.position);
});

test('find a service by name: ringed, selected with its panel open, centred, and selectable from the keyboard', async ({ page }) => {
  const { services } = seededTraffic();
  // A name no other service's name contains, so it is the one match.
  const name = services.find((s) => s !== 'external' && services.filter((o) => o.includes(s)).length === 1)!;
  const canvas = await openGraph(page);
  await page.getByLabel('Find service').fill(name);
  await page.getByLabel('Find service').press('Enter');

  await expect(page).toHaveURL((u) => u.searchParams.get('find') === name);
  const found = page.locator('.graph-found');
  await expect(found).toContainText('1 match');
  // the one match is selected: its panel opens, and it stays centred in the narrower canvas
  await expect(page).toHaveURL((u) => u.searchParams.get('select') === `node:${name}`);
  await expect(panel(page).getByRole('heading', { level: 2 })).toHaveText(name);
  await expect
    .poll(() => canvas.evaluate((el, id) => {
      const cy = (el as GraphContainer).cy!;
      const n = cy.getElementById(id);
      const p = n.renderedPosition();
      return n.hasClass('found') && Math.abs(p.x - cy.width() / 2) < 2 && Math.abs(p.y - cy.height() / 2) < 2;
    }, name))
    .toBe(true);

  // closed, the panel comes back from the match list with the keyboard
  await page.getByRole('button', { name: 'Close details' }).click();
  await expect(panel(page)).toHaveCount(0);
  const pick = found.getByRole('button', { name, exact: true });
  await pick.focus();
  await page.keyboard.press('Enter');
  await expect(panel(page).getByRole('heading', { level: 2 })).toHaveText(name);
});

test('namespace boxes do not overlap, and the legend sits outside the canvas', async ({ page }) => {
  const canvas = await openGraph(page);
  const boxes = await canvas.evaluate((el) => {
    const cy = (el as GraphContainer).cy!;
    return cy.nodes(':parent').map((n) => ({ id: n.id(), ...n.boundingBox({ includeLabels: true, includeOverlays: false }) }));
  });
  expect(boxes.length).toBeGreaterThan(1);
  for (let i = 0; i < boxes.length; i++) {
    for (let j = i + 1; j < boxes.length; j++) {
      const a = boxes[i], b = boxes[j];
      const apart = a.x2 <= b.x1 || b.x2 <= a.x1 || a.y2 <= b.y1 || b.y2 <= a.y1;
      expect(apart, `${a.id} and ${b.id} overlap`).toBe(true);
    }
  }
  const legend = await page.getByRole('complementary', { name: 'Legend' }).boundingBox();
  const stage = await canvas.boundingBox();
  expect(legend!.y).toBeGreaterThanOrEqual(stage!.y + stage!.height);
});
