// `npm run bench:policy [-- --endpoints 2000 --callers 200 --events 1000000]`: one service with
// that many approved endpoints (each called by a handful of the callers), in an in-memory
// embedded database: time to generate the draft, to compile it to every bundle format, and
// shadow impact's evaluation rate over a stream of events (a mix of allowed, not whitelisted,
// denied-actor and path-trick requests). Prints
// `bench:policy endpoints=<N> compile_ms=<N> shadow_events_per_s=<N>` (compile_ms: the slowest format).
import { randomBytes } from 'node:crypto';
import { openDatabase } from '@/db/client';
import { endpoints } from '@/db/schema';
import { auditKeyring, installAuditKeyring } from '@/server/audit/keyring';
import { systemCtx } from '@/server/context';
import { templateKey } from '@/server/discovery/template';
import { BUNDLE_FORMATS } from '@/server/policy/bundle';
import { compileBundle } from '@/server/policy/compile-bundle';
import { PolicyMatcher } from '@/server/policy/evaluate';
import { generateDraft } from '@/server/policy/lifecycle';
import { ShadowTally, type ShadowEvent } from '@/server/policy/shadow';
import { Prng } from '@/simulator/prng';

const arg = (name: string, fallback: number) => {
  const i = process.argv.indexOf(`--${name}`);
  return i === -1 ? fallback : Number(process.argv[i + 1]);
};
const ENDPOINTS = arg('endpoints', 2000);
const CALLERS = arg('callers', 200);
const EVENTS = arg('events', 1_000_000);
const SERVICE = 'bench/api';

const r = new Prng(7);
const callers = Array.from({ length: CALLERS }, (_, i) => `ns${i % 12}/svc-${i}`);
const words = ['users', 'orders', 'items', 'carts', 'vehicles', 'trips', 'invoices', 'accounts', 'devices', 'reports', 'search', 'export', 'status', 'history'];
function template(i: number): string {
  const a = words[i % words.length];
  const b = words[Math.floor(i / words.length) % words.length];
  const shape = i % 5;
  if (shape === 0) return `/api/v${1 + (i % 3)}/${a}-${i}`;
  if (shape === 1) return `/api/v${1 + (i % 3)}/${a}-${i}/{${a}_id}`;
  if (shape === 2) return `/api/v${1 + (i % 3)}/${a}-${i}/{${a}_id}/${b}`;
  if (shape === 3) return `/api/v${1 + (i % 3)}/${a}-${i}/{${a}_id}/${b}/{${b}_id}.json`;
  return `/api/v${1 + (i % 3)}/${a}-${i}/me`;
}
const concrete = (t: string) => t.replace(/\{[^}]+\}/g, () => String(1000 + r.int(90_000)));

async function main() {
  const database = await openDatabase({ dataDir: 'memory://' });
  const { db } = database;
  // the draft is audited, as in the console: under a throw-away audit key
  installAuditKeyring(auditKeyring(randomBytes(32)));
  const rows = Array.from({ length: ENDPOINTS }, (_, i) => {
    const t = template(i);
    const who: Record<string, number> = {};
    for (let k = 0; k < 1 + r.int(8); k++) who[callers[r.int(CALLERS)]] = 1 + r.int(100);
    return { id: `ep_${i}`, service: SERVICE, method: i % 4 === 0 ? 'POST' : 'GET', template: t, templateKey: templateKey(t), state: 'approved' as const, callers: who };
  });
  for (let i = 0; i < rows.length; i += 500) await db.insert(endpoints).values(rows.slice(i, i + 500));
  const ctx = { ...systemCtx(db), actor: { id: 'usr_bench', email: 'bench@example.test', role: 'analyst' as const } };

  let t = performance.now();
  const draft = await generateDraft(ctx, { service: SERVICE, reason: 'bench' });
  const generateMs = performance.now() - t;
  const doc = { ...draft.document, deny: [
    { kind: 'ip' as const, value: '203.0.113.0/24', reason: 'bench', expiresAt: null },
    { kind: 'token' as const, value: 'tok-stolen', reason: 'bench', expiresAt: null },
  ] };
  console.log(`generate: ${doc.allow.length} rules from ${ENDPOINTS} endpoints × ${CALLERS} callers in ${generateMs.toFixed(0)} ms`);

  const compileMs: Record<string, number> = {};
  for (const format of BUNDLE_FORMATS) {
    try {
      compileBundle(doc, format, new Date(), {}); // warm-up: the first call pays for JIT
      t = performance.now();
      const c = compileBundle(doc, format, new Date(), {});
      compileMs[format] = performance.now() - t;
      console.log(`compile ${format}: ${compileMs[format].toFixed(0)} ms, ${(c.body.length / 1024).toFixed(0)} KiB${c.warnings.length ? `, ${c.warnings.length} warnings` : ''}`);
    } catch (e) {
      console.log(`compile ${format}: not available (${(e as Error).message})`);
    }
  }

  // The events: mostly allowed calls, then callers off the whitelist, denied actors, path tricks.
  const events: ShadowEvent[] = [];
  for (let i = 0; i < EVENTS; i++) {
    const rule = doc.allow[r.int(doc.allow.length)];
    const kind = r.int(100);
    const path = concrete(rule.template);
    events.push({
      ts: i, route: rule.template, status: 200, requestId: `r${i}`, userId: null,
      caller: kind < 90 ? rule.caller : callers[r.int(CALLERS)],
      method: rule.method,
      path: kind >= 97 ? `${path}/` : kind >= 95 ? path.replace('/api/', '/api/../') : path,
      tokenId: kind === 94 ? 'tok-stolen' : null,
      clientIp: kind === 93 ? '203.0.113.9' : `10.${r.int(255)}.${r.int(255)}.${r.int(255)}`,
    });
  }
  const tally = new ShadowTally(new PolicyMatcher(doc));
  t = performance.now();
  for (const e of events) tally.add(e);
  const shadowS = (performance.now() - t) / 1000;
  const res = tally.result();
  console.log(`shadow: ${EVENTS} events in ${shadowS.toFixed(2)} s, ${res.denied} would be denied (${JSON.stringify(res.byReason)}), ${res.groupsTotal} groups`);

  const slowest = Math.max(...Object.values(compileMs));
  console.log(`bench:policy endpoints=${ENDPOINTS} compile_ms=${Math.round(slowest)} shadow_events_per_s=${Math.round(EVENTS / shadowS)}`);
  await database.close();
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
