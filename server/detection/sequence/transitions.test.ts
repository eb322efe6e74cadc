import { describe, expect, it } from 'vitest';
import { newEstimate, TransitionModel } from './transitions';
import { OUTCOMES, Outcome, START, Vocab } from './vocab';

// A small API: a list, an item, a basket, a checkout, a payment that only follows the checkout.
function setup(limits?: { perService: number; total: number }) {
  const vocab = new Vocab();
  const ep = (e: string) => vocab.endpoint('shop', e).base;
  const s = {
    list: ep('GET /items'), item: ep('GET /items/{id}'), basket: ep('POST /basket'), checkout: ep('POST /checkouts'),
    pay: ep('POST /checkouts/{id}/pay'), help: ep('GET /help'),
  };
  const model = new TransitionModel((x) => vocab.serviceOf(x), () => vocab.size / OUTCOMES, limits);
  return { vocab, model, s };
}

const p = (m: TransitionModel, kind: string, from: number, to: number, earlier: number[] = []) => m.estimate(kind, from, to, earlier, newEstimate()).p;

/** `n` clients of a kind each walking `path` (from the session start). */
function teach(m: TransitionModel, kind: string, path: number[], n: number) {
  for (let i = 0; i < n; i++) {
    let prev = START;
    for (const to of path) {
      m.learn(kind, prev, to);
      m.learnOutcome(to);
      prev = to;
    }
  }
}

describe('transition model', () => {
  it('gives every next endpoint a probability, summing to one, unseen ones small but not zero', () => {
    const { model, s } = setup();
    teach(model, 'app', [s.list, s.item, s.basket, s.checkout, s.pay], 200);
    teach(model, 'app', [s.list, s.item, s.item], 100);
    const next = [s.list, s.item, s.basket, s.checkout, s.pay, s.help];
    const sum = next.reduce((acc, to) => acc + p(model, 'app', s.item, to), 0);
    expect(sum).toBeGreaterThan(0.97);
    expect(sum).toBeLessThanOrEqual(1.0001);
    expect(p(model, 'app', s.item, s.basket)).toBeGreaterThan(0.5);
    expect(p(model, 'app', s.item, s.help)).toBeGreaterThan(0);
    expect(p(model, 'app', s.item, s.help)).toBeLessThan(0.01);
  });

  it('a kind of client with no history of its own is judged like all clients', () => {
    const { model, s } = setup();
    teach(model, 'app', [s.list, s.item, s.basket], 100);
    expect(p(model, 'library', s.item, s.basket)).toBeCloseTo(p(model, 'app', s.item, s.basket), 1);
  });

  it('an endpoint only ever reached from one step is less likely elsewhere than one reached from many (continuation)', () => {
    const { model, s } = setup();
    teach(model, 'app', [s.list, s.item, s.basket, s.checkout, s.pay], 200);
    teach(model, 'app', [s.item, s.list], 50);
    teach(model, 'app', [s.basket, s.list], 50);
    teach(model, 'app', [s.help, s.list], 50);
    // neither follows the checkout; the list follows many steps, the payment only the checkout
    expect(p(model, 'app', s.pay, s.list)).toBeGreaterThan(5 * p(model, 'app', s.pay, s.pay));
  });

  it('one client cannot make a step likely however often it repeats it, several clients can', () => {
    const { model, s } = setup();
    teach(model, 'app', [s.list, s.item, s.basket, s.checkout, s.pay], 300);
    const before = p(model, 'app', START, s.pay);
    model.learn('app', START, s.pay); // one client: a single count gives no probability of its own
    expect(p(model, 'app', START, s.pay)).toBeCloseTo(before, 6);
    for (let i = 0; i < 30; i++) model.learn('app', START, s.pay);
    expect(p(model, 'app', START, s.pay)).toBeGreaterThan(50 * before);
  });

  it('predicts the outcome apart: a usual 404 rate is not a surprise, a 403 where none happens is', () => {
    const { vocab, model, s } = setup();
    teach(model, 'app', [s.list, s.item], 500);
    for (let i = 0; i < 10; i++) model.learnOutcome(s.item + Outcome.Failed);
    const e404 = model.estimate('app', s.list, s.item + Outcome.Failed, [], newEstimate());
    const e403 = model.estimate('app', s.list, s.item + Outcome.Forbidden, [], newEstimate());
    expect(e404.p).toBeCloseTo(e403.p, 6); // the same next endpoint
    expect(e404.pOutcome).toBeGreaterThan(0.01);
    expect(e403.pOutcome).toBeLessThan(0.001);
    expect(vocab.label(s.item + Outcome.Forbidden)).toBe('shop GET /items/{id} (403)');
  });

  it('names the step nearly every client took before an endpoint', () => {
    const { model, s } = setup();
    teach(model, 'app', [s.list, s.item, s.basket, s.checkout, s.pay], 100);
    const e = model.estimate('app', s.basket, s.pay, [], newEstimate());
    expect(e.requiredFrom).toBe(s.checkout);
    expect(e.requiredShare).toBe(1);
    expect(e.requiredSupport).toBe(100);
    // per kind: what app clients must do says nothing about a service calling from inside
    expect(model.estimate('svc:shop/jobs', s.basket, s.pay, [], newEstimate()).requiredFrom).toBe(-1);
  });

  it('tolerates interleaving: a step usual right after an earlier state counts at half', () => {
    const { model, s } = setup();
    teach(model, 'app', [s.list, s.item, s.basket, s.checkout, s.pay], 300);
    teach(model, 'app', [s.help, s.list], 300);
    const direct = p(model, 'app', s.help, s.pay);
    const interleaved = p(model, 'app', s.help, s.pay, [s.checkout]);
    expect(direct).toBeLessThan(0.001);
    expect(interleaved).toBeGreaterThan(0.3);
  });

  it('forgets: decay fades counts and drops the ones that faded away', () => {
    const { model, s } = setup();
    teach(model, 'app', [s.list, s.item], 10);
    const size = model.size;
    expect(size).toBeGreaterThan(0);
    for (let i = 0; i < 12; i++) model.decay(0.5);
    expect(model.size).toBe(0);
    expect(model.knows(s.list, s.item)).toBe(false);
  });

  it('keeps a service within its budget however many endpoints a scanner invents', () => {
    const vocab = new Vocab();
    const model = new TransitionModel((x) => vocab.serviceOf(x), () => vocab.size / OUTCOMES, { perService: 200, total: 10_000 });
    let prev = START;
    for (let i = 0; i < 2000; i++) {
      const to = vocab.endpoint('edge', `GET /probe-${i}`).base;
      model.learn('bot', prev, to);
      prev = to;
    }
    model.decay(1);
    // each transition is in four tables (kind, all, endpoint, backward): the budget counts them all
    expect(model.size).toBeLessThanOrEqual(200);
  });
});
