import { describe, expect, it } from 'vitest';
import { evaluatePolicy } from '../evaluate';
import { mulberry32 } from '@/lib/prng';
import type { AllowRule, PolicyDocument, PolicyRequest } from '../model';
import { check, DOCS, FORMATS, instantiate, NOW, requestsFor, underTest, withoutOmitted, type Mismatch } from './test-corpus';

const show = (m: Mismatch) => `${m.format}: ${m.req.method} ${JSON.stringify(m.req.path)} from ${m.req.caller}${m.req.tokenId ? ` token ${m.req.tokenId}` : ''}${m.req.userId ? ` user ${m.req.userId}` : ''}${m.req.clientIp ? ` ip ${m.req.clientIp}` : ''}: ${m.got}, expected ${m.expected} (${m.why})`;

describe.each(FORMATS)('%s agrees with the reference evaluator', (format) => {
  it.each(DOCS.map((d) => [d.service, d] as const))('%s', (_name, doc) => {
    const ut = underTest(format, doc);
    const requests = requestsFor(doc);
    const mismatches = requests.map((r) => check(format, ut, doc, r)).filter((m) => m !== null);
    expect(mismatches.slice(0, 10).map(show)).toEqual([]);
    // the corpus has both outcomes, so agreement is not agreement on "deny everything"
    const allowed = requests.filter((r) => ut.decide(r).decision === 'allow').length;
    if (doc.allow.length) expect(allowed).toBeGreaterThan(10);
    else expect(allowed).toBe(0);
  });

  it('allows every approved endpoint from each of its callers, unless the format left the rule out (and said so)', () => {
    for (const doc of DOCS) {
      const ut = underTest(format, doc);
      const kept = withoutOmitted(doc, ut.omitted).allow;
      for (const r of doc.allow) {
        const req = { caller: r.caller, method: r.method, path: instantiate(r.template, '42') };
        const expected = kept.includes(r) && evaluatePolicy(doc, req, NOW).decision === 'allow' ? 'allow' : 'deny';
        expect(`${r.method} ${r.template} from ${r.caller}: ${ut.decide(req).decision}`).toBe(`${r.method} ${r.template} from ${r.caller}: ${expected}`);
      }
      for (const o of ut.omitted) expect(ut.warnings.some((w) => w.includes(o.template) || (o.caller !== null && w.includes(o.caller)))).toBe(true);
    }
  });
});

