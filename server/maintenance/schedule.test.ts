import { afterEach, beforeEach, expect, it, vi } from 'vitest';
import { schedule } from './schedule';

beforeEach(() => {
  vi.useFakeTimers();
  vi.setSystemTime(0);
});
afterEach(() => vi.useRealTimers());

const metrics = () => ({ dbError: vi.fn() });

/** A job whose runs take `ms` of (fake) time each. */
function job(ms: number) {
  const starts: number[] = [];
  const run = vi.fn(async () => {
    starts.push(Date.now());
    await new Promise((resolve) => setTimeout(resolve, ms));
  });
  return { run, starts };
}

it('runs once at start, then every interval, never two at once', async () => {
  const { run, starts } = job(10);
  const first = schedule('quick', 1000, metrics(), run);
  await vi.advanceTimersByTimeAsync(10);
  const timer = await first;
  await vi.advanceTimersByTimeAsync(3000);
  clearInterval(timer);
  expect(starts).toEqual([0, 1010, 2010, 3010]);
});

it('skips ticks while a run is still going', async () => {
  const { starts, run } = job(2500);
  const timer = schedule('slow', 1000, metrics(), run, { background: true });
  await vi.advanceTimersByTimeAsync(6000);
  clearInterval(await timer);
  // runs at 0 (until 2500), next free tick at 3000 (until 5500), then 6000
  expect(starts).toEqual([0, 3000, 6000]);
});

it('rests restFactor times the last run before the next one', async () => {
  const { starts, run } = job(2500);
  const timer = schedule('compaction', 1000, metrics(), run, { background: true, restFactor: 3 });
  await vi.advanceTimersByTimeAsync(25_000);
  clearInterval(await timer);
  // a run of 2.5 s is followed by 7.5 s of rest: the next tick at or after 10 s
  expect(starts).toEqual([0, 10_000, 20_000]);
});

it('does not hold up start-up when it runs in the background', async () => {
  const { run } = job(60_000);
  let started = false;
  const timer = schedule('big', 1000, metrics(), run, { background: true }).then((t) => {
    started = true;
    return t;
  });
  await vi.advanceTimersByTimeAsync(0);
  expect(started).toBe(true);
  expect(run).toHaveBeenCalledTimes(1);
  clearInterval(await timer);
});

it('counts and survives a failing run', async () => {
  const m = metrics();
  let calls = 0;
  const timer = await schedule('flaky', 1000, m, async () => {
    calls += 1;
    if (calls === 1) throw new Error('database went away');
  });
  await vi.advanceTimersByTimeAsync(1000);
  clearInterval(timer);
  expect(m.dbError).toHaveBeenCalledWith('flaky');
  expect(calls).toBe(2);
});
