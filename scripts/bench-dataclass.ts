// `npm run bench:dataclass`: the sensitive-data classifier over a generated corpus (seeded, ≥ 10,000
// bodies: JSON, form and text, planted values at known paths and hard negatives), each body fed in
// random chunk sizes. Prints a line per class (planted, found, precision, recall), then
// `bench:dataclass precision_min=… recall_min=… mb_per_s=…`; mb_per_s is body text through the
// engine on this thread, over the corpus repeated for at least 2 s (stderr gives the spread of the
// rounds: on a shared host the same code runs at two speeds, minutes apart).
//
// Options: --seed N, --bodies N, --show-misses N (print that many differing class×path keys, never
// values), --generator 1|2|both (default both): 1 is the engine author's corpus
// (scripts/dataclass-corpus), 2 an independent one (scripts/dataclass-corpus2) written only from
// the README contract. Per generator it prints the class lines prefixed `generator=N` and
// `bench:dataclass generator=N precision_min=… recall_min=… mb_per_s=…`; the last line is
// `bench:dataclass precision_min=… recall_min=… mb_per_s=…` with the minimum precision/recall over
// the generators run and the mb_per_s of generator 1 (of 2 when only 2 runs).
import { createScanner } from '@/server/dataclass';
import { generateCorpus, prng, type CorpusBody } from './dataclass-corpus/generate';
import { generateCorpus2 } from './dataclass-corpus2/generate';
import { newTally, observed, score, summarise } from './dataclass-corpus/score';

function arg(name: string, fallback: number): number {
  const i = process.argv.indexOf(name);
  return i >= 0 ? Number(process.argv[i + 1]) : fallback;
}

const seed = arg('--seed', 13);
const count = arg('--bodies', 10_000);
const showMisses = arg('--show-misses', 0);
const genIdx = process.argv.indexOf('--generator');
const genArg = genIdx >= 0 ? String(process.argv[genIdx + 1]) : 'both';
if (!['1', '2', 'both'].includes(genArg)) {
  process.stderr.write(`bench:dataclass: --generator must be 1, 2 or both (got ${genArg})\n`);
  process.exit(2);
}
const generators: { name: '1' | '2'; make: (seed: number, count: number) => CorpusBody[] }[] = [];
if (genArg !== '2') generators.push({ name: '1', make: generateCorpus });
if (genArg !== '1') generators.push({ name: '2', make: generateCorpus2 });

function runGenerator(name: string, make: (seed: number, count: number) => CorpusBody[]) {
  const t0 = performance.now();
  const corpus = make(seed, count);
  const genS = (performance.now() - t0) / 1000;

  // accuracy: every body in random chunk sizes, so values straddle chunk boundaries
  const r = prng(seed ^ 0x5eed);
  const tally = newTally();
  let shown = 0;
  for (const b of corpus) {
    const s = createScanner({ contentType: b.contentType, direction: b.direction });
    let at = 0;
    while (at < b.body.length) {
      const size = r() < 0.3 ? 1 + Math.floor(r() * 8) : 1 + Math.floor(r() * 512);
      s.write(b.body.slice(at, at + size));
      at += size;
    }
    const diffs = score(tally, b.truth, observed(s.end()));
    for (const d of diffs) if (shown++ < showMisses) process.stdout.write(`  generator=${name} ${b.id} (${b.format}): ${d}\n`);
  }
  const scores = summarise(tally);

  // throughput: whole corpus, 16 KiB chunks (what a proxy hands over), until ≥ 2 s
  const CHUNK = 16 * 1024;
  let chars = 0;
  for (const b of corpus) chars += b.body.length;
  let rounds = 0;
  let sink = 0;
  const start = performance.now();
  let elapsed = 0;
  const perRound: number[] = [];
  while (elapsed < 2000 || rounds < 1) {
    const roundStart = performance.now();
    for (const b of corpus) {
      const s = createScanner({ contentType: b.contentType, direction: b.direction });
      if (b.body.length <= CHUNK) s.write(b.body);
      else for (let at = 0; at < b.body.length; at += CHUNK) s.write(b.body.slice(at, at + CHUNK));
      sink += s.end().classes.length;
    }
    rounds++;
    const now = performance.now();
    perRound.push(chars / 1e6 / ((now - roundStart) / 1000));
    elapsed = now - start;
  }
  perRound.sort((x, y) => x - y);
  const mb = (chars * rounds) / 1e6;
  // calibration: one bare charCode pass over the same text, to judge the figure on a busy or slow machine
  let bare = 0;
  let bareRounds = 0;
  const bareStart = performance.now();
  while (performance.now() - bareStart < 500) {
    for (const b of corpus) for (let i = 0; i < b.body.length; i++) if (b.body.charCodeAt(i) === 64) bare++;
    bareRounds++;
  }
  const bareMbS = (chars * bareRounds) / 1e6 / ((performance.now() - bareStart) / 1000);
  const precisionMin = Math.min(...scores.map((c) => c.precision));
  const recallMin = Math.min(...scores.map((c) => c.recall));
  process.stderr.write(`generator=${name} corpus: ${corpus.length} bodies, ${(chars / 1e6).toFixed(1)} MB of text, generated in ${genS.toFixed(1)} s; throughput over ${rounds} rounds (${sink} class results), ${perRound[0].toFixed(0)}–${perRound[perRound.length >> 1].toFixed(0)}–${perRound[perRound.length - 1].toFixed(0)} MB/s per round (min–median–max); a bare charCode loop over the same text runs at ${bareMbS.toFixed(0)} MB/s here (${bare > 0 ? 'calibration' : '-'})\n`);
  for (const c of scores) {
    process.stdout.write(`generator=${name} ${c.class.padEnd(13)} planted=${c.planted} found=${c.found} fp=${c.fp} fn=${c.fn} precision=${c.precision.toFixed(4)} recall=${c.recall.toFixed(4)}\n`);
  }
  const mbPerS = mb / (elapsed / 1000);
  process.stdout.write(`bench:dataclass generator=${name} precision_min=${precisionMin.toFixed(4)} recall_min=${recallMin.toFixed(4)} mb_per_s=${mbPerS.toFixed(1)}\n`);
  return { name, precisionMin, recallMin, mbPerS };
}

const results = generators.map((g) => runGenerator(g.name, g.make));
const speed = (results.find((x) => x.name === '1') ?? results[0]).mbPerS;
process.stdout.write(`bench:dataclass precision_min=${Math.min(...results.map((x) => x.precisionMin)).toFixed(4)} recall_min=${Math.min(...results.map((x) => x.recallMin)).toFixed(4)} mb_per_s=${speed.toFixed(1)}\n`);
