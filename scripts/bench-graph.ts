// `npm run bench:graph -- [--services N] [--edges N] [--port N]`   (needs a production build: `next build`)
//
// Writes the rollups of a synthetic mesh (1,000 services in 25 namespaces, 5,000 edges) into a
// fresh embedded database, starts a console on it, signs in and opens /graph with every edge
// drawn, in headless Chromium. Prints the time from navigation start to the graph painted, the
// fcose layout time, the same for a reload (positions from the layout cache), and the frame
// rate while panning with the mouse for about 3 s.
import { chromium, type Page } from '@playwright/test';
import { openDatabase } from '@/db/client';
import { insertRollups, type FixtureRequest } from '@/server/traffic/rollup-fixture';
import { startConsole } from './lib/console-process';
import { Prng } from '@/simulator/prng';
import { createTempStore } from './lib/temp-store';

const arg = (name: string, fallback: number) => {
  const i = process.argv.indexOf(`--${name}`);
  return i > 0 ? Number(process.argv[i + 1]) : fallback;
};
const SERVICES = arg('services', 1000);
const EDGES = arg('edges', 5000);
const PORT = arg('port', 3202);
const NAMESPACES = 25;
const ADMIN = { email: 'bench@graph.test', password: 'bench-graph-password-1' };
const CLASSES = ['email', 'credit_card', 'ssn', 'phone', 'jwt'];

/** Distinct src → dst pairs, callers skewed towards low numbers (gateways call a lot), volumes long-tailed. */
function mesh(nowMs: number): FixtureRequest[] {
  const r = new Prng(42);
  const name = (i: number) => `ns-${String(i % NAMESPACES).padStart(2, '0')}/svc-${String(i).padStart(4, '0')}`;
  const at = new Date(nowMs - 10 * 60_000);
  const seen = new Set<string>();
  const out: FixtureRequest[] = [];
  // Every service is called at least once, so the mesh has SERVICES nodes.
  for (let i = 1; i < SERVICES; i++) seen.add(`${Math.floor(r.next() ** 2 * i)}>${i}`);
  while (seen.size < EDGES) {
    const src = Math.floor(r.next() ** 2 * SERVICES);
    const dst = r.int(SERVICES);
    if (src !== dst) seen.add(`${src}>${dst}`);
  }
  for (const pair of seen) {
    const [src, dst] = pair.split('>').map(Number);
    const n = 1 + Math.floor(200 * r.next() ** 4);
    out.push({
      at, src: name(src), dst: name(dst), n, route: `/api/v1/r${dst % 7}`, status: r.chance(0.03) ? 503 : 200,
      mtls: !r.chance(0.1), durationMs: 5 + r.int(200),
      ...(r.chance(0.15) ? { sensitive: [{ class: r.pick(CLASSES), direction: 'response' as const, count: 1 }], tokenId: `tok_${r.int(500)}` } : {}),
    });
  }
  return out;
}

/** Navigation start → painted, and the layout time, as the page reports them. */
async function drawn(page: Page): Promise<{ renderMs: number; layoutMs: number; nodes: number; edges: number }> {
  const canvas = page.getByTestId('graph-canvas');
  await canvas.and(page.locator('[data-state=ready]')).waitFor({ timeout: 120_000 });
  // Expressions as strings: tsx would put its `__name` helper into serialised functions.
  return page.evaluate(`(() => {
    const el = document.querySelector('[data-testid=graph-canvas]');
    return { renderMs: Number(el.dataset.drawnMs), layoutMs: Number(el.dataset.layoutMs), nodes: el.cy.nodes('.service').length, edges: el.cy.edges().length };
  })()`);
}

/** Frames painted per second while the mouse drags the background for `ms`. */
async function panFps(page: Page, ms: number): Promise<number> {
  const box = (await page.getByTestId('graph-canvas').boundingBox())!;
  // A corner inside the fit padding: background, so the drag pans rather than moves a node.
  const x0 = box.x + 8;
  const y0 = box.y + 8;
  await page.evaluate(`(() => {
    window.benchFrames = 0;
    window.benchStop = false;
    const tick = () => { window.benchFrames++; if (!window.benchStop) requestAnimationFrame(tick); };
    requestAnimationFrame(tick);
  })()`);
  const started = Date.now();
  await page.mouse.move(x0, y0);
  await page.mouse.down();
  let i = 0;
  while (Date.now() - started < ms) {
    i++;
    await page.mouse.move(x0 + 200 + 180 * Math.sin(i / 15), y0 + 150 + 120 * Math.cos(i / 15));
  }
  await page.mouse.up();
  const frames = await page.evaluate<number>('window.benchStop = true, window.benchFrames');
  return frames / ((Date.now() - started) / 1000);
}

const temp = await createTempStore('pglite', 'meshward-bench-graph');
const store = temp.store as { dataDir: string };
try {
  const database = await openDatabase({ dataDir: store.dataDir });
  await insertRollups(database.db, mesh(Date.now()), ['minute']);
  await database.close();

  const server = await startConsole({
    store, port: PORT,
    env: { MESHWARD_ADMIN_EMAIL: ADMIN.email, MESHWARD_ADMIN_PASSWORD: ADMIN.password, AUTH_SECRET: 'bench-graph-secret-0123456789abcdef' },
  });
  const browser = await chromium.launch({
    executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
    args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
  });
  try {
    const page = await browser.newPage({ baseURL: server.url, viewport: { width: 1440, height: 900 }, colorScheme: 'dark' });
    await page.goto('/signin');
    await page.getByLabel('Email').fill(ADMIN.email);
    await page.getByLabel('Password', { exact: true }).fill(ADMIN.password);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.waitForURL((u) => !u.pathname.startsWith('/signin'));

    // Warm the server (first compile of the route, database caches) without the browser's layout cache mattering.
    await page.goto(`/graph?range=1h&top=${EDGES}`);
    await drawn(page);
    await page.evaluate('localStorage.clear()');

    await page.goto(`/graph?range=1h&top=${EDGES}`);
    const cold = await drawn(page);
    await page.reload();
    const cached = await drawn(page);
    const fps = await panFps(page, 3000);

    console.log(
      `bench:graph nodes=${cold.nodes} edges=${cold.edges} first_render_ms=${Math.round(cold.renderMs)} layout_ms=${Math.round(cold.layoutMs)} fps_pan=${Math.round(fps)}`,
    );
    console.log(`bench:graph cached_layout first_render_ms=${Math.round(cached.renderMs)} layout_ms=${Math.round(cached.layoutMs)}`);
  } finally {
    await browser.close();
    await server.stop();
  }
} finally {
  await temp.remove();
}
