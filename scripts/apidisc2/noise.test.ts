import { describe, expect, it } from 'vitest';
import { isVersionLike, mutateSegment } from './noise';
import { Prng } from './prng';

describe('apidisc2 noise', () => {
  it('recognises version segments', () => {
    for (const v of ['v2', '2', '1.0', '2015-03-31', '2024-03', 'v1beta1']) expect(isVersionLike(v), v).toBe(true);
    for (const v of ['orders', 'api', 'v', 'MarisolQuint']) expect(isVersionLike(v), v).toBe(false);
  });

  it('always changes the segment, versions mostly by an appended letter', () => {
    const r = new Prng('mutate');
    let appended = 0;
    for (let i = 0; i < 500; i++) {
      for (const seg of ['2', 'v3', 'orders', 'Devices', 'api', '2015-03-31']) {
        const m = mutateSegment(seg, r);
        expect(m, seg).not.toBe(seg);
        expect(m).not.toMatch(/[/?#]/);
      }
      if (/^2[a-z]$/.test(mutateSegment('2', r))) appended++;
    }
    expect(appended).toBeGreaterThan(200);
  });
});
