// A gateway's prefix in front of an API (`/edge/4/…`, `/gw/2024-11/…`): one name at its
// position for the whole service, thousands of requests, whatever its shape. Identifier
// positions show many names, each requested rarely; a prefix shows one, requested always.
import { describe, expect, it } from 'vitest';
import { decideParams, type Position } from './merge-decision';
import { BUSY_NAME } from './merge-evidence';
import { learn } from './learner';
import { segmentFeatures } from './segment-features';

const S = 'orchard/api';
const line = (method: string, path: string, status = 200) => JSON.stringify({ service: S, method, path, status });
const templates = (lines: string[]) => learn(lines).map((e) => `${e.method} ${e.template}`).sort();

/** An API below `base`: three resources, values by number, each requested a few times. */
function api(base: string): string[] {
  const out: string[] = [];
  for (let i = 0; i < 30; i++) {
    out.push(line('GET', `${base}/trees/${8100 + i}`), line('GET', `${base}/trees/${8100 + i}/fruits`));
    out.push(line('GET', `${base}/pickers`), line('POST', `${base}/crates`));
  }
  return out;
}

describe('gateway prefixes', () => {
  it('keeps a bare-number version literal when it is the one name at its position', () => {
    expect(templates(api('/edge/4'))).toEqual(['GET /edge/4/pickers', 'GET /edge/4/trees/{tree_id}', 'GET /edge/4/trees/{tree_id}/fruits', 'POST /edge/4/crates']);
  });

  it('keeps a year-month version literal', () => {
    expect(templates(api('/gw/2024-11')).every((t) => t.includes('/gw/2024-11/'))).toBe(true);
  });

  it('keeps a value-shaped prefix literal that the tree folded for its shape (`/relay/tok88213`)', () => {
    expect(templates(api('/relay/tok88213')).every((t) => t.includes('/relay/tok88213/'))).toBe(true);
  });

  it('still takes small numbers for identifiers where there are many of them', () => {
    const lines: string[] = [];
    for (let i = 1; i <= 40; i++) lines.push(line('GET', `/plots/${i}/rows`), line('GET', `/plots/${i}/rows`));
    expect(templates(lines)).toEqual(['GET /plots/{plot_id}/rows']);
  });

  it('treats the positions right under a gateway prefix as where API areas sit', () => {
    // four areas that share their sub-resources, below `/apis` under a gateway prefix: areas, not values
    const lines: string[] = [];
    for (const area of ['stems.k9.dev', 'roots.k9.dev', 'leaves.k9.dev', 'seeds.k9.dev']) {
      for (let i = 0; i < 25; i++) lines.push(line('GET', `/outer/2/apis/${area}/v1/beds`), line('GET', `/outer/2/apis/${area}/v1/beds/${9100 + i}`));
    }
    lines.push(...api('/outer/2'));
    expect(templates(lines).filter((t) => t.includes('/apis/{'))).toEqual([]);
  });
});

describe('busyAmongFew', () => {
  const inside: Position = { versionPosition: false, paramShape: null, paramWords: new Set(), parent: 'edge' };
  const cand = (key: string, count: number, shape: string[]) => ({ key, ext: '', features: segmentFeatures(key), count, shape: new Set(shape), words: new Set<string>() });
  it('keeps one busy number with a sub-tree literal, not a rarely requested one or a leaf', () => {
    expect(decideParams([cand('3', BUSY_NAME, ['trees', 'pickers'])], inside).size).toBe(0);
    expect(decideParams([cand('3', 2, ['trees', 'pickers'])], inside).size).toBe(1);
    expect(decideParams([cand('3', BUSY_NAME, ['$GET'])], inside).size).toBe(1);
  });
});

describe('API areas below a base path', () => {
  it('keeps an area the tree folded for its letters and digits literal beside the other areas', () => {
    const lines: string[] = [];
    for (const area of ['seedData-v1', 'harvest-v1', 'plot-graph-v1']) {
      for (let i = 0; i < 6; i++) lines.push(line('GET', `/ctx/garden-svc/${area}/rows/${9400 + i}`), line('GET', `/ctx/garden-svc/${area}/summary`));
    }
    const t = templates(lines);
    expect(t.filter((x) => x.includes('/garden-svc/{'))).toEqual([]);
    expect(t).toContain('GET /ctx/garden-svc/plot-graph-v1/summary');
  });
});
