import { describe, expect, it } from 'vitest';
import { RepeatStats } from './repeats';
import { refusalTail, ServiceRefusals } from './refusals';

describe('repeats for the session length', () => {
  const PAY = 10;
  const PAY_FAILED = 13;
  const VIEW = 20;
  function stats() {
    const r = new RepeatStats();
    for (let i = 0; i < 200; i++) {
      const steps = 6 + (i % 10);
      r.learn('app', PAY, 1, steps); // one payment a session
      if (i % 20 === 0) r.learn('app', PAY_FAILED, 1, steps); // a declined card now and then
      r.learn('app', VIEW, Math.ceil(steps / 2), steps); // half the steps view an item
    }
    return r;
  }

  it('flags paying and failing far more often than sessions do, however long the session', () => {
    const r = stats();
    expect(r.estimate('app', PAY, 25, 25)!.surprise).toBeGreaterThan(15);
    expect(r.estimate('app', PAY_FAILED, 15, 25, PAY)!.surprise).toBeGreaterThan(20);
    expect(r.estimate('app', PAY, 2, 12)!.surprise).toBeLessThan(1);
  });

  it('does not flag a long session for doing the usual thing often', () => {
    const r = stats();
    expect(r.estimate('app', VIEW, 40, 80)!.surprise).toBe(0);
  });

  it('judges nothing for a kind or endpoint with too few sessions', () => {
    const r = stats();
    expect(r.estimate('browser', PAY, 25, 25)).toBeNull();
    const few = new RepeatStats();
    for (let i = 0; i < 5; i++) few.learn('app', PAY, 1, 8);
    expect(few.estimate('app', PAY, 25, 25)).toBeNull();
  });
});

describe('refusals', () => {
  it('a service that refuses its own clients a lot makes refusals there weak evidence', () => {
    const s = new ServiceRefusals();
    s.learn(1, 10_000, 2); // the back office refuses almost no one
    s.learn(2, 10_000, 2_000); // a file service refuses a fifth of its requests
    expect(refusalTail(4, 5, s.rate(1))).toBeLessThan(1e-10);
    expect(refusalTail(4, 5, s.rate(2))).toBeGreaterThan(1e-3);
    expect(refusalTail(1, 20, s.rate(2))).toBe(1);
  });
});
