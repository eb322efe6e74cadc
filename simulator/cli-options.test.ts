import { describe, expect, it } from 'vitest';
import { parseDuration, parseSimulateArgs, truthFileFor } from './cli-options';
import { SCENARIO_KINDS } from './scenarios/types';

describe('simulate command line', () => {
  it('reads durations', () => {
    expect(parseDuration('90m')).toBe(90 * 60_000);
    expect(parseDuration('24h')).toBe(86_400_000);
    expect(parseDuration('1h30m')).toBe(90 * 60_000);
    expect(parseDuration('2d')).toBe(2 * 86_400_000);
    for (const bad of ['', '24', 'h', '2x', '1h 30m', '-1h', '0m']) expect(() => parseDuration(bad), bad).toThrow(/--backfill/);
  });

  it('reads flags with defaults', () => {
    const o = parseSimulateArgs(['--backfill', '2h', '--token', 'mwp_x', '--rate=35.5', '--seed', '9', '--scenarios', 'dos,scraping', '--live']);
    expect(o).toMatchObject({
      backfillMs: 7_200_000, token: 'mwp_x', rate: 35.5, seed: 9, scenarios: ['dos', 'scraping'], live: true, dryRun: false,
      target: 'http://localhost:3000', groundTruth: './simulator-ground-truth.jsonl',
    });
    expect(parseSimulateArgs(['--backfill', '1h', '--dry-run', '--scenarios', 'none'])).toMatchObject({ dryRun: true, scenarios: [], rate: 20, seed: 1 });
    expect(parseSimulateArgs(['--live', '--token-file', '/t', '--target', 'http://c:3000/']).scenarios).toEqual([...SCENARIO_KINDS]);
    expect(parseSimulateArgs(['--live', '--token-file', '/t', '--target', 'http://c:3000/']).target).toBe('http://c:3000');
  });

  it('says what is wrong with bad flags', () => {
    const bad: [string[], RegExp][] = [
      [[], /nothing to do/],
      [['--backfill', '1h'], /--token/],
      [['--backfill', '1h', '--token', 'a', '--token-file', 'b'], /not both/],
      [['--backfill', '1h', '--dry-run', '--live'], /--dry-run/],
      [['--dry-run'], /nothing to do|--dry-run needs/],
      [['--backfill', '1h', '--token', 'a', '--rate', '0'], /--rate "0" must be a positive number/],
      [['--backfill', '1h', '--token', 'a', '--seed', '1.5'], /--seed .* integer/],
      [['--backfill', '1h', '--token', 'a', '--scenarios', 'dos,ddos'], /unknown scenario "ddos"/],
      [['--backfill', '1h', '--token', 'a', '--target', 'localhost:3000'], /--target/],
      [['--backfill', '1h', '--token'], /--token needs a value/],
      [['--backfill', '1h', '--token', 'a', '--fast'], /unknown argument "--fast"/],
    ];
    for (const [argv, message] of bad) expect(() => parseSimulateArgs(argv), argv.join(' ')).toThrow(message);
  });

  it('reads --out and --end: a file window needs no token, and its ground truth goes next to it', () => {
    const o = parseSimulateArgs(['--out', '/tmp/run.jsonl', '--backfill', '24h', '--seed', '4', '--rate', '20', '--end', '2025-03-01T00:00:00Z']);
    expect(o).toMatchObject({ out: '/tmp/run.jsonl', backfillMs: 86_400_000, seed: 4, rate: 20, end: Date.UTC(2025, 2, 1), groundTruth: '/tmp/run.truth.jsonl' });
    expect(parseSimulateArgs(['--out', 'x', '--backfill', '1h', '--ground-truth', 'gt.jsonl', '--end', '1740787200000'])).toMatchObject({ groundTruth: 'gt.jsonl', end: 1_740_787_200_000 });
    expect(truthFileFor('events')).toBe('events.truth.jsonl');
    expect(truthFileFor('-')).toBe('./simulator-out.truth.jsonl');
    const bad: [string[], RegExp][] = [
      [['--out', 'x'], /--out needs --backfill/],
      [['--out', 'x', '--backfill', '1h', '--live'], /cannot be combined/],
      [['--out', 'x', '--backfill', '1h', '--token', 't'], /drop --token/],
      [['--out', 'x', '--backfill', '1h', '--end', 'yesterday'], /--end "yesterday" is not a time/],
      [['--out', 'x', '--backfill', '1h', '--ground-truth', 'x'], /another file than --out/],
    ];
    for (const [argv, message] of bad) expect(() => parseSimulateArgs(argv), argv.join(' ')).toThrow(message);
  });
});
