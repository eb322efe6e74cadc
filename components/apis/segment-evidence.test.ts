import { createElement } from 'react';
import { renderToStaticMarkup } from 'react-dom/server';
import { describe, expect, it } from 'vitest';
import type { SegmentEvidence } from '@/lib/segment-evidence';
import { ParamEvidenceLine, paramEvidenceOf, SegmentEvidenceList } from './segment-evidence';

const text = (el: Parameters<typeof renderToStaticMarkup>[0]) => renderToStaticMarkup(el).replace(/<[^>]+>/g, ' ').replace(/\s+/g, ' ').trim();

const evidence: SegmentEvidence[] = [
  { kind: 'literal', at: 0, code: 'version-position', requests: 3000, siblings: 1 },
  { kind: 'param', at: 1, values: 412, requests: 540, median: 1.3, rules: [{ code: 'many-names', keys: 380 }, { code: 'identifier-shape', keys: 32 }], literals: [{ name: 'trending', requests: 900 }, { name: 'popular', requests: 870 }], keptLiterals: 4 },
  { kind: 'literal', at: 2, code: 'busy-beside-param', requests: 900, siblings: 413, beside: { name: 'movie_id', median: 1.3 } },
];

describe('segment evidence in the endpoint detail', () => {
  it('puts each parameter\'s record beside it, by position in the template', () => {
    expect(paramEvidenceOf('/v1/{movie_id}/cast/{person_id}', evidence)).toEqual([evidence[1], undefined]);
    expect(paramEvidenceOf('/v1/{movie_id}', null)).toEqual([undefined]);
  });

  it('says "1 request", not "1 requests"', () => {
    const one = { ...evidence[1], median: 1 } as Extract<SegmentEvidence, { kind: 'param' }>;
    expect(text(createElement(ParamEvidenceLine, { evidence: one }))).toContain('540 requests, 1 request each (median)');
  });

  it('says how many values, how often, by which rules, and what stayed literal beside it', () => {
    expect(text(createElement(ParamEvidenceLine, { evidence: evidence[1] as Extract<SegmentEvidence, { kind: 'param' }> }))).toBe(
      '412 values with 540 requests, 1.3 requests each (median); rules: many names requested rarely (380) , identifier shape (32) ; kept literal beside it: trending (900) , popular (870) and 2 more',
    );
  });

  it('explains the literal segments that had siblings, and says when there is no learner evidence', () => {
    const shown = text(createElement(SegmentEvidenceList, { template: '/v1/{movie_id}/trending', origin: 'learned', evidence }));
    expect(shown).toContain('v1 kept literal: 3,000 requests, version position');
    expect(shown).toContain('trending kept literal: 900 requests, busy beside {movie_id} whose values have 1.3 requests each (median); 413 other names here');
    expect(text(createElement(SegmentEvidenceList, { template: '/a/{id}', origin: 'manual', evidence: null }))).toContain('Made by an analyst');
    expect(text(createElement(SegmentEvidenceList, { template: '/a/{id}', origin: 'learned', evidence: null }))).toContain('No evidence kept yet');
    expect(text(createElement(SegmentEvidenceList, { template: '/a/{id}', origin: 'learned', evidence: [] }))).toContain('only name at its position');
  });
});
