import { tmpdir } from 'node:os';
import path from 'node:path';
import { defineConfig } from '@playwright/test';

const PORT = Number(process.env.E2E_PORT ?? 3100);
export const baseURL = `http://localhost:${PORT}`;
export const ADMIN = { email: 'admin@e2e.test', password: 'e2e-admin-password-1' };
/** Known to the tests so they can craft session tokens (expired, too old) and check they are refused. */
export const E2E_AUTH_SECRET = 'e2e-only-session-secret-0123456789abcdef';
/**
 * A second console, as a fresh `npm start` makes it: no MESHWARD_ADMIN_PASSWORD, so it generates
 * the first admin's password and keeps it in `dataDir` (e2e/first-run.spec.ts). Its data directory
 * is emptied before it starts, outside test-results (which Playwright empties on its own schedule).
 */
const FIRST_RUN_PORT = PORT + 1;
export const FIRST_RUN = {
  url: `http://localhost:${FIRST_RUN_PORT}`,
  dataDir: path.join(tmpdir(), `meshward-e2e-first-run-${FIRST_RUN_PORT}`),
  email: 'first-admin@e2e.test',
};

/**
 * End-to-end tests against the production build (`next build` first), served by the real
 * console process on an in-memory embedded database, in Debian's Chromium.
 */
export default defineConfig({
  testDir: './e2e',
  fullyParallel: false,
  workers: 1,
  retries: 0,
  timeout: 60_000,
  expect: { timeout: 15_000 },
  reporter: process.env.CI ? [['list'], ['json', { outputFile: 'test-results/e2e.json' }]] : 'list',
  globalSetup: './e2e/global-setup.ts',
  use: {
    baseURL,
    trace: 'retain-on-failure',
    screenshot: 'only-on-failure',
    launchOptions: {
      executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
      args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
    },
  },
  webServer: [{
    command: 'node --import tsx server/main.ts',
    url: `${baseURL}/api/health?ready`,
    timeout: 120_000,
    reuseExistingServer: false,
    stdout: 'ignore',
    stderr: 'pipe',
    env: {
      PORT: String(PORT),
      NODE_ENV: 'production',
      NEXT_TELEMETRY_DISABLED: '1',
      MESHWARD_DATA_DIR: 'memory://',
      MESHWARD_SIMULATOR: 'off',
      MESHWARD_ADMIN_EMAIL: ADMIN.email,
      MESHWARD_ADMIN_PASSWORD: ADMIN.password,
      MESHWARD_LOG_LEVEL: 'warn',
      AUTH_SECRET: E2E_AUTH_SECRET,
      MESHWARD_SESSION_HOURS: '8',
      MESHWARD_DISCOVERY_INTERVAL_S: '2',
      // detection judges traffic sooner than in production (e2e proxies are on one clock)
      MESHWARD_DETECTION_LATENESS_S: '30',
      MESHWARD_DETECTION_INTERVAL_S: '2',
    },
  }, {
    command: `node -e "require('node:fs').rmSync(process.argv[1], { recursive: true, force: true })" ${JSON.stringify(FIRST_RUN.dataDir)} && node --import tsx server/main.ts`,
    url: `${FIRST_RUN.url}/api/health?ready`,
    timeout: 120_000,
    reuseExistingServer: false,
    stdout: 'ignore',
    stderr: 'pipe',
    env: {
      PORT: String(FIRST_RUN_PORT),
      NODE_ENV: 'production',
      NEXT_TELEMETRY_DISABLED: '1',
      MESHWARD_DATA_DIR: FIRST_RUN.dataDir,
      MESHWARD_SIMULATOR: 'off',
      MESHWARD_DISCOVERY: 'off',
      MESHWARD_DETECTION: 'off',
      MESHWARD_ADMIN_EMAIL: FIRST_RUN.email,
      MESHWARD_LOG_LEVEL: 'warn',
    },
  }],
});
