// Dev tool: sign in and take a full-page screenshot.  node scripts/screenshot.mjs URL OUT.png [EMAIL PASSWORD]
import { chromium } from 'playwright-core';
const [,, url, out, email, password] = process.argv;
const b = await chromium.launch({ executablePath: '/usr/bin/chromium', args: ['--no-sandbox','--disable-gpu','--disable-quic','--disable-background-networking','--disable-component-update','--disable-sync'] });
const p = await b.newPage({ viewport: { width: 1400, height: 860 }, colorScheme: process.env.SCHEME || 'dark' });
p.on('console', m => { if (m.type() === 'error') console.log('console:', m.text()); });
if (email) {
  await p.goto(new URL('/signin', url).href);
  await p.fill('#email', email); await p.fill('#password', password);
  await p.click('button[type=submit]');
  await p.waitForURL(u => !u.pathname.startsWith('/signin'), { timeout: 15000 }).catch(e => console.log('signin wait failed', p.url()));
}
await p.goto(url);
await p.waitForLoadState('networkidle');
await p.screenshot({ path: out, fullPage: true });
console.log('url', p.url());
await b.close();
