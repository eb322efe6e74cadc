// The engine on both generated corpora (the author's and the independent one, written from the
// README's contract alone), 10,000 bodies each, fed in random chunks so that values straddle
// chunk boundaries: precision and recall per built-in class at or above the 0.99.
// `npm run bench:dataclass` prints the same figures with the throughput.
import { describe, expect, it } from 'vitest';
import { createScanner } from '@/server/dataclass';
import { generateCorpus2 } from '../dataclass-corpus2/generate';
import { generateCorpus, prng, type CorpusBody } from './generate';
import { newTally, observed, score, summarise } from './score';

function scoreCorpus(corpus: CorpusBody[], chunkSeed: number) {
  const r = prng(chunkSeed);
  const tally = newTally();
  for (const b of corpus) {
    const s = createScanner({ contentType: b.contentType, direction: b.direction });
    for (let at = 0; at < b.body.length;) {
      const size = r() < 0.3 ? 1 + Math.floor(r() * 8) : 1 + Math.floor(r() * 512);
      s.write(b.body.slice(at, at + size));
      at += size;
    }
    score(tally, b.truth, observed(s.end()));
  }
  return summarise(tally);
}

describe.each([
  ['the author’s corpus', generateCorpus, 2024],
  ['the independent corpus', generateCorpus2, 2025],
])('the engine on %s', (_, generate, seed) => {
  it('keeps precision and recall at or above 0.99 per class on 10,000 bodies', () => {
    const scores = scoreCorpus(generate(seed, 10_000), seed ^ 0x5eed);
    expect(scores.map((c) => c.class).sort()).toEqual(['api_key', 'bearer_token', 'credit_card', 'email', 'iban', 'jwt', 'password', 'phone', 'private_key', 'ssn']);
    for (const c of scores) {
      expect(c.planted, c.class).toBeGreaterThan(500);
      expect(c.precision, c.class).toBeGreaterThanOrEqual(0.99);
      expect(c.recall, c.class).toBeGreaterThanOrEqual(0.99);
    }
  }, 60_000);
});
