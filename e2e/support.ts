import { chromium, expect, request, type APIRequestContext, type APIResponse, type Browser, type Page } from '@playwright/test';
import config, { ADMIN, baseURL } from '../playwright.config';

export { ADMIN, baseURL };

export type Role = 'admin' | 'analyst' | 'viewer' | 'auditor';
/** The roles, and `admin2`: a second admin (approvals need two; the two-person rule). */
export type Account = Role | 'admin2';

/**
 * Accounts created once by global-setup (admin2, analyst, viewer and auditor by the first admin,
 * each password set by its holder through a one-time link); specs that change an account create their own.
 */
export const ACCOUNTS: Record<Account, { email: string; password: string }> = {
  admin: ADMIN,
  admin2: { email: 'admin2@e2e.test', password: 'e2e-second-admin-password-1' },
  analyst: { email: 'analyst@e2e.test', password: 'e2e-analyst-password-1' },
  viewer: { email: 'viewer@e2e.test', password: 'e2e-viewer-password-1' },
  auditor: { email: 'auditor@e2e.test', password: 'e2e-auditor-password-1' },
};
export const roleOf = (a: Account): Role => (a === 'admin2' ? 'admin' : a);

export const AUTH_DIR = 'test-results/.auth';
export const stateFile = (role: Account) => `${AUTH_DIR}/${role}.json`;

/** A name no other test (or earlier run against the same server) has used. */
export function unique(prefix: string): string {
  return `${prefix}-${Date.now().toString(36)}-${Math.random().toString(36).slice(2, 7)}`;
}

export const uniqueEmail = (prefix: string) => `${unique(prefix)}@e2e.test`;

// ---------------------------------------------------------------------------------------
// tRPC over plain HTTP (superjson envelope: `{ json: … }`)

/** An HTTP client carrying `role`'s session cookie. */
export function apiAs(role: Account): Promise<APIRequestContext> {
  return request.newContext({ baseURL, storageState: stateFile(role) });
}

/** An HTTP client without a session. */
export function anonymousApi(): Promise<APIRequestContext> {
  return request.newContext({ baseURL, storageState: { cookies: [], origins: [] } });
}

export function trpcMutation(api: APIRequestContext, path: string, input: unknown, origin: string = baseURL): Promise<APIResponse> {
  return api.post(`/api/trpc/${path}`, { data: { json: input }, headers: { origin }, failOnStatusCode: false });
}

export function trpcQuery(api: APIRequestContext, path: string, input?: unknown): Promise<APIResponse> {
  const qs = input === undefined ? '' : `?input=${encodeURIComponent(JSON.stringify({ json: input }))}`;
  return api.get(`/api/trpc/${path}${qs}`, { failOnStatusCode: false });
}

/** The procedure's result; fails the test with the server's answer when it is not a success. */
export async function trpcData<T = unknown>(res: APIResponse | Promise<APIResponse>): Promise<T> {
  const r = await res;
  const body = await r.text();
  expect(r.status(), `tRPC ${r.url()} answered: ${body}`).toBe(200);
  return (JSON.parse(body) as { result: { data: { json: T } } }).result.data.json;
}

/** `{ status, code }` of a tRPC error answer. */
export async function trpcError(res: APIResponse | Promise<APIResponse>): Promise<{ status: number; code: string; message: string }> {
  const r = await res;
  const body = (await r.json()) as { error?: { json?: { message?: string; data?: { code?: string } } } };
  return { status: r.status(), code: body.error?.json?.data?.code ?? '(no error)', message: body.error?.json?.message ?? '' };
}

export interface CreatedUser {
  id: string;
  email: string;
  password: string;
}

