import { mkdirSync } from 'node:fs';
import { chromium, request, type FullConfig } from '@playwright/test';
import { ACCOUNTS, AUTH_DIR, baseURL, createAccount, createToken, roleOf, setPasswordThroughLink, signIn, stateFile, type Account } from './support';
import { seedTraffic } from './traffic';

/**
 * Runs once the console answers (the webServer block waits for readiness): signs the
 * admin in through the real sign-in page; creates a second admin, an analyst, a viewer and an
 * auditor through the tRPC HTTP API, each password set by its holder on the set-password page of its
 * one-time link; saves one storageState per account for the specs, and sends half an hour of
 * simulated fleet traffic through the real ingest routes for the traffic views. The second
 * admin is created while the first is the only one, so it needs no approval; from then on
 * every new admin does.
 */
export default async function globalSetup(config: FullConfig) {
  mkdirSync(AUTH_DIR, { recursive: true });
  const browser = await chromium.launch(config.projects[0]?.use.launchOptions);
  try {
    const signInAndSave = async (account: Account) => {
      const context = await browser.newContext({ baseURL });
      const page = await context.newPage();
      await signIn(page, ACCOUNTS[account].email, ACCOUNTS[account].password);
      await context.storageState({ path: stateFile(account) });
      await context.close();
    };

    await signInAndSave('admin');

    const admin = await request.newContext({ baseURL, storageState: stateFile('admin') });
    for (const account of ['admin2', 'analyst', 'viewer', 'auditor'] as const) {
      const a = await createAccount(admin, roleOf(account), ACCOUNTS[account].email, `E2E ${account}`);
      await setPasswordThroughLink(a.linkPath, ACCOUNTS[account].password, browser);
    }
    await seedTraffic((await createToken(admin, 'e2e simulator')).token);
    await admin.dispose();

    for (const account of ['admin2', 'analyst', 'viewer', 'auditor'] as const) await signInAndSave(account);
  } finally {
    await browser.close();
  }
}
