// Floods on expensive calls: a short botnet burst at the loan pricer, and a long, thin flood of
// branch searches where no single address asks more often than a person would.
import type { Agent } from '../engine';
import { cloudAddress, homeAddress } from '../network';
import { BROWSERS } from '../people';
import { rand } from '../rand';
import type { Plan } from './types';
import type { BankWorld } from '../world';
import { pickLatLng } from './harvest';
import { pace, type Scenario } from './types';

/** 0 → 1 over `rise` ms, flat, back to 0 over the last `fall` ms. */
const ramp = (plan: Plan, ts: number, rise: number, fall: number) => Math.max(0, Math.min(1, (ts - plan.start) / rise, (plan.end - ts) / fall));

export const dos: Scenario = {
  name: 'dos', expected: ['dos', 'distributed_attack'], minutes: [3, 7], perDay: 3,
  *run(w, plan, r): Agent {
    w.squeeze('lending/quotes', plan.start, plan.end, (ts) => {
      const x = ramp(plan, ts, 45_000, 30_000);
      return { slow: 1 + 6 * x, shed: 0.45 * x };
    });
    const bots = Array.from({ length: Math.round(r.int(200, 500) * w.config.attacks.botnet) }, () => (r.coin(0.7) ? homeAddress(r) : cloudAddress(r)));
    const perSecond = Math.min(150, Math.max(10, 3 * w.options.rate * w.config.attacks.intensity));
    for (const t of pace(r, plan.start, plan.end, perSecond, 1)) {
      yield t;
      w.call({ token: null, user: null, ip: r.pick(bots), ua: r.pick(BROWSERS), label: { attack: plan.id } }, { route: 'api.loanQuote' }, r);
    }
  },
};

export const distributedFlood: Scenario = {
  name: 'distributed_flood', expected: ['dos', 'distributed_attack'], minutes: [30, 90], perDay: 1.5,
  *run(w, plan, r): Agent {
    w.squeeze('locator/branches', plan.start, plan.end, (ts) => {
      const x = ramp(plan, ts, 6 * 60_000, 3 * 60_000);
      return { slow: 1 + 2.5 * x, shed: 0.05 * x };
    });
    // sized against the bank: together a few times the locator's usual traffic, each bot slow
    const n = Math.max(120, Math.round(r.int(300, 800) * w.config.attacks.botnet * Math.min(1, w.scale)));
    const together = Math.max(1, 0.4 * w.options.rate * w.config.attacks.intensity);
    const gapMs = Math.max(15, n / together) * 1000;
    for (let i = 0; i < n; i++) w.engine.start(plan.start + r.range(0, 6 * 60_000), bot(w, plan, i, gapMs));
  },
};

/** One bot of the thin flood: a guest token, then a branch search every half minute or more, like someone looking for a branch. */
function* bot(w: BankWorld, plan: Plan, i: number, meanGapMs: number): Agent {
  const r = rand(plan.seed, 'bot', i);
  const ip = homeAddress(r);
  const ua = r.pick(BROWSERS);
  w.call({ token: null, user: null, ip, ua, label: { attack: plan.id } }, { route: 'api.guest' }, r);
  const who = { token: w.people.bearer('guest', plan.id, i), user: null, ip, ua, label: { attack: plan.id } };
  const gap = meanGapMs * r.range(0.6, 1.4);
  for (let t = w.now + r.range(500, gap); t < plan.end - r.range(0, 3 * 60_000); t += gap * r.range(0.7, 1.3)) {
    yield t;
    w.call(who, { route: 'api.branches', query: pickLatLng(r) }, r);
  }
}