/** `users.create` as an admin: the account and the one-time set-password link (a path). */
export async function createAccount(admin: APIRequestContext, role: Role, email: string, name = ''): Promise<{ id: string; email: string; linkPath: string }> {
  const r = await trpcData<{ kind: string; user: { id: string; email: string }; link: { path: string } }>(trpcMutation(admin, 'users.create', { email, name, role, ...(role === 'admin' ? { reason: 'e2e: a second admin' } : {}) }));
  expect(r.kind, `creating ${email} made a request for a second admin, not an account`).toBe('created');
  expect(r.user.email).toBe(email);
  expect(r.link.path).toMatch(/^\/set-password#token=mwl_/);
  return { id: r.user.id, email, linkPath: r.link.path };
}

/** Fills the set-password page of a link in `page` and waits for the confirmation. */
export async function setPasswordOnPage(page: Page, linkPath: string, password: string) {
  await page.goto(linkPath);
  await page.getByLabel('New password').fill(password);
  await page.getByLabel('Repeat the password').fill(password);
  await page.getByRole('button', { name: 'Set password' }).click();
  await expect(page.getByRole('status')).toContainText('Password set for');
}

/** The link holder opens the link in a browser of their own and sets the password. */
export async function setPasswordThroughLink(linkPath: string, password: string, browser?: Browser) {
  const own = browser ?? (await chromium.launch(config.use?.launchOptions));
  try {
    const context = await own.newContext({ baseURL, storageState: { cookies: [], origins: [] } });
    await setPasswordOnPage(await context.newPage(), linkPath, password);
    await context.close();
  } finally {
    if (!browser) await own.close();
  }
}

/**
 * Creates an account through `users.create` as the admin, and sets its password the only way
 * there is: its holder uses the one-time link.
 */
export async function createUser(admin: APIRequestContext, role: Role, email: string, password: string, browser?: Browser): Promise<CreatedUser> {
  const a = await createAccount(admin, role, email);
  await setPasswordThroughLink(a.linkPath, password, browser);
  return { id: a.id, email, password };
}

/** A proxy token for `services` (every service unless told). */
export async function createToken(admin: APIRequestContext, name: string, services: string[] = ['*']): Promise<{ id: string; token: string }> {
  const r = await trpcData<{ id: string; token: string }>(trpcMutation(admin, 'fleet.createToken', { name, services }));
  expect(r.token).toMatch(/^mwp_/);
  return r;
}

// ---------------------------------------------------------------------------------------
// The sign-in page

export async function fillSignIn(page: Page, email: string, password: string) {
  await page.getByLabel('Email').fill(email);
  await page.getByLabel('Password', { exact: true }).fill(password);
}

/**
 * Submits the sign-in form and waits until the refused attempt has been rendered: the
 * server action answered, and React has reset the form (password emptied, button back).
 * Filling the next attempt earlier would race that reset.
 */
export async function submitSignIn(page: Page, email: string, password: string) {
  await fillSignIn(page, email, password);
  const answered = page.waitForResponse((r) => r.request().method() === 'POST' && new URL(r.url()).pathname === '/signin');
  await page.getByRole('button', { name: 'Sign in' }).click();
  await answered;
  await expect(page.getByLabel('Password', { exact: true })).toHaveValue('');
  await expect(page.getByRole('button', { name: 'Sign in' })).toBeEnabled();
}

/** Signs in through the real page and waits for the console. */
export async function signIn(page: Page, email: string, password: string) {
  await page.goto('/signin');
  await fillSignIn(page, email, password);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await expect(page).toHaveURL(`${baseURL}/`);
  await expect(page.getByRole('heading', { level: 1, name: 'Overview' })).toBeVisible();
}

// ---------------------------------------------------------------------------------------
// Proxy traffic

const str = (v: string) => ({ stringValue: v });

/** An OTLP/JSON ExportLogsServiceRequest with one access record timed now. */
export function otlpBatch(proxyId: string, opts: { service?: string; namespace?: string; path?: string; status?: number; records?: number } = {}) {
  const nowNs = BigInt(Date.now()) * 1_000_000n;
  const n = opts.records ?? 1;
  return {
    resourceLogs: [
      {
        resource: {
          attributes: [
            { key: 'service.name', value: str(opts.service ?? 'checkout') },
            { key: 'k8s.namespace.name', value: str(opts.namespace ?? 'shop') },
            { key: 'host.name', value: str(proxyId) },
          ],
        },
        scopeLogs: [
          {
            scope: { name: 'meshward-e2e' },
            logRecords: Array.from({ length: n }, (_, i) => ({
              timeUnixNano: String(nowNs - BigInt(i) * 1_000_000n),
              attributes: [
                { key: 'http.request.method', value: str('GET') },
                { key: 'url.path', value: str(opts.path ?? `/api/orders/${1000 + i}`) },
                { key: 'http.response.status_code', value: { intValue: String(opts.status ?? 200) } },
              ],
            })),
          },
        ],
      },
    ],
  };
}

export function postOtlp(api: APIRequestContext, token: string, batch: unknown): Promise<APIResponse> {
  return api.post('/v1/logs', {
    data: JSON.stringify(batch),
    headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
    failOnStatusCode: false,
  });
}

export function postHeartbeat(api: APIRequestContext, token: string, body: Record<string, unknown>): Promise<APIResponse> {
  return api.post('/api/fleet/v1/status', {
    data: body,
    headers: { authorization: `Bearer ${token}` },
    failOnStatusCode: false,
  });
}
