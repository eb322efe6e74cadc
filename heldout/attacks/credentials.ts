// Attacks on sign-in: one account hammered, a combo list from a botnet, a password sprayed across
// thousands of logins, one account guessed at slowly for hours. The bank asks for a one-time
// code after a right password, so most "successes" stop at the code.
import type { Agent } from '../engine';
import type { Who } from '../exec';
import { cloudAddress, homeAddress } from '../network';
import { BROWSERS, type Customer } from '../people';
import type { Rand } from '../rand';
import type { BankWorld } from '../world';
import { pace, type Plan, type Scenario } from './types';

const login = (w: BankWorld, c: Customer) => new Map([['loginHash', w.people.bearer('login', c.login).slice(0, 20)]]);
const unknownLogin = (r: Rand) => new Map([['loginHash', r.hex(20)]]);
const OLD_BROWSERS = [...BROWSERS.slice(0, 3), 'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/103.0.5060.134 Safari/537.36', 'Mozilla/5.0 (Windows NT 6.1; Win64; x64; rv:109.0) Gecko/20100101 Firefox/115.0'];

/** A right password: the code step, which the attacker mostly cannot pass (a SIM swap now and then). */
function* afterPassword(w: BankWorld, plan: Plan, r: Rand, who: Who, victim: Customer, passOtp: number): Generator<number, void, void> {
  plan.targeted.add(victim.login);
  yield w.now + r.range(800, 3000);
  const ok = r.coin(passOtp);
  w.call(who, { route: 'auth.otp', status: ok ? 200 : 401 }, r);
  if (!ok) return;
  plan.compromised.add(victim.login);
  yield w.now + r.range(500, 2000);
  w.call(who, { route: 'auth.token' }, r);
  const inside = { ...who, token: w.people.bearer('stolen session', plan.id, victim.id), user: victim.id };
  yield w.now + r.range(500, 2000);
  w.call(inside, { route: 'api.accounts' }, r);
  yield w.now + r.range(2000, 6000);
  w.call(inside, { route: 'api.payees' }, r);
}

export const bruteForce: Scenario = {
  name: 'brute_force', expected: ['brute_force'], minutes: [4, 12], perDay: 3,
  *run(w, plan, r): Agent {
    const victim = w.people.pick(r);
    plan.targeted.add(victim.login);
    const ips = r.coin(0.3) ? [cloudAddress(r), cloudAddress(r)] : [cloudAddress(r)];
    const ua = r.pick(['python-httpx/0.27.0', 'Hydra', 'okhttp/3.14.9', OLD_BROWSERS[3]]);
    let n = 0;
    for (const t of pace(r, plan.start, plan.end, r.range(0.3, 1.5) * w.config.attacks.intensity)) {
      yield t;
      n++;
      // the account locks after ten misses; the tool keeps going, then a guess lands once the lock lifts
      const status = n <= 10 ? 401 : n % 97 === 0 && r.coin(0.3) ? 200 : 423;
      const who: Who = { token: null, user: null, ip: ips[n % ips.length], ua, label: { attack: plan.id } };
      w.call(who, { route: 'auth.password', params: login(w, victim), status }, r);
      if (status === 200) {
        yield* afterPassword(w, plan, r, who, victim, 0.2);
        return;
      }
    }
  },
};

export const credentialStuffing: Scenario = {
  name: 'credential_stuffing', expected: ['credential_stuffing', 'distributed_attack'], minutes: [20, 45], perDay: 3,
  *run(w, plan, r): Agent {
    const bots = Array.from({ length: Math.round(r.int(300, 900) * w.config.attacks.botnet) }, () => homeAddress(r));
    for (const t of pace(r, plan.start, plan.end, r.range(2, 6) * w.config.attacks.intensity, 1)) {
      yield t;
      const who: Who = { token: null, user: null, ip: r.pick(bots), ua: r.pick(OLD_BROWSERS), label: { attack: plan.id } };
      if (!r.coin(0.35)) {
        w.call(who, { route: 'auth.password', params: unknownLogin(r), status: 401 }, r);
        continue;
      }
      const victim = w.people.customers[r.below(w.people.customers.length)];
      const hit = r.coin(0.03);
      w.call(who, { route: 'auth.password', params: login(w, victim), status: hit ? 200 : 401 }, r);
      if (hit) w.engine.start(w.now, afterPassword(w, plan, r, who, victim, 0.15));
    }
  },
};

export const passwordSpraying: Scenario = {
  name: 'password_spraying', expected: ['credential_stuffing', 'distributed_attack'], minutes: [180, 480], perDay: 1.5,
  *run(w, plan, r): Agent {
    const exits = Array.from({ length: Math.round(r.int(100, 400) * w.config.attacks.botnet) }, () => (r.coin(0.5) ? cloudAddress(r, 0.2) : homeAddress(r)));
    const logins = r.shuffle(w.people.customers.slice()).slice(0, r.int(500, 3000));
    const seasons = r.int(2, 3);
    // every exit on its own slow clock: one try every 15–45 minutes
    const clocks = exits.map((ip) => ({ ip, next: plan.start + r.range(0, 45 * 60_000), gap: r.range(15, 45) * 60_000, ua: r.pick(OLD_BROWSERS) }));
    let i = 0;
    while (i < logins.length * seasons) {
      let k = 0;
      for (let j = 1; j < clocks.length; j++) if (clocks[j].next < clocks[k].next) k = j;
      const clock = clocks[k];
      if (clock.next >= plan.end) return;
      yield clock.next;
      clock.next += clock.gap * r.range(0.8, 1.2);
      const victim = logins[i++ % logins.length];
      const who: Who = { token: null, user: null, ip: clock.ip, ua: clock.ua, label: { attack: plan.id } };
      plan.targeted.add(victim.login);
      const hit = r.coin(0.002);
      w.call(who, { route: 'auth.password', params: login(w, victim), status: hit ? 200 : 401 }, r);
      if (hit) w.engine.start(w.now, afterPassword(w, plan, r, who, victim, 0.1));
    }
  },
};

export const lowAndSlow: Scenario = {
  name: 'low_and_slow', expected: ['brute_force'], minutes: [240, 480], perDay: 1.5,
  *run(w, plan, r): Agent {
    const victim = w.people.pick(r);
    plan.targeted.add(victim.login);
    const ips = Array.from({ length: r.int(3, 6) }, () => (r.coin(0.4) ? cloudAddress(r, 0.5) : homeAddress(r)));
    const ua = r.pick(BROWSERS);
    // spaced to stay under the lockout (five misses in fifteen minutes)
    for (let t = plan.start + r.range(0, 120_000); t < plan.end; t += Math.max(3.2, r.range(3, 9) / w.config.attacks.intensity) * 60_000) {
      yield t;
      w.call({ token: null, user: null, ip: r.pick(ips), ua, label: { attack: plan.id } }, { route: 'auth.password', params: login(w, victim), status: 401 }, r);
    }
  },
};