describe('what each format leaves out', () => {
  const omittedOf = (format: (typeof FORMATS)[number]) =>
    DOCS.flatMap((d) => underTest(format, d).omitted.map((o) => `${o.method} ${o.template}`)).sort();

  it('Meshward JSON and nginx express every rule; all formats drop the dead one', () => {
    expect(omittedOf('nginx')).toEqual(['GET /static/%2Fetc']);
    expect(omittedOf('meshward')).toEqual([]);
  });

  it('Envoy leaves out only a template whose regex stays over the RE2 budget once its leading and trailing literals are split off', () => {
    expect(omittedOf('envoy-rbac')).toEqual([expect.stringMatching(/^GET \/static\/%2Fetc$/), expect.stringMatching(/^GET \/x\/\{a\}\//)].sort());
  });

  it('Istio leaves out parameters inside a segment and template literals outside its character set', () => {
    expect(omittedOf('istio')).toEqual(
      ['GET /export/format=csv/{id}', 'GET /files/{file_id}.json', 'GET /search/q={term}', 'GET /static/%2Fetc', 'GET /v{version}/status', 'POST /cart/{cart_id}:checkout'].sort(),
    );
  });
});

// A small deterministic generator (mulberry32), so a failure names a seed that reproduces it.
function rng(seed: number) {
  const next = mulberry32(seed);
  const pick = <T,>(xs: readonly T[]): T => xs[Math.floor(next() * xs.length)];
  return { next, pick, int: (n: number) => Math.floor(next() * n) };
}

const LITERALS = ['a', 'b', 'ab', 'A', 'x.y', 'v1', '=q', '-', 'me', '~t'];
const AFFIXES = [['', '.json'], ['v', ''], ['x-', '.csv'], ['', ':go'], ['.', '']] as const;
const CALLERS = ['ns/a', 'ns/b', 'other/c', 'external', 'spiffe://partner.example/ns/p/sa/q'];
const VALUE_PARTS = ['1', 'a', 'A', 'b', 'me', '.', '..', '%2F', '%2f', '%2e', '%41', '%5C', '%00', '=', '*', '~', '-', ':', '@', '\\', '#', '?', ' ', 'é', '%', '%2', ';'];

function randomTemplate(r: ReturnType<typeof rng>): string {
  const n = r.int(5);
  const segs: string[] = [];
  for (let i = 0; i < n; i++) {
    const k = r.next();
    if (k < 0.45) segs.push(r.pick(LITERALS));
    else if (k < 0.8) segs.push(`{p${i}}`);
    else {
      const [pre, suf] = r.pick(AFFIXES);
      segs.push(`${pre}{p${i}}${suf}`);
    }
  }
  return '/' + segs.join('/');
}

function randomValue(r: ReturnType<typeof rng>): string {
  let v = '';
  const len = 1 + r.int(3);
  for (let i = 0; i < len; i++) v += r.pick(VALUE_PARTS);
  return v;
}

function randomPath(r: ReturnType<typeof rng>, templates: string[]): string {
  const t = r.next() < 0.8 && templates.length ? r.pick(templates) : randomTemplate(r);
  let p = t.split('/').slice(1).map((s) => s.replace(/\{[^}]*\}/, () => (r.next() < 0.75 ? r.pick(['1', 'a', 'me', 'x.y']) : randomValue(r)))).join('/');
  p = '/' + p;
  const k = r.next();
  if (k < 0.08) p += '/';
  else if (k < 0.14) p = p.replace('/', '//');
  else if (k < 0.2) p += `/${r.pick(['..', '.'])}`;
  else if (k < 0.25) p = p.toUpperCase();
  if (r.next() < 0.25) p += `?${r.pick(['a=1', 'x=../y', 'q=%2F', '', 'a#b'])}`;
  return p;
}

describe('randomized: generated templates and requests', () => {
  it.each([1, 2, 3, 4, 5, 6, 7, 8])('seed %i: every format agrees with the reference', (seed) => {
    const r = rng(seed);
    const mismatches: Mismatch[] = [];
    let allowed = 0;
    let total = 0;
    for (let d = 0; d < 25; d++) {
      const allow: AllowRule[] = [];
      const rules = 1 + r.int(8);
      for (let i = 0; i < rules; i++) allow.push({ caller: r.pick(CALLERS), method: r.pick(['GET', 'POST']), template: randomTemplate(r), endpointId: null });
      const doc: PolicyDocument = { service: `gen/s${d}`, defaultAction: 'deny', allow, deny: [] };
      const templates = allow.map((a) => a.template);
      const requests: PolicyRequest[] = [];
      for (let i = 0; i < 40; i++) {
        const a = r.pick(allow);
        requests.push({ caller: r.next() < 0.8 ? a.caller : r.pick(CALLERS), method: r.next() < 0.9 ? a.method : r.pick(['GET', 'POST', 'get']), path: randomPath(r, templates) });
      }
      for (const req of requests) {
        total++;
        if (evaluatePolicy(doc, req, NOW).decision === 'allow') allowed++;
      }
      for (const format of FORMATS) {
        const ut = underTest(format, doc);
        for (const req of requests) {
          const m = check(format, ut, doc, req);
          if (m) mismatches.push(m);
        }
      }
    }
    expect(mismatches.slice(0, 10).map(show)).toEqual([]);
    // generated requests hit rules often enough for agreement to mean something
    expect(allowed / total).toBeGreaterThan(0.1);
  });
});
