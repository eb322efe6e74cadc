import { mkdirSync } from 'node:fs';
import { chromium, request, type FullConfig } from '@playwright/test';
import { ACCOUNTS, AUTH_DIR, baseURL, createToken, signIn, stateFile, trpcMutation, type Role } from './support';
import { seedTraffic } from './traffic';

/**
 * Runs once the console answers (the webServer block waits for readiness): signs the
 * admin in through the real sign-in page, creates the analyst and viewer accounts through
 * the tRPC HTTP API, saves one storageState per role for the specs, and sends half an hour
 * of simulated fleet traffic through the real ingest routes for the traffic views.
 */
export default async function globalSetup(config: FullConfig) {
  mkdirSync(AUTH_DIR, { recursive: true });
  const browser = await chromium.launch(config.projects[0]?.use.launchOptions);
  try {
    const signInAndSave = async (role: Role) => {
      const context = await browser.newContext({ baseURL });
      const page = await context.newPage();
      await signIn(page, ACCOUNTS[role].email, ACCOUNTS[role].password);
      await context.storageState({ path: stateFile(role) });
      await context.close();
    };

    await signInAndSave('admin');

    const admin = await request.newContext({ baseURL, storageState: stateFile('admin') });
    for (const role of ['analyst', 'viewer'] as const) {
      const res = await trpcMutation(admin, 'users.create', { email: ACCOUNTS[role].email, name: `E2E ${role}`, role, password: ACCOUNTS[role].password });
      // 409: the account exists already (a server kept from an earlier run).
      if (res.status() !== 200 && res.status() !== 409) {
        throw new Error(`creating the ${role} account failed: ${res.status()} ${await res.text()}`);
      }
    }
    await seedTraffic((await createToken(admin, 'e2e simulator')).token);
    await admin.dispose();

    await signInAndSave('analyst');
    await signInAndSave('viewer');
  } finally {
    await browser.close();
  }
}
