// `npm run bench:policy-shapes -- [--endpoints 2000] [--callers 200]`: compile
// time per format for one service, in three shapes of whitelist: each endpoint called by a
// handful of callers, every caller on every endpoint, and every endpoint with its own random
// half of the callers (the worst case for grouping). Best of three runs after a warm-up; CPU
// time is printed beside wall time because the machine is often shared.
import type { AllowRule, PolicyDocument } from '@/server/policy/model';
import { compilePolicy, POLICY_FORMATS } from '@/server/policy/compile';

const arg = (name: string, fallback: number) => {
  const i = process.argv.indexOf(`--${name}`);
  return i === -1 ? fallback : Number(process.argv[i + 1]);
};
const ENDPOINTS = arg('endpoints', 2000);
const CALLERS = arg('callers', 200);

let seed = 7;
const rand = () => ((seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31);
const words = ['users', 'orders', 'items', 'carts', 'vehicles', 'trips', 'invoices', 'accounts', 'devices', 'reports'];
const callers = Array.from({ length: CALLERS }, (_, i) => (i === 0 ? 'external' : `ns${i % 12}/svc-${i}`));
function template(i: number): string {
  const a = words[i % words.length];
  const b = words[Math.floor(i / words.length) % words.length];
  return [`/api/v1/${a}-${i}`, `/api/v1/${a}-${i}/{id}`, `/api/v1/${a}-${i}/{id}/${b}`, `/api/v1/${a}-${i}/{id}/${b}/{sub}.json`, `/api/v1/${a}-${i}/me`][i % 5];
}

function doc(pick: (i: number) => string[]): PolicyDocument {
  const allow: AllowRule[] = [];
  for (let i = 0; i < ENDPOINTS; i++) for (const c of pick(i)) allow.push({ caller: c, method: i % 4 === 0 ? 'POST' : 'GET', template: template(i), endpointId: `ep_${i}` });
  return { service: 'bench/api', defaultAction: 'deny', allow, deny: [{ kind: 'ip', value: '203.0.113.0/24', reason: 'bench', expiresAt: null }, { kind: 'token', value: 'tok-stolen', reason: 'bench', expiresAt: null }] };
}

const shapes: [string, PolicyDocument][] = [
  ['handful (1-8 callers each)', doc(() => Array.from({ length: 1 + Math.floor(rand() * 8) }, () => callers[Math.floor(rand() * CALLERS)]))],
  ['all callers on all endpoints', doc(() => callers)],
  ['random half of the callers each', doc(() => callers.filter(() => rand() < 0.5))],
];

const now = new Date();
for (const [name, d] of shapes) {
  console.log(`${name}: ${d.allow.length} rules`);
  for (const format of POLICY_FORMATS) {
    compilePolicy(d, format, {}, now);
    let best = Infinity;
    let cpu = Infinity;
    let size = 0;
    let objects = '';
    for (let k = 0; k < 3; k++) {
      const t = performance.now();
      const c = process.cpuUsage();
      const body = compilePolicy(d, format, {}, now).body;
      size = body.length;
      // Istio: how many objects, and the largest one (the API server and kubectl apply cap it)
      if (format === 'istio') {
        const docs = body.split(/^---$/m);
        objects = `  ${docs.length} objects, largest ${(Math.max(...docs.map((x) => x.length)) / 1024).toFixed(0)} KiB of YAML (rules under 200 KB of JSON each)`;
      }
      best = Math.min(best, performance.now() - t);
      const u = process.cpuUsage(c);
      cpu = Math.min(cpu, (u.user + u.system) / 1000);
    }
    console.log(`  ${format.padEnd(10)} ${best.toFixed(0).padStart(5)} ms wall ${cpu.toFixed(0).padStart(5)} ms cpu  ${(size / 1024).toFixed(0).padStart(6)} KiB${objects}`);
  }
}
