// Tellers at the branches, in business hours, looking customers up in the portal from the
// branch's one public address. Labelled `office_nat`.
import type { Agent } from '../engine';
import type { Who } from '../exec';
import { BROWSERS, tellerId } from '../people';
import { rand, type Rand } from '../rand';
import type { BankWorld } from '../world';

const localHour = (w: BankWorld) => new Date(w.now + w.config.utcOffsetH * 3_600_000);

function open(w: BankWorld): boolean {
  const t = localHour(w);
  const day = t.getUTCDay();
  const hour = t.getUTCHours() + t.getUTCMinutes() / 60;
  return day >= 1 && day <= 6 && hour >= 9 && hour < (day === 6 ? 13 : 17);
}

/** One teller's day after day: a customer at the counter, then the next. */
export function* teller(w: BankWorld, branch: number, k: number, end: number): Agent {
  const r: Rand = rand(w.seed, 'teller day', branch, k);
  const ua = BROWSERS[(branch + k) % 2];
  while (w.now < end) {
    if (!open(w)) {
      yield w.now + 15 * 60_000 + r.range(0, 60_000);
      continue;
    }
    const day = Math.floor(w.now / 86_400_000);
    const who: Who = { token: w.people.bearer('sso', branch, k, day), user: tellerId(w.seed, branch, k), ip: w.config.branches[branch].ip, ua, label: { cohorts: ['office_nat'] } };
    const customer = w.people.pick(r);
    const surname = customer.email.split('.')[1].replace(/\d+@.*/, '');
    w.call(who, { route: 'bo.search', query: `q=${surname}&pageSize=25` }, r);
    yield w.now + r.logNormal(9000, 0.5);
    const p = new Map([['customerId', customer.id]]);
    w.call(who, { route: 'bo.customer', params: p }, r);
    yield w.now + r.logNormal(25_000, 0.6);
    if (r.coin(0.6)) {
      w.call(who, { route: 'bo.customerAccounts', params: p }, r);
      yield w.now + r.logNormal(20_000, 0.6);
    }
    if (r.coin(0.35)) {
      w.call(who, { route: 'bo.customerTxns', params: p, query: 'days=90' }, r);
      yield w.now + r.logNormal(40_000, 0.6);
    }
    if (r.coin(0.2)) {
      const c = new Map([['caseNo', String(r.int(3_000_000, 3_999_999))]]);
      w.call(who, { route: 'bo.case', params: c }, r);
      yield w.now + r.logNormal(30_000, 0.5);
      if (r.coin(0.5)) w.call(who, { route: 'bo.caseNote', params: c }, r);
    }
    if (r.coin(0.03)) w.call(who, { route: 'bo.unlock', params: p }, r);
    if (r.coin(0.01)) w.call(who, { route: 'bo.report', items: r.int(40, 300) }, r); // a branch report, a few dozen rows
    yield w.now + r.exp(5 * 60_000) + 30_000;
  }
}
